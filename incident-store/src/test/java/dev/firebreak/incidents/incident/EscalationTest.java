package dev.firebreak.incidents.incident;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.firebreak.incidents.escalation.BusinessCalendar;
import dev.firebreak.incidents.escalation.ResponsePolicyLoader;
import dev.firebreak.schemas.avro.Actor;
import dev.firebreak.schemas.avro.ActorKind;
import dev.firebreak.schemas.avro.AlertSummary;
import dev.firebreak.schemas.avro.AutomationState;
import dev.firebreak.schemas.avro.EscalationLevel;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.Severity;
import dev.firebreak.schemas.fixtures.Alerts;
import dev.firebreak.schemas.fixtures.IncidentCommands;

import static dev.firebreak.schemas.avro.IncidentEventType.ACKNOWLEDGED;
import static dev.firebreak.schemas.avro.IncidentEventType.ALERT_ADDED;
import static dev.firebreak.schemas.avro.IncidentEventType.COMMENTED;
import static dev.firebreak.schemas.avro.IncidentEventType.ESCALATED;
import static dev.firebreak.schemas.avro.IncidentEventType.ESCALATION_CLOCK_SET;
import static dev.firebreak.schemas.avro.IncidentEventType.ESCALATION_SNOOZED;
import static dev.firebreak.schemas.avro.IncidentEventType.OPENED;
import static dev.firebreak.schemas.avro.IncidentEventType.SEVERITY_CHANGED;
import static dev.firebreak.schemas.fixtures.Alerts.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The response policies on plain values with a fixed clock: the seeds' matrix as shipped,
 * what counts the clock from where, what holds it, and what operators do to it. T0 is
 * Sunday 2026-11-22 10:00 UTC.
 */
class EscalationTest {

	private static final IncidentPolicy POLICY = IncidentPolicy.DEFAULT;

	private static final Actor SOURCE = new Actor(ActorKind.ALERT_SOURCE, "alertmanager");

	private static final String ID = "INC-20261122-0001";

	private static AlertSummary alert(String alertname, Severity severity, String... labels) {
		Alerts alert = Alerts.firing(alertname).label("service", "api").label("instance", alertname + "-1");
		for (int i = 0; i < labels.length; i += 2) {
			alert.label(labels[i], labels[i + 1]);
		}
		return AlertMerge.merge(null, alert.build(), severity).state();
	}

	private static IncidentUpdate open(IncidentPolicy policy, AlertSummary first, Instant at) {
		IncidentUpdate update = IncidentUpdate.open(policy, ID, "service=api", Map.of("service", "api"), first, at);
		update.alert(first, AlertMerge.Change.NEW, true, new IncidentUpdate.Novelty(true, true), false, SOURCE,
				Optional.empty());
		return update;
	}

	private static IncidentUpdate open(AlertSummary first) {
		return open(POLICY, first, T0);
	}

	private static IncidentUpdate at(IncidentUpdate previous, Duration after) {
		return IncidentUpdate.of(POLICY, previous.state(), T0.plus(after));
	}

	private static IncidentUpdate reviewed(IncidentUpdate previous, Duration after) {
		IncidentUpdate update = at(previous, after);
		update.review(Optional.empty());
		return update;
	}

	private static Incident incident(IncidentUpdate update) {
		return update.state().getIncident();
	}

	static Stream<Arguments> seed003Matrix() {
		return Stream.of(arguments("Service Down", "ServiceDown", Severity.SEV2, "5m", "15m"),
				arguments("High Error Rate", "HighErrorRate", Severity.SEV2, "5m", "10m"),
				arguments("DB Connections High", "DatabaseConnectionsHigh", Severity.SEV2, "5m", "15m"),
				arguments("Disk Space Critical", "DiskSpaceHigh", Severity.SEV2, "10m", "0m"),
				arguments("Memory Critical", "MemoryUsageHigh", Severity.SEV2, "5m", "10m"),
				arguments("SSL Expiring", "SSLCertificateExpiring", Severity.SEV2, "4h", "24h"),
				arguments("High Response Time", "HighResponseTime", Severity.SEV3, "1h", "4h"),
				arguments("Queue Depth High", "WorkerQueueHigh", Severity.SEV3, "1h", "2h"),
				arguments("Task Failure Rate", "TaskFailureRateHigh", Severity.SEV3, "1h", "2h"),
				arguments("Resource Usage High", "ResourceUsageHigh", Severity.SEV3, "1h", "4h"),
				arguments("Backup Failed", "BackupFailed", Severity.SEV3, "2h", "8h"));
	}

