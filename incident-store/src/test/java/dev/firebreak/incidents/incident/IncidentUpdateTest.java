package dev.firebreak.incidents.incident;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.firebreak.schemas.avro.Actor;
import dev.firebreak.schemas.avro.ActorKind;
import dev.firebreak.schemas.avro.AlertSummary;
import dev.firebreak.schemas.avro.AutomationState;
import dev.firebreak.schemas.avro.EscalationLevel;
import dev.firebreak.schemas.avro.Finding;
import dev.firebreak.schemas.avro.IncidentCommand;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.IncidentEventType;
import dev.firebreak.schemas.avro.IncidentState;
import dev.firebreak.schemas.avro.IncidentStatus;
import dev.firebreak.schemas.avro.MaintenanceWindow;
import dev.firebreak.schemas.avro.RemediationStatus;
import dev.firebreak.schemas.avro.Severity;
import dev.firebreak.schemas.fixtures.Alerts;
import dev.firebreak.schemas.fixtures.IncidentCommands;

import static dev.firebreak.schemas.avro.IncidentEventType.ACKNOWLEDGED;
import static dev.firebreak.schemas.avro.IncidentEventType.ALERT_ADDED;
import static dev.firebreak.schemas.avro.IncidentEventType.ALERT_RESOLVED;
import static dev.firebreak.schemas.avro.IncidentEventType.ALERT_UPDATED;
import static dev.firebreak.schemas.avro.IncidentEventType.AUTOMATION_ENDED;
import static dev.firebreak.schemas.avro.IncidentEventType.COMMENTED;
import static dev.firebreak.schemas.avro.IncidentEventType.ESCALATED;
import static dev.firebreak.schemas.avro.IncidentEventType.ESCALATION_CLOCK_SET;
import static dev.firebreak.schemas.avro.IncidentEventType.OPENED;
import static dev.firebreak.schemas.avro.IncidentEventType.REMEDIATION_FAILED;
import static dev.firebreak.schemas.avro.IncidentEventType.REMEDIATION_STARTED;
import static dev.firebreak.schemas.avro.IncidentEventType.RESOLVED;
import static dev.firebreak.schemas.avro.IncidentEventType.SEVERITY_CHANGED;
import static dev.firebreak.schemas.fixtures.Alerts.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The lifecycle rules on plain values, without the topology: what each alert change and
 * each command does to an incident, as tables.
 */
class IncidentUpdateTest {

	private static final IncidentPolicy POLICY = IncidentPolicy.DEFAULT;

	private static final Actor SOURCE = new Actor(ActorKind.ALERT_SOURCE, "alertmanager");

	private static final String ID = "INC-20261122-0001";

	/** The remediation id of runbook restart's first attempt. */
	private static final String RESTART = ID + "/restart/1";

	/** An incident opened at T0 by a critical ServiceDown on api-1 (SEV2). */
	private static IncidentState opened() {
		AlertSummary first = summary(Alerts.firing("ServiceDown").label("instance", "api-1"), Severity.SEV2);
		IncidentUpdate update = IncidentUpdate.open(POLICY, ID, "service=api", Map.of("service", "api"), first, T0);
		update.alert(first, AlertMerge.Change.NEW, true, new IncidentUpdate.Novelty(true, true), false, SOURCE,
				Optional.empty());
		return update.state();
	}

	private static AlertSummary summary(Alerts alert, Severity severity) {
		return AlertMerge.merge(null, alert.label("service", "api").build(), severity).state();
	}

	static Stream<Arguments> alertChanges() {
		AlertSummary second = summary(Alerts.firing("HighErrorRate").label("instance", "api-2"), Severity.SEV3);
		AlertSummary critical = summary(Alerts.firing("DatabaseDown").label("instance", "db-1"), Severity.SEV1);
		AlertSummary firstResolved = summary(Alerts.resolved("ServiceDown").label("instance", "api-1"), Severity.SEV2);
		AlertSummary reannotated = summary(
				Alerts.firing("ServiceDown").label("instance", "api-1").annotation("summary", "still down"),
				Severity.SEV2);
		return Stream.of(
				arguments("another alert joins, with a stricter clock", second, AlertMerge.Change.NEW, true,
						List.of(ALERT_ADDED, ESCALATION_CLOCK_SET), IncidentStatus.OPEN, Severity.SEV2),
				arguments("a more severe alert joins", critical, AlertMerge.Change.NEW, true,
						List.of(ALERT_ADDED, SEVERITY_CHANGED), IncidentStatus.OPEN, Severity.SEV1),
				arguments("its only alert resolves", firstResolved, AlertMerge.Change.RESOLVED, false,
						List.of(ALERT_RESOLVED, RESOLVED), IncidentStatus.RESOLVED, Severity.SEV2),
				arguments("new annotations", reannotated, AlertMerge.Change.UPDATED, false, List.of(ALERT_UPDATED),
						IncidentStatus.OPEN, Severity.SEV2));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("alertChanges")
	void anAlertChange(String what, AlertSummary alert, AlertMerge.Change change, boolean joins,
			List<IncidentEventType> events, IncidentStatus status, Severity severity) {
		IncidentUpdate update = IncidentUpdate.of(POLICY, opened(), T0.plusSeconds(60));

		update.alert(alert, change, joins,
				joins ? new IncidentUpdate.Novelty(true, false) : IncidentUpdate.Novelty.NONE, false, SOURCE,
				Optional.empty());

		assertThat(update.events()).extracting(IncidentEvent::getType).containsExactlyElementsOf(events);
		assertThat(update.state().getIncident().getStatus()).isEqualTo(status);
		assertThat(update.state().getIncident().getSeverity()).isEqualTo(severity);
		assertThat(update.events()).as("after OPENED and its clock")
			.extracting(IncidentEvent::getSequence)
			.containsExactlyElementsOf(Stream.iterate(3L, (n) -> n + 1).limit(events.size()).toList());
	}

	static Stream<Arguments> commands() {
		return Stream.of(arguments("acknowledge", IncidentCommands.acknowledge(ID).by("olivia"), List.of(ACKNOWLEDGED),
				(Consumer<IncidentState>) (state) -> {
					assertThat(state.getIncident().getAcknowledgedBy()).isEqualTo("olivia");
					assertThat(state.getIncident().getNextEscalationAt()).as("no escalation once a person is on it")
						.isNull();
					assertThat(state.getIncident().getAutomation()).isEqualTo(AutomationState.ENDED);
				}),
				arguments("comment", IncidentCommands.comment(ID, "looking").by("olivia"), List.of(COMMENTED),
						(Consumer<IncidentState>) (state) -> assertThat(state.getIncident().getStatus())
							.isEqualTo(IncidentStatus.OPEN)),
				arguments("resolve", IncidentCommands.resolve(ID).by("olivia"), List.of(RESOLVED),
						(Consumer<IncidentState>) (state) -> assertThat(state.getIncident().getResolvedBy())
							.isEqualTo("olivia")),
				arguments("a remediation starts",
						IncidentCommands.remediation(ID, "restart", RemediationStatus.STARTED),
						List.of(REMEDIATION_STARTED, ESCALATION_CLOCK_SET), (Consumer<IncidentState>) (state) -> {
							assertThat(state.getIncident().getEscalationLevel()).isEqualTo(EscalationLevel.L1);
							assertThat(state.getIncident().getAutomation()).isEqualTo(AutomationState.RUNNING);
							assertThat(state.getAutomationUntil()).as("the service-down policy's 15 minutes")
								.isEqualTo(T0.plus(Duration.ofMinutes(15)));
						}),
				arguments("a remediation fails", IncidentCommands.remediation(ID, "restart", RemediationStatus.FAILED),
						List.of(REMEDIATION_FAILED, AUTOMATION_ENDED, SEVERITY_CHANGED, ESCALATED),
						(Consumer<IncidentState>) (state) -> {
							assertThat(state.getIncident().getSeverity()).isEqualTo(Severity.SEV1);
							assertThat(state.getIncident().getEscalationLevel()).isEqualTo(EscalationLevel.L2);
						}),
				arguments("a remediation fails and is retried",
						IncidentCommands.remediation(ID, "restart", RemediationStatus.FAILED)
							.remediationDetail("retrying", "true"),
						List.of(REMEDIATION_FAILED),
						(Consumer<IncidentState>) (state) -> assertThat(state.getIncident().getEscalationLevel())
							.isEqualTo(EscalationLevel.L1)));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("commands")
	void aCommand(String what, IncidentCommands command, List<IncidentEventType> events, Consumer<IncidentState> then) {
		IncidentUpdate update = IncidentUpdate.of(POLICY, opened(), T0.plusSeconds(60));

		update.apply(command.at(T0.plusSeconds(60)).build());

		assertThat(update.events()).extracting(IncidentEvent::getType).containsExactlyElementsOf(events);
		then.accept(update.state());
	}

	static Stream<Arguments> refusals() {
		return Stream.of(arguments("acknowledge", IncidentCommands.acknowledge(ID).build(), "INCIDENT_RESOLVED"),
				arguments("resolve", IncidentCommands.resolve(ID).build(), "INCIDENT_RESOLVED"),
				arguments("a comment without text", commentWithoutText(), "INCOMPLETE_COMMAND"));
	}

	private static IncidentCommand commentWithoutText() {
		IncidentCommand command = IncidentCommands.comment(ID, "x").build();
		command.setComment(null);
		return command;
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("refusals")
	void aCommandThatCannotApplyIsRefusedWithItsReason(String what, IncidentCommand command, String reason) {
		IncidentState state = opened();
		IncidentUpdate resolving = IncidentUpdate.of(POLICY, state, T0.plusSeconds(30));
		resolving.apply(IncidentCommands.resolve(ID).build());
		IncidentUpdate update = IncidentUpdate.of(POLICY, resolving.state(), T0.plusSeconds(60));

		assertThatExceptionOfType(RejectedInputException.class).isThrownBy(() -> update.apply(command))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(reason));
		assertThat(update.events()).isEmpty();
	}

	@Test
	void acknowledgingTwiceChangesNothingTheSecondTime() {
		IncidentUpdate first = IncidentUpdate.of(POLICY, opened(), T0.plusSeconds(10));
		first.apply(IncidentCommands.acknowledge(ID).by("olivia").build());
		IncidentUpdate second = IncidentUpdate.of(POLICY, first.state(), T0.plusSeconds(20));

		second.apply(IncidentCommands.acknowledge(ID).by("bob").build());

		assertThat(second.events()).isEmpty();
		assertThat(second.state().getIncident().getAcknowledgedBy()).isEqualTo("olivia");
	}

	@Test
	void aWindowThatCoversTheIncidentFlagsItAndHoldsItsEscalation() {
		MaintenanceWindow window = IncidentCommands.sundayMaintenance("sunday", "api").build().getMaintenanceWindow();
		IncidentUpdate covered = IncidentUpdate.of(POLICY, opened(), T0.plus(Duration.ofHours(2)));

		covered.review(Optional.of(window));

		assertThat(covered.events()).extracting(IncidentEvent::getType)
			.containsExactly(IncidentEventType.MAINTENANCE_SUPPRESSED);
		assertThat(covered.state().getIncident().getInMaintenance()).isTrue();
		assertThat(covered.state().getIncident().getEscalationLevel()).isEqualTo(EscalationLevel.L1);
		IncidentUpdate ended = IncidentUpdate.of(POLICY, covered.state(), T0.plus(Duration.ofHours(3)));
		ended.review(Optional.empty());
		assertThat(ended.events()).extracting(IncidentEvent::getType)
			.startsWith(IncidentEventType.MAINTENANCE_ENDED, ESCALATION_CLOCK_SET);
		assertThat(ended.events().get(1).getReason()).startsWith("escalation clock restarts as maintenance ends");
		assertThat(ended.state().getIncident().getInMaintenance()).isFalse();
		assertThat(ended.state().getLevelDeadlines()).as("counted from the window's end")
			.containsEntry("L2", T0.plus(Duration.ofHours(3)).plus(Duration.ofMinutes(15)));
	}

	@Test
	void everyEventOfOneUpdateCarriesTheStateTheUpdateLeaves() {
		MaintenanceWindow window = IncidentCommands.sundayMaintenance("sunday", "api").build().getMaintenanceWindow();
		AlertSummary first = summary(Alerts.firing("ServiceDown").label("instance", "api-1"), Severity.SEV2);
		IncidentUpdate update = IncidentUpdate.open(POLICY, ID, "service=api", Map.of("service", "api"), first, T0);

		update.alert(first, AlertMerge.Change.NEW, true, new IncidentUpdate.Novelty(true, true), false, SOURCE,
				Optional.of(window));

		assertThat(update.events()).extracting(IncidentEvent::getType)
			.containsExactly(OPENED, ESCALATION_CLOCK_SET, IncidentEventType.MAINTENANCE_SUPPRESSED);
		assertThat(update.events()).allSatisfy((event) -> {
			assertThat(event.getIncident().getInMaintenance()).isTrue();
			assertThat(event.getIncident().getVersion()).isEqualTo(event.getSequence());
		});
	}

	@Test
	void anOutcomesFindingsAreAttachedNewestFirstAndItsEventSaysWhatWasFound() {
		IncidentUpdate update = IncidentUpdate.of(POLICY, opened(), T0.plusSeconds(60));

		update.apply(outcome(finding(RESTART, "check-health", 50, "GET /health answered 503"),
				finding(RESTART, "read-logs", 55, "api-1 logs: connection refused")));

		assertThat(update.state().getIncident().getFindings())
			.extracting(Finding::getStep, Finding::getSummary, Finding::getOutput, Finding::getCollectedAt)
			.containsExactly(
					tuple("read-logs", "api-1 logs: connection refused", "output of read-logs", T0.plusSeconds(55)),
					tuple("check-health", "GET /health answered 503", "output of check-health", T0.plusSeconds(50)));
		assertThat(update.state().getIncident().getFindings()).allSatisfy((finding) -> {
			assertThat(finding.getRemediationId()).isEqualTo(RESTART);
			assertThat(finding.getRunbookId()).isEqualTo("restart");
			assertThat(finding.getSucceeded()).isTrue();
		});
		assertThat(update.events()).singleElement().satisfies((event) -> {
			assertThat(event.getType()).isEqualTo(IncidentEventType.REMEDIATION_SUCCEEDED);
			assertThat(event.getDetails()).containsEntry("findings", "2")
				.containsEntry("finding.check-health", "GET /health answered 503")
				.containsEntry("finding.read-logs", "api-1 logs: connection refused");
			assertThat(event.getIncident().getFindings()).hasSize(2);
		});
	}

	@Test
	void aSixthFindingDropsTheOldest() {
		IncidentUpdate five = IncidentUpdate.of(POLICY, opened(), T0.plusSeconds(60));
		five.apply(outcome(finding(RESTART, "step-1", 11, "one"), finding(RESTART, "step-2", 12, "two"),
				finding(RESTART, "step-3", 13, "three"), finding(RESTART, "step-4", 14, "four"),
				finding(RESTART, "step-5", 15, "five")));
		IncidentUpdate sixth = IncidentUpdate.of(POLICY, five.state(), T0.plusSeconds(120));

		sixth.apply(outcome(finding(RESTART, "step-6", 100, "six")));

		assertThat(sixth.state().getIncident().getFindings()).extracting(Finding::getSummary)
			.containsExactly("six", "five", "four", "three", "two");
		assertThat(sixth.events()).singleElement()
			.satisfies((event) -> assertThat(event.getDetails()).containsEntry("findings", "1")
				.containsEntry("finding.step-6", "six")
				.doesNotContainKey("finding.step-5"));
	}

	@Test
	void aStepFoundAgainReplacesItsFindingRatherThanAddingOne() {
		String other = ID + "/scale-out/1";
		IncidentUpdate first = IncidentUpdate.of(POLICY, opened(), T0.plusSeconds(60));
		first.apply(outcome(finding(RESTART, "check-health", 50, "GET /health answered 503"),
				finding(other, "check-health", 52, "scale-out: 2 of 4 replicas ready")));
		IncidentUpdate retried = IncidentUpdate.of(POLICY, first.state(), T0.plusSeconds(120));

		retried.apply(outcome(finding(RESTART, "check-health", 110, "GET /health answered 200")));

		assertThat(retried.state().getIncident().getFindings())
			.extracting(Finding::getRemediationId, Finding::getSummary, Finding::getCollectedAt)
			.containsExactly(tuple(RESTART, "GET /health answered 200", T0.plusSeconds(110)),
					tuple(other, "scale-out: 2 of 4 replicas ready", T0.plusSeconds(52)));
	}

	@Test
	void anOutcomeWithoutFindingsLeavesThoseFoundBefore() {
		IncidentUpdate first = IncidentUpdate.of(POLICY, opened(), T0.plusSeconds(60));
		first.apply(outcome(finding(RESTART, "check-health", 50, "GET /health answered 503")));
		IncidentUpdate next = IncidentUpdate.of(POLICY, first.state(), T0.plusSeconds(120));

		next.apply(outcome());

		assertThat(next.state().getIncident().getFindings()).extracting(Finding::getSummary)
			.containsExactly("GET /health answered 503");
		assertThat(next.events()).singleElement()
			.satisfies((event) -> assertThat(event.getDetails()).doesNotContainKey("findings"));
	}

	private static Finding finding(String remediationId, String step, int second, String summary) {
		return Finding.newBuilder()
			.setRemediationId(remediationId)
			.setRunbookId(remediationId.split("/")[1])
			.setStep(step)
			.setSucceeded(true)
			.setSummary(summary)
			.setOutput("output of " + step)
			.setCollectedAt(T0.plusSeconds(second))
			.build();
	}

	/** restart's outcome: succeeded, with what its diagnostic steps found. */
	private static IncidentCommand outcome(Finding... findings) {
		IncidentCommand command = IncidentCommands.remediation(ID, "restart", RemediationStatus.SUCCEEDED).build();
		command.getRemediation().setFindings(List.of(findings));
		return command;
	}

}