	@ParameterizedTest(name = "{0}: respond within {3}, L2 after {4}")
	@MethodSource("seed003Matrix")
	void eachRowOfSeed003sMatrixSetsItsResponseTimeAndL2(String row, String alertname, Severity severity,
			String responseTime, String l2) {
		IncidentUpdate opened = open(alert(alertname, severity));

		assertThat(incident(opened).getRespondBy()).isEqualTo(T0.plus(minutes(responseTime)));
		assertThat(opened.state().getLevelDeadlines()).containsEntry("L2", T0.plus(minutes(l2)));
		assertThat(opened.events()).filteredOn((event) -> event.getType() == ESCALATION_CLOCK_SET)
			.singleElement()
			.satisfies((event) -> assertThat(event.getReason()).startsWith("escalation clock from the "
					+ incident(opened).getResponsePolicy() + " policy (" + alertname + "): respond within "
					+ responseTime + ", L2 " + (l2.equals("0m") ? "at once" : "after " + l2)));
	}

	private static Duration minutes(String text) {
		return text.endsWith("h") ? Duration.ofHours(Long.parseLong(text.substring(0, text.length() - 1)))
				: Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
	}

	@Test
	void serviceDownRunsOnItsPolicysClockWithAutomationFirst() {
		IncidentUpdate opened = open(alert("ServiceDown", Severity.SEV2));

		IncidentEvent clock = opened.events().get(1);
		assertThat(clock.getType()).isEqualTo(ESCALATION_CLOCK_SET);
		assertThat(clock.getReason()).isEqualTo("escalation clock from the service-down policy (ServiceDown): "
				+ "respond within 5m, L2 after 15m, L3 after 1h, L4 after 4h; "
				+ "automation first: a runbook has 30s to answer before people are paged");
		assertThat(clock.getDetails()).containsEntry("policy", "service-down")
			.containsEntry("L2", "2026-11-22T10:15:00Z")
			.containsEntry("L3", "2026-11-22T11:00:00Z")
			.containsEntry("L4", "2026-11-22T14:00:00Z");
		assertThat(incident(opened).getAutomation()).isEqualTo(AutomationState.WAITING);
		assertThat(incident(opened).getNextEscalationAt()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
	}

	@Test
	void diskSpaceCriticalIsAtL2AtOnce() {
		IncidentUpdate opened = open(alert("DiskSpaceHigh", Severity.SEV2));

		assertThat(opened.events()).extracting(IncidentEvent::getType)
			.containsExactly(OPENED, ESCALATION_CLOCK_SET, ESCALATED);
		assertThat(opened.events().get(2).getReason())
			.isEqualTo("L2 at once on the disk-space-critical policy's clock");
		assertThat(incident(opened).getEscalationLevel()).isEqualTo(EscalationLevel.L2);
		assertThat(incident(opened).getAutomation()).as("people first, whatever the log cleanup does")
			.isEqualTo(AutomationState.NONE);
		assertThat(incident(opened).getNextEscalationAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
	}

	@Test
	void aWarningDiskSpaceAlertIsNotTheCriticalRow() {
		IncidentUpdate opened = open(alert("DiskSpaceHigh", Severity.SEV3));

		assertThat(incident(opened).getResponsePolicy()).isEqualTo("sev3-fallback");
		assertThat(incident(opened).getEscalationLevel()).isEqualTo(EscalationLevel.L1);
	}

	@Test
	void underSeed000AnAcknowledgedButUnresolvedIncidentStillReachesL2After15Minutes() {
		IncidentUpdate opened = open(alert("ApplicationDown", Severity.SEV1));
		IncidentUpdate acknowledged = at(opened, Duration.ofMinutes(2));
		acknowledged.apply(IncidentCommands.acknowledge(ID).by("olivia").build());
		assertThat(incident(acknowledged).getNextEscalationAt()).isEqualTo(T0.plus(Duration.ofMinutes(15)));

		IncidentUpdate early = reviewed(acknowledged, Duration.ofMinutes(14).plusSeconds(59));
		assertThat(early.events()).isEmpty();
		IncidentUpdate due = reviewed(early, Duration.ofMinutes(15));

		assertThat(due.events()).extracting(IncidentEvent::getType).containsExactly(ESCALATED);
		assertThat(due.events().get(0).getReason()).isEqualTo("L2 after 15m on the application-down policy's clock");
		assertThat(incident(due).getEscalationLevel()).isEqualTo(EscalationLevel.L2);
	}

	@Test
	void underSeed003AnAcknowledgedIncidentWaitsForItsPerson() {
		IncidentUpdate opened = open(alert("HighErrorRate", Severity.SEV2, "team", "web"));
		IncidentUpdate acknowledged = at(opened, Duration.ofMinutes(2));
		acknowledged.apply(IncidentCommands.acknowledge(ID).build());
		// HighErrorRate is seed 000's too: acknowledged or not. ServiceDown is seed 003's
		// alone.
		IncidentUpdate serviceDown = open(alert("ServiceDown", Severity.SEV2));
		IncidentUpdate taken = at(serviceDown, Duration.ofMinutes(2));
		taken.apply(IncidentCommands.acknowledge(ID).build());

		assertThat(incident(acknowledged).getNextEscalationAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
		assertThat(incident(taken).getNextEscalationAt()).isNull();
		IncidentUpdate later = reviewed(taken, Duration.ofHours(5));
		assertThat(later.events()).isEmpty();
		assertThat(incident(later).getEscalationLevel()).isEqualTo(EscalationLevel.L1);
	}

	@Test
	void aJoiningAlertShortensTheClockCountedFromWhenItJoined() {
		IncidentUpdate opened = open(alert("HighResponseTime", Severity.SEV3));
		assertThat(opened.state().getLevelDeadlines()).containsEntry("L2", T0.plus(Duration.ofHours(4)));
		IncidentUpdate joined = at(opened, Duration.ofMinutes(10));

		AlertSummary serviceDown = alert("ServiceDown", Severity.SEV2);
		joined.alert(serviceDown, AlertMerge.Change.NEW, true, new IncidentUpdate.Novelty(true, false), false, SOURCE,
				Optional.empty());

		assertThat(joined.events()).extracting(IncidentEvent::getType)
			.containsExactly(ALERT_ADDED, SEVERITY_CHANGED, ESCALATION_CLOCK_SET);
		assertThat(joined.events().get(2).getReason())
			.isEqualTo("escalation clock shortened: ServiceDown joined (the service-down policy: respond within 5m, "
					+ "L2 after 15m, L3 after 1h, L4 after 4h)");
		assertThat(incident(joined).getRespondBy()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
		assertThat(joined.state().getLevelDeadlines()).containsEntry("L2", T0.plus(Duration.ofMinutes(25)))
			.containsEntry("L3", T0.plus(Duration.ofMinutes(70)))
			.containsEntry("L4", T0.plus(Duration.ofMinutes(250)));
		assertThat(incident(joined).getResponsePolicy()).isEqualTo("service-down");
	}

	@Test
	void aJoiningAlertNeverLengthensTheClock() {
		IncidentUpdate opened = open(alert("ServiceDown", Severity.SEV2));
		IncidentUpdate joined = at(opened, Duration.ofMinutes(10));

		joined.alert(alert("HighResponseTime", Severity.SEV3), AlertMerge.Change.NEW, true,
				new IncidentUpdate.Novelty(true, false), false, SOURCE, Optional.empty());

		assertThat(joined.events()).extracting(IncidentEvent::getType).containsExactly(ALERT_ADDED);
		assertThat(joined.state().getLevelDeadlines()).containsEntry("L2", T0.plus(Duration.ofMinutes(15)));
		assertThat(incident(joined).getRespondBy()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
	}

	@Test
	void levelsAreReachedOneByOneEachWithItsReason() {
		IncidentUpdate opened = open(alert("HighErrorRate", Severity.SEV2));

		IncidentUpdate late = reviewed(opened, Duration.ofHours(5));

		assertThat(late.events()).filteredOn((event) -> event.getType() == ESCALATED)
			.extracting(IncidentEvent::getReason)
			.containsExactly("L2 after 10m on the high-error-rate policy's clock",
					"L3 after 1h on the high-error-rate policy's clock",
					"L4 after 4h on the high-error-rate policy's clock");
		assertThat(incident(late).getNextEscalationAt()).as("the last level is reached").isNull();
	}

	@Test
	void anUnacknowledgedIncidentHasItsSeverityRaisedOnceAtItsResponseTime() {
		IncidentUpdate opened = open(alert("HighErrorRate", Severity.SEV2));

		IncidentUpdate due = reviewed(opened, Duration.ofMinutes(5));

		assertThat(due.events()).extracting(IncidentEvent::getType).containsExactly(SEVERITY_CHANGED);
		assertThat(due.events().get(0).getReason())
			.isEqualTo("not acknowledged within 5m (the high-error-rate policy)");
		assertThat(incident(due).getSeverity()).isEqualTo(Severity.SEV1);
		assertThat(reviewed(due, Duration.ofMinutes(6)).events()).isEmpty();
	}

	@Test
	void anAlertLabelledEscalateImmediateIsAtL4AtOnce() {
		IncidentUpdate opened = open(alert("DataLossSuspected", Severity.SEV1, "escalate", "immediate"));

		assertThat(opened.events()).extracting(IncidentEvent::getType)
			.containsExactly(OPENED, ESCALATION_CLOCK_SET, ESCALATED);
		assertThat(opened.events().get(2).getReason())
			.isEqualTo("DataLossSuspected calls for emergency escalation (escalate: immediate)");
		assertThat(incident(opened).getEscalationLevel()).isEqualTo(EscalationLevel.L4);
	}

	@Test
	void aPolicyCanBeImmediate() {
		IncidentPolicy policy = withPolicies("""
				policies:
				  - name: security-breach
				    match: { labels: { alertname: SecurityBreach } }
				    responseTime: 15m
				    immediate: true
				fallback: { SEV1: {}, SEV2: {}, SEV3: {}, SEV4: {} }
				""", BusinessCalendar.DEFAULT);

		IncidentUpdate opened = open(policy, alert("SecurityBreach", Severity.SEV2), T0);

		assertThat(incident(opened).getEscalationLevel()).isEqualTo(EscalationLevel.L4);
		assertThat(opened.events().get(2).getReason())
			.isEqualTo("SecurityBreach calls for emergency escalation (the security-breach policy)");
	}

	@Test
	void aClockCountedFromTheAcknowledgementRestartsWhenSomeoneTakesIt() {
		IncidentPolicy policy = withPolicies("""
				policies:
				  - name: api-slow
				    match: { labels: { alertname: ApiSlow } }
				    responseTime: 30m
				    escalation: { L2: 1h }
				    from: acknowledged
				    whileAcknowledged: true
				    automationWindow: 0s
				fallback: { SEV1: {}, SEV2: {}, SEV3: {}, SEV4: {} }
				""", BusinessCalendar.DEFAULT);
		IncidentUpdate opened = open(policy, alert("ApiSlow", Severity.SEV3), T0);
		IncidentUpdate acknowledged = IncidentUpdate.of(policy, opened.state(), T0.plus(Duration.ofMinutes(20)));

		acknowledged.apply(IncidentCommands.acknowledge(ID).build());

		assertThat(acknowledged.events()).extracting(IncidentEvent::getType)
			.containsExactly(ACKNOWLEDGED, ESCALATION_CLOCK_SET);
		assertThat(incident(acknowledged).getNextEscalationAt()).isEqualTo(T0.plus(Duration.ofMinutes(80)));
	}

	/** Europe/Berlin, Monday to Friday 09:00 to 17:00, Christmas Day off. */
	private static final BusinessCalendar BERLIN = new BusinessCalendar(ZoneId.of("Europe/Berlin"),
			EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(9, 0), LocalTime.of(17, 0),
			Set.of(java.time.LocalDate.parse("2026-12-25")), DayOfWeek.MONDAY);

	static Stream<Arguments> nextBusinessDay() {
		return Stream.of(
				arguments("Friday evening, into the spring DST change", "2026-03-27T17:30:00Z", "2026-03-30T07:00:00Z"),
				arguments("Friday evening, into the autumn DST change", "2026-10-23T17:30:00Z", "2026-10-26T08:00:00Z"),
				arguments("Tuesday night", "2026-11-24T22:30:00Z", "2026-11-25T08:00:00Z"),
				arguments("Christmas Eve, a Thursday", "2026-12-24T12:00:00Z", "2026-12-28T08:00:00Z"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("nextBusinessDay")
	void nextBusinessDayIsTheNextWorkingMorningInTheTeamsZone(String when, String opened, String due) {
		IncidentPolicy policy = withCalendar(BERLIN);

		IncidentUpdate update = open(policy, alert("HighCPUUsage", Severity.SEV3), Instant.parse(opened));

		assertThat(incident(update).getResponsePolicy()).isEqualTo("high-cpu-usage");
		assertThat(incident(update).getRespondBy()).isEqualTo(Instant.parse(due));
	}

	@Test
	void aMediumIncidentNoPolicyCoversEscalatesOnTheNextBusinessDay() {
		// Sunday 10:00 UTC: Monday 09:00 in Berlin is 08:00 UTC.
		IncidentUpdate opened = open(withCalendar(BERLIN), alert("JobsStuck", Severity.SEV3), T0);

		assertThat(incident(opened).getResponsePolicy()).isEqualTo("sev3-fallback");
		assertThat(incident(opened).getRespondBy()).isEqualTo(T0.plus(Duration.ofHours(4)));
		assertThat(opened.state().getLevelDeadlines()).containsEntry("L2", Instant.parse("2026-11-23T08:00:00Z"));
	}

	@Test
	void anOperatorEscalatesOneLevelOrToALevel() {
		IncidentUpdate opened = open(alert("HighErrorRate", Severity.SEV2));
		IncidentUpdate once = at(opened, Duration.ofMinutes(1));
		once.apply(IncidentCommands.escalate(ID, null).by("olivia").build());
		IncidentUpdate toL4 = at(once, Duration.ofMinutes(2));
		toL4.apply(IncidentCommands.escalate(ID, EscalationLevel.L4).by("olivia").build());

		assertThat(once.events()).singleElement().satisfies((event) -> {
			assertThat(event.getType()).isEqualTo(ESCALATED);
			assertThat(event.getActor().getName()).isEqualTo("olivia");
			assertThat(event.getReason()).isEqualTo("escalated to L2 by olivia");
		});
		assertThat(incident(toL4).getEscalationLevel()).isEqualTo(EscalationLevel.L4);
		IncidentUpdate again = at(toL4, Duration.ofMinutes(3));
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> again.apply(IncidentCommands.escalate(ID, null).build()))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo("ALREADY_ESCALATED"));
	}

	@Test
	void anOperatorChangesTheSeverityWithAReasonAndItStands() {
		IncidentUpdate opened = open(alert("HighErrorRate", Severity.SEV2));
		IncidentUpdate lowered = at(opened, Duration.ofMinutes(1));
		lowered.apply(IncidentCommands.changeSeverity(ID, Severity.SEV3, "only the staging canary").build());
		IncidentUpdate joined = at(lowered, Duration.ofMinutes(2));
		joined.alert(alert("ServiceDown", Severity.SEV2), AlertMerge.Change.NEW, true,
				new IncidentUpdate.Novelty(true, false), false, SOURCE, Optional.empty());

		assertThat(lowered.events()).singleElement().satisfies((event) -> {
			assertThat(event.getType()).isEqualTo(SEVERITY_CHANGED);
			assertThat(event.getReason()).isEqualTo("only the staging canary");
			assertThat(event.getActor().getName()).isEqualTo("alice");
			assertThat(event.getDetails()).containsEntry("previous", "SEV2").containsEntry("severity", "SEV3");
		});
		assertThat(incident(joined).getSeverity()).as("the operator's severity stands").isEqualTo(Severity.SEV3);
		IncidentUpdate withoutReason = at(joined, Duration.ofMinutes(3));
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> withoutReason.apply(IncidentCommands.changeSeverity(ID, Severity.SEV1, null).build()))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo("INCOMPLETE_COMMAND"));
	}

	@Test
	void aSnoozeHoldsEscalationUntilItEnds() {
		IncidentUpdate opened = open(alert("HighErrorRate", Severity.SEV2));
		IncidentUpdate snoozed = at(opened, Duration.ofMinutes(1));
		snoozed.apply(IncidentCommands.snooze(ID, T0.plus(Duration.ofMinutes(30))).by("olivia").build());

		assertThat(snoozed.events()).extracting(IncidentEvent::getType).containsExactly(ESCALATION_SNOOZED);
		assertThat(incident(snoozed).getNextEscalationAt()).isEqualTo(T0.plus(Duration.ofMinutes(30)));
		assertThat(reviewed(snoozed, Duration.ofMinutes(29)).events()).extracting(IncidentEvent::getType)
			.doesNotContain(ESCALATED);
		IncidentUpdate ended = reviewed(snoozed, Duration.ofMinutes(30));
		assertThat(ended.events()).filteredOn((event) -> event.getType() == ESCALATED)
			.extracting(IncidentEvent::getReason)
			.containsExactly("L2 after 10m on the high-error-rate policy's clock");
		IncidentUpdate tooLong = at(opened, Duration.ofMinutes(1));
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> tooLong.apply(IncidentCommands.snooze(ID, T0.plus(Duration.ofDays(8))).build()))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo("INVALID_SNOOZE"));
	}

	@Test
	void anIncidentFromBeforeResponsePoliciesIsAdoptedOntoItsSeveritysClock() {
		IncidentUpdate opened = open(alert("HighErrorRate", Severity.SEV2));
		var legacy = opened.state();
		legacy.getIncident().setResponsePolicy(null);
		legacy.getIncident().setRespondBy(null);
		legacy.setLevelDeadlines(Map.of());
		legacy.setEscalatesAt(T0.plus(Duration.ofHours(1)));

		IncidentUpdate adopted = IncidentUpdate.of(POLICY, legacy, T0.plus(Duration.ofMinutes(2)));
		adopted.review(Optional.empty());

		assertThat(adopted.events()).extracting(IncidentEvent::getType).startsWith(ESCALATION_CLOCK_SET);
		assertThat(incident(adopted).getResponsePolicy()).isEqualTo("sev2-fallback");
		assertThat(adopted.state().getLevelDeadlines()).containsEntry("L2", T0.plus(Duration.ofHours(1)));
		assertThat(adopted.state().getEscalatesAt()).isNull();
	}

	@Test
	void aCommentIsNotAnEscalation() {
		IncidentUpdate opened = open(alert("HighErrorRate", Severity.SEV2));
		IncidentUpdate commented = at(opened, Duration.ofMinutes(1));

		commented.apply(IncidentCommands.comment(ID, "looking").build());

		assertThat(commented.events()).extracting(IncidentEvent::getType).containsExactly(COMMENTED);
		assertThat(incident(commented).getNextEscalationAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
	}

	private static IncidentPolicy withPolicies(String yaml, BusinessCalendar calendar) {
		return POLICY.withResponses(ResponsePolicyLoader.parse("test.yaml", yaml, POLICY.severity().responseTimes()))
			.withCalendar(calendar);
	}

	private static IncidentPolicy withCalendar(BusinessCalendar calendar) {
		return POLICY.withCalendar(calendar);
	}

}
