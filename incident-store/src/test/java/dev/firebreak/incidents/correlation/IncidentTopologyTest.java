package dev.firebreak.incidents.correlation;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.firebreak.incidents.heartbeat.Heartbeat;
import dev.firebreak.incidents.incident.AlertBounds;
import dev.firebreak.incidents.incident.IncidentPolicy;
import dev.firebreak.schemas.AvroCodec;
import dev.firebreak.schemas.DeadLetter;
import dev.firebreak.schemas.avro.AlertStatus;
import dev.firebreak.schemas.avro.AutomationState;
import dev.firebreak.schemas.avro.Channel;
import dev.firebreak.schemas.avro.EscalationLevel;
import dev.firebreak.schemas.avro.Finding;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentCommand;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.IncidentEventType;
import dev.firebreak.schemas.avro.IncidentStatus;
import dev.firebreak.schemas.avro.NotificationStatus;
import dev.firebreak.schemas.avro.RemediationStatus;
import dev.firebreak.schemas.avro.Severity;
import dev.firebreak.schemas.fixtures.Alerts;
import dev.firebreak.schemas.fixtures.IncidentCommands;

import static dev.firebreak.schemas.fixtures.Alerts.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every behaviour of the incident topology, driven through the production topology with
 * explicit record times and wall clock.
 */
class IncidentTopologyTest {

	private static final String FIRST = "INC-20261122-0001";

	private final TopologyDriver driver = TopologyDriver.withDefaults();

	@AfterEach
	void close() {
		this.driver.close();
	}

	private static Alerts serviceDown(String service) {
		return Alerts.firing("ServiceDown").label("service", service).label("severity", "critical");
	}

	private static Alerts serviceBack(String service) {
		return Alerts.resolved("ServiceDown").label("service", service).label("severity", "critical");
	}

	private static List<IncidentEventType> types(List<IncidentEvent> events) {
		return events.stream().map(IncidentEvent::getType).toList();
	}

	/**
	 * The events of correlation and the lifecycle, without the escalation clock's own
	 * (EscalationTest, and the automation-first tests here, check those).
	 */
	private static List<IncidentEvent> withoutClock(List<IncidentEvent> events) {
		return events.stream().filter((event) -> event.getType() != IncidentEventType.ESCALATION_CLOCK_SET).toList();
	}

	@Test
	void opensAnIncidentForTheFirstAlertOfAKey() {
		this.driver.send(serviceDown("api").annotation("summary", "api is down"));

		List<IncidentEvent> events = this.driver.events();
		assertThat(types(events)).containsExactly(IncidentEventType.OPENED, IncidentEventType.ESCALATION_CLOCK_SET);
		IncidentEvent opened = events.get(0);
		assertThat(opened.getIncidentId()).isEqualTo(FIRST);
		assertThat(opened.getSequence()).isEqualTo(1);
		assertThat(opened.getAlert().getAlertname()).isEqualTo("ServiceDown");
		Incident incident = this.driver.incident(FIRST);
		assertThat(incident.getTitle()).isEqualTo("ServiceDown: api is down");
		assertThat(incident.getSeverity()).isEqualTo(Severity.SEV2);
		assertThat(incident.getStatus()).isEqualTo(IncidentStatus.OPEN);
		assertThat(incident.getCorrelationKey()).isEqualTo("service=api");
		assertThat(incident.getVersion()).isEqualTo(2);
		assertThat(incident.getResponsePolicy()).isEqualTo("service-down");
		assertThat(incident.getRespondBy()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
		assertThat(incident.getCounts().getAlerts()).isEqualTo(1);
		assertThat(incident.getCounts().getFiring()).isEqualTo(1);
	}

	@Test
	void sameAlertStateDeliveredAgainChangesNothing() {
		this.driver.send(serviceDown("api"));
		this.driver.events();

		this.driver.send(serviceDown("api").receivedAt(T0.plusSeconds(30)),
				serviceDown("api").receivedAt(T0.plusSeconds(60)));

		assertThat(this.driver.events()).isEmpty();
		assertThat(this.driver.incident(FIRST).getVersion()).as("OPENED and its clock").isEqualTo(2);
	}

	@Test
	void repeatedDeliveriesAreCountedWithTheNextChange() {
		this.driver.send(serviceDown("api"));
		this.driver.send(serviceDown("api").receivedAt(T0.plusSeconds(30)),
				serviceDown("api").receivedAt(T0.plusSeconds(60)));
		assertThat(this.driver.incident(FIRST).getCounts().getDeliveries()).isEqualTo(1);

		this.driver.send(serviceDown("api").annotation("value", "1").receivedAt(T0.plusSeconds(90)));

		assertThat(this.driver.incident(FIRST).getCounts().getDeliveries()).isEqualTo(4);
	}

	@Test
	void changedAnnotationsUpdateTheIncidentWithoutAddingAnAlert() {
		this.driver.send(serviceDown("api").annotation("value", "0"));
		this.driver.events();

		this.driver.send(serviceDown("api").annotation("value", "1").receivedAt(T0.plusSeconds(30)));

		List<IncidentEvent> events = this.driver.events();
		assertThat(types(events)).containsExactly(IncidentEventType.ALERT_UPDATED);
		assertThat(events.get(0).getAlert().getAnnotations()).containsEntry("value", "1");
		assertThat(this.driver.incident(FIRST).getCounts().getAlerts()).isEqualTo(1);
	}

	@Test
	void resolvedBeforeFiringConvergesToTheInOrderState() {
		Alerts firing = serviceDown("api");
		Alerts resolved = serviceBack("api").receivedAt(T0.plusSeconds(60));
		Incident inOrder;
		try (TopologyDriver other = TopologyDriver.withDefaults()) {
			other.send(firing.build());
			other.send(resolved.build());
			inOrder = other.incident(FIRST);
		}

		this.driver.send(resolved.build());
		this.driver.send(firing.receivedAt(T0.plusSeconds(61)).build());

		Incident outOfOrder = this.driver.incident(FIRST);
		assertThat(outOfOrder.getStatus()).isEqualTo(IncidentStatus.RESOLVED).isEqualTo(inOrder.getStatus());
		// Deliveries differ: the stale firing is counted but publishes nothing.
		assertThat(outOfOrder.getCounts()).usingRecursiveComparison()
			.ignoringFields("deliveries")
			.isEqualTo(inOrder.getCounts());
		assertThat(outOfOrder.getRecentAlerts().get(0).getStatus()).isEqualTo(AlertStatus.RESOLVED);
		assertThat(outOfOrder.getRecentAlerts().get(0).getStartsAt())
			.isEqualTo(inOrder.getRecentAlerts().get(0).getStartsAt());
		assertThat(outOfOrder.getRecentAlerts().get(0).getEndsAt())
			.isEqualTo(inOrder.getRecentAlerts().get(0).getEndsAt());
	}

	@Test
	void anOldFiringAfterANewerResolveChangesNothing() {
		this.driver.send(serviceDown("api"));
		this.driver.send(serviceBack("api").receivedAt(T0.plusSeconds(60)));
		this.driver.events();

		this.driver.send(serviceDown("api").receivedAt(T0.plusSeconds(90)));

		assertThat(this.driver.events()).isEmpty();
		assertThat(this.driver.incident(FIRST).getStatus()).isEqualTo(IncidentStatus.RESOLVED);
	}

	@Test
	void alertsOfOneServiceAreOneIncidentAcrossAlertNames() {
		this.driver.send(serviceDown("api"));
		this.driver.send(Alerts.firing("HighErrorRate").label("service", "api").label("severity", "warning"));
		this.driver.send(serviceDown("db"));

		List<IncidentEvent> events = withoutClock(this.driver.events());
		assertThat(types(events)).containsExactly(IncidentEventType.OPENED, IncidentEventType.ALERT_ADDED,
				IncidentEventType.OPENED);
		assertThat(events.get(1).getIncidentId()).isEqualTo(FIRST);
		assertThat(events.get(2).getIncidentId()).isNotEqualTo(FIRST).startsWith("INC-20261122-");
		assertThat(this.driver.incident(FIRST).getCounts().getAlerts()).isEqualTo(2);
	}

	@Test
	void sameServiceInTwoClustersIsTwoIncidents() {
		this.driver.send(serviceDown("api").label("cluster", "eu-1"), serviceDown("api").label("cluster", "us-1"));

		assertThat(this.driver.incidents()).extracting(Incident::getCorrelationKey)
			.containsExactlyInAnyOrder("cluster=eu-1,service=api", "cluster=us-1,service=api");
	}

	@Test
	void severityIsTheHighestOfTheAlerts() {
		this.driver.send(Alerts.firing("HighResponseTime").label("service", "api").label("severity", "warning"));
		this.driver.send(serviceDown("api"));

		List<IncidentEvent> events = withoutClock(this.driver.events());
		assertThat(types(events)).containsExactly(IncidentEventType.OPENED, IncidentEventType.ALERT_ADDED,
				IncidentEventType.SEVERITY_CHANGED);
		assertThat(events.get(2).getDetails()).containsEntry("previous", "SEV3").containsEntry("severity", "SEV2");
		assertThat(events.get(2).getReason()).contains("ServiceDown is SEV2");
	}

	@Test
	void explicitPriorityLabelWins() {
		this.driver.send(serviceDown("payments").label("priority", "P0"));

		assertThat(this.driver.incident(FIRST).getSeverity()).isEqualTo(Severity.SEV1);
	}

	@Test
	void blastRadiusRaisesTheSeverityOnce() {
		for (int i = 1; i <= 6; i++) {
			this.driver.send(Alerts.firing("HighResponseTime")
				.label("service", "api")
				.label("severity", "warning")
				.label("instance", "api-" + i + ":8080"));
		}

		List<IncidentEvent> changes = this.driver.events()
			.stream()
			.filter((event) -> event.getType() == IncidentEventType.SEVERITY_CHANGED)
			.toList();
		assertThat(changes).hasSize(1);
		assertThat(changes.get(0).getReason()).startsWith("blast radius: 5 instances");
		assertThat(this.driver.incident(FIRST).getSeverity()).isEqualTo(Severity.SEV2);
		assertThat(this.driver.incident(FIRST).getCounts().getInstances()).isEqualTo(6);
	}

	@Test
	void resolvesWhenAllItsAlertsResolve() {
		this.driver.send(serviceDown("api"), Alerts.firing("HighErrorRate").label("service", "api"));
		this.driver.send(serviceBack("api").receivedAt(T0.plusSeconds(60)));
		assertThat(this.driver.incident(FIRST).getStatus()).isEqualTo(IncidentStatus.OPEN);

		this.driver.send(Alerts.resolved("HighErrorRate").label("service", "api").receivedAt(T0.plusSeconds(90)));

		List<IncidentEvent> events = this.driver.events();
		assertThat(types(events)).endsWith(IncidentEventType.ALERT_RESOLVED, IncidentEventType.ALERT_RESOLVED,
				IncidentEventType.RESOLVED);
		Incident incident = this.driver.incident(FIRST);
		assertThat(incident.getStatus()).isEqualTo(IncidentStatus.RESOLVED);
		assertThat(incident.getResolvedBy()).isEqualTo("incident-store");
		assertThat(incident.getResolvedAt()).isEqualTo(T0.plusSeconds(90));
	}

	@Test
	void reopensWhenAnAlertFiresAgainWithinTheReopenWindow() {
		this.driver.send(serviceDown("api"));
		this.driver.send(serviceBack("api").receivedAt(T0.plusSeconds(60)));
		this.driver.events();

		this.driver.send(serviceDown("api").startsAt(T0.plusSeconds(300)).receivedAt(T0.plusSeconds(300)));

		List<IncidentEvent> events = this.driver.events();
		assertThat(types(events)).containsExactly(IncidentEventType.REOPENED, IncidentEventType.ESCALATION_CLOCK_SET);
		assertThat(events.get(1).getReason()).startsWith("escalation clock restarts as the incident reopens");
		Incident incident = this.driver.incident(FIRST);
		assertThat(incident.getStatus()).isEqualTo(IncidentStatus.OPEN);
		assertThat(incident.getReopenCount()).isEqualTo(1);
		assertThat(incident.getResolvedAt()).isNull();
	}

	@Test
	void opensANewIncidentWhenAnAlertFiresAfterTheReopenWindow() {
		this.driver.send(serviceDown("api"));
		this.driver.send(serviceBack("api").receivedAt(T0.plusSeconds(60)));
		this.driver.events();

		Instant later = T0.plusSeconds(60).plus(Duration.ofMinutes(11));
		this.driver.send(serviceDown("api").startsAt(later).receivedAt(later));

		List<IncidentEvent> events = withoutClock(this.driver.events());
		assertThat(types(events)).containsExactly(IncidentEventType.OPENED);
		assertThat(events.get(0).getIncidentId()).isNotEqualTo(FIRST);
		assertThat(this.driver.incident(FIRST).getStatus()).isEqualTo(IncidentStatus.RESOLVED);
	}

	@Test
	void operatorCommandsBecomeEvents() {
		this.driver.send(serviceDown("api"));
		this.driver.send(IncidentCommands.assign(FIRST, "bob").at(T0.plusSeconds(10)).build());
		this.driver.send(IncidentCommands.acknowledge(FIRST).by("bob").at(T0.plusSeconds(20)).build());
		this.driver.send(IncidentCommands.comment(FIRST, "restarting api").by("bob").at(T0.plusSeconds(30)).build());
		this.driver.send(IncidentCommands.resolve(FIRST).by("bob").at(T0.plusSeconds(40)).build());

		List<IncidentEvent> events = withoutClock(this.driver.events());
		assertThat(types(events)).containsExactly(IncidentEventType.OPENED, IncidentEventType.ASSIGNED,
				IncidentEventType.ACKNOWLEDGED, IncidentEventType.COMMENTED, IncidentEventType.RESOLVED);
		assertThat(events.get(3).getReason()).isEqualTo("restarting api");
		assertThat(events.get(2).getActor().getName()).isEqualTo("bob");
		assertThat(events).extracting(IncidentEvent::getSequence).containsExactly(1L, 3L, 4L, 5L, 6L);
		Incident incident = this.driver.incident(FIRST);
		assertThat(incident.getAssignee()).isEqualTo("bob");
		assertThat(incident.getAcknowledgedBy()).isEqualTo("bob");
		assertThat(incident.getResolvedBy()).isEqualTo("bob");
		assertThat(incident.getStatus()).isEqualTo(IncidentStatus.RESOLVED);
	}

	@Test
	void aCommandIsAppliedOnce() {
		this.driver.send(serviceDown("api"));
		this.driver.events();

		var comment = IncidentCommands.comment(FIRST, "looking").commandId("cmd-1").at(T0.plusSeconds(5)).build();
		this.driver.send(comment);
		this.driver.send(comment);

		assertThat(types(this.driver.events())).containsExactly(IncidentEventType.COMMENTED);
		assertThat(this.driver.commandsDeadLetters()).isEmpty();
	}

	@Test
	void aCommandForAnUnknownIncidentGoesToTheDeadLetterTopicWithItsReason() {
		this.driver.send(IncidentCommands.acknowledge("INC-20261122-0042").at(T0).build());

		List<TestRecord<byte[], byte[]>> dead = this.driver.commandsDeadLetters();
		assertThat(dead).hasSize(1);
		assertThat(DeadLetter.header(dead.get(0).headers(), DeadLetter.REASON)).isEqualTo("UNKNOWN_INCIDENT");
		assertThat(DeadLetter.header(dead.get(0).headers(), DeadLetter.MESSAGE)).contains("INC-20261122-0042");
		assertThat(AvroCodec.of(IncidentCommand.class).decode(dead.get(0).value()).getIncidentId())
			.as("the command as it was sent")
			.isEqualTo("INC-20261122-0042");
		assertThat(this.driver.events()).isEmpty();
	}

	@Test
	void acknowledgingAResolvedIncidentIsRefusedWithTheReason() {
		this.driver.send(serviceDown("api"));
		this.driver.send(IncidentCommands.resolve(FIRST).at(T0.plusSeconds(10)).build());
		this.driver.events();

		this.driver.send(IncidentCommands.acknowledge(FIRST).at(T0.plusSeconds(20)).build());

		assertThat(this.driver.events()).isEmpty();
		assertThat(this.driver.commandsDeadLetters()).singleElement()
			.satisfies((dead) -> assertThat(DeadLetter.header(dead.headers(), DeadLetter.REASON))
				.isEqualTo("INCIDENT_RESOLVED"));
	}

	@Test
	void remediationAndNotificationOutcomesBecomeEvents() {
		this.driver.send(serviceDown("api"));
		this.driver.events();

		this.driver.send(IncidentCommands.remediation(FIRST, "restart-service", RemediationStatus.SUCCEEDED)
			.at(T0.plusSeconds(10))
			.build());
		this.driver.send(IncidentCommands.notification(FIRST, Channel.SLACK, NotificationStatus.SENT, 1)
			.at(T0.plusSeconds(11))
			.build());

		List<IncidentEvent> events = this.driver.events();
		assertThat(types(events)).containsExactly(IncidentEventType.REMEDIATION_SUCCEEDED,
				IncidentEventType.NOTIFICATION_SENT);
		assertThat(events.get(0).getDetails()).containsEntry("runbook", "restart-service");
		assertThat(events.get(1).getDetails()).containsEntry("channel", "SLACK").containsEntry("eventSequence", "1");
	}

	@Test
	void aFailedRemediationRaisesTheSeverityAndEscalates() {
		this.driver.send(serviceDown("api"));
		this.driver.events();

		this.driver.send(IncidentCommands.remediation(FIRST, "restart-service", RemediationStatus.FAILED)
			.at(T0.plusSeconds(10))
			.build());

		List<IncidentEvent> events = this.driver.events();
		assertThat(types(events)).containsExactly(IncidentEventType.REMEDIATION_FAILED,
				IncidentEventType.AUTOMATION_ENDED, IncidentEventType.SEVERITY_CHANGED, IncidentEventType.ESCALATED);
		assertThat(events.get(1).getReason()).isEqualTo("runbook restart-service failed: people are paged");
		Incident incident = this.driver.incident(FIRST);
		assertThat(incident.getSeverity()).isEqualTo(Severity.SEV1);
		assertThat(incident.getEscalationLevel()).isEqualTo(EscalationLevel.L2);
	}

	@Test
	void aFailureTheEngineRetriesOrWasToldNotToEscalateIsOnlyRecorded() {
		this.driver.send(serviceDown("api"));
		this.driver.events();

		this.driver.send(IncidentCommands.remediation(FIRST, "restart-service", RemediationStatus.FAILED)
			.remediationDetail("retrying", "true")
			.at(T0.plusSeconds(10))
			.build());
		this.driver.send(IncidentCommands.remediation(FIRST, "scale-out", RemediationStatus.FAILED)
			.remediationDetail("escalate", "false")
			.at(T0.plusSeconds(20))
			.build());

		assertThat(types(this.driver.events())).containsExactly(IncidentEventType.REMEDIATION_FAILED,
				IncidentEventType.REMEDIATION_FAILED);
		assertThat(this.driver.incident(FIRST).getEscalationLevel()).isEqualTo(EscalationLevel.L1);
	}

	@Test
	void withoutARunbookPeopleArePagedAfterTheGraceAndEscalationFollowsThePolicysClock() {
		this.driver.send(serviceDown("api"));
		assertThat(this.driver.events().get(0).getIncident().getAutomation()).as("the notifier holds its pages")
			.isEqualTo(AutomationState.WAITING);

		this.driver.wallClockAt(T0.plusSeconds(25));
		assertThat(this.driver.events()).isEmpty();
		this.driver.wallClockAt(T0.plusSeconds(35));
		List<IncidentEvent> handedOver = this.driver.events();
		assertThat(types(handedOver)).containsExactly(IncidentEventType.AUTOMATION_ENDED);
		assertThat(handedOver.get(0).getReason()).isEqualTo("no runbook answered within 30s: people are paged");

		this.driver.wallClockAt(T0.plus(Duration.ofMinutes(5)));
		List<IncidentEvent> unanswered = this.driver.events();
		assertThat(types(unanswered)).containsExactly(IncidentEventType.SEVERITY_CHANGED);
		assertThat(unanswered.get(0).getReason()).isEqualTo("not acknowledged within 5m (the service-down policy)");
		this.driver.wallClockAt(T0.plus(Duration.ofMinutes(14)));
		assertThat(this.driver.events()).isEmpty();
		this.driver.wallClockAt(T0.plus(Duration.ofMinutes(15)));
		List<IncidentEvent> escalated = this.driver.events();
		assertThat(types(escalated)).containsExactly(IncidentEventType.ESCALATED);
		assertThat(escalated.get(0).getReason()).isEqualTo("L2 after 15m on the service-down policy's clock");
		assertThat(escalated.get(0).getDetails()).containsEntry("level", "L2");
		assertThat(this.driver.incident(FIRST).getNextEscalationAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
	}

	@Test
	void everyTimerDueInATickIsReviewedInThatTickAndOneSetBehindTheScanIsNotMissed() {
		// 1,100 incidents whose automation grace ends at the same moment: one tick hands
		// them all over (a tick used to review 1,000, and the rest waited 5 s a
		// thousand).
		for (int n = 1; n <= 1100; n++) {
			this.driver.send(serviceDown("svc-" + n));
		}
		this.driver.events();
		this.driver.advanceWallClock(Duration.ofSeconds(35));
		assertThat(this.driver.events()).filteredOn((event) -> event.getType() == IncidentEventType.AUTOMATION_ENDED)
			.hasSize(1100);

		// An alert received late, stamped before the timers the tick just spent: its
		// grace timer lies behind where the scan resumes, and is still found.
		this.driver.send(serviceDown("late").receivedAt(T0.minusSeconds(10)));
		assertThat(types(this.driver.events())).startsWith(IncidentEventType.OPENED);
		this.driver.advanceWallClock(Duration.ofSeconds(5));
		List<IncidentEvent> handedOver = this.driver.events();
		assertThat(handedOver).filteredOn((event) -> event.getType() == IncidentEventType.AUTOMATION_ENDED)
			.singleElement()
			.satisfies(
					(event) -> assertThat(event.getIncident().getCorrelationLabels()).containsEntry("service", "late"));
	}

	@Test
	void aRunbookThatFixesItInTimePagesNobody() {
		this.driver.send(serviceDown("api"));
		this.driver.send(IncidentCommands.remediation(FIRST, "restart-service", RemediationStatus.STARTED)
			.at(T0.plusSeconds(5))
			.build());
		this.driver.send(IncidentCommands.remediation(FIRST, "restart-service", RemediationStatus.SUCCEEDED)
			.at(T0.plusSeconds(60))
			.build());
		this.driver.send(serviceBack("api").receivedAt(T0.plusSeconds(90)));

		this.driver.wallClockAt(T0.plus(Duration.ofHours(1)));

		List<IncidentEvent> events = this.driver.events();
		assertThat(types(events)).containsExactly(IncidentEventType.OPENED, IncidentEventType.ESCALATION_CLOCK_SET,
				IncidentEventType.REMEDIATION_STARTED, IncidentEventType.ESCALATION_CLOCK_SET,
				IncidentEventType.REMEDIATION_SUCCEEDED, IncidentEventType.ALERT_RESOLVED, IncidentEventType.RESOLVED);
		assertThat(events.get(3).getReason()).startsWith(
				"automation first: runbook restart-service answers; people are paged at 2026-11-22T10:15:00Z if the "
						+ "incident is still unresolved");
		assertThat(events).filteredOn((event) -> event.getIncident().getStatus() != IncidentStatus.RESOLVED)
			.allSatisfy((event) -> assertThat(event.getIncident().getAutomation()).isIn(AutomationState.WAITING,
					AutomationState.RUNNING));
		assertThat(this.driver.incident(FIRST).getEscalationLevel()).isEqualTo(EscalationLevel.L1);
		assertThat(this.driver.incident(FIRST).getSeverity()).isEqualTo(Severity.SEV2);
	}

	@Test
	void aRunbookThatFailsPagesAtOnce() {
		this.driver.send(serviceDown("api"));
		this.driver.send(IncidentCommands.remediation(FIRST, "restart-service", RemediationStatus.STARTED)
			.at(T0.plusSeconds(5))
			.build());
		this.driver.events();

		this.driver.send(IncidentCommands.remediation(FIRST, "restart-service", RemediationStatus.FAILED)
			.at(T0.plus(Duration.ofMinutes(2)))
			.build());

		List<IncidentEvent> events = this.driver.events();
		assertThat(types(events)).containsExactly(IncidentEventType.REMEDIATION_FAILED,
				IncidentEventType.AUTOMATION_ENDED, IncidentEventType.SEVERITY_CHANGED, IncidentEventType.ESCALATED);
		assertThat(events.get(1).getIncident().getAutomation()).isEqualTo(AutomationState.ENDED);
	}

	@Test
	void aRunbookThatSucceedsWhileTheAlertStaysFiringPagesWhenTheAutomationWindowEnds() {
		this.driver.send(serviceDown("api"));
		this.driver.send(IncidentCommands.remediation(FIRST, "restart-service", RemediationStatus.STARTED)
			.at(T0.plusSeconds(5))
			.build());
		this.driver.send(IncidentCommands.remediation(FIRST, "restart-service", RemediationStatus.SUCCEEDED)
			.at(T0.plus(Duration.ofMinutes(3)))
			.build());
		this.driver.events();

		this.driver.wallClockAt(T0.plus(Duration.ofMinutes(14)));
		assertThat(this.driver.events()).as("automation still has its turn").isEmpty();
		this.driver.wallClockAt(T0.plus(Duration.ofMinutes(15)));

		List<IncidentEvent> events = this.driver.events();
		assertThat(types(events)).containsExactly(IncidentEventType.AUTOMATION_ENDED, IncidentEventType.ESCALATED,
				IncidentEventType.SEVERITY_CHANGED);
		assertThat(events.get(0).getReason())
			.isEqualTo("the automation window of 15m passed with the incident unresolved: people are paged");
		assertThat(events.get(1).getDetails()).as("the escalation says what automation tried")
			.containsEntry("automation", "runbook restart-service succeeded");
	}

	@Test
	void anAcknowledgedIncidentDoesNotEscalate() {
		this.driver.send(serviceDown("api"));
		this.driver.send(IncidentCommands.acknowledge(FIRST).at(T0.plusSeconds(30)).build());
		this.driver.events();

		this.driver.wallClockAt(T0.plus(Duration.ofHours(3)));

		assertThat(this.driver.events()).isEmpty();
		assertThat(this.driver.incident(FIRST).getEscalationLevel()).isEqualTo(EscalationLevel.L1);
	}

	@Test
	void anAlertThatKeepsChangingStateMarksItsIncidentFlappingUntilItIsQuiet() {
		Instant at = T0;
		for (int i = 0; i < 2; i++) {
			this.driver.send(serviceDown("api").startsAt(at).receivedAt(at));
			at = at.plus(Duration.ofMinutes(2));
			this.driver.send(serviceBack("api").startsAt(at.minus(Duration.ofMinutes(2))).endsAt(at).receivedAt(at));
			at = at.plus(Duration.ofMinutes(2));
		}

		List<IncidentEvent> events = this.driver.events();
		assertThat(types(events)).contains(IncidentEventType.FLAPPING_STARTED);
		assertThat(events.stream().map(IncidentEvent::getIncidentId).distinct()).containsExactly(FIRST);
		assertThat(this.driver.incident(FIRST).getFlapping()).isTrue();

		this.driver.wallClockAt(at.plus(Duration.ofMinutes(25)));
		assertThat(types(this.driver.events())).doesNotContain(IncidentEventType.FLAPPING_STOPPED);
		this.driver.wallClockAt(at.plus(Duration.ofMinutes(30)));
		assertThat(types(this.driver.events())).containsExactly(IncidentEventType.FLAPPING_STOPPED);
		assertThat(this.driver.incident(FIRST).getFlapping()).isFalse();
	}

	@Test
	void anIncidentInAMaintenanceWindowIsFlaggedAndDoesNotEscalate() {
		// 2026-11-22 is a Sunday; seed 000's window runs 02:00-04:00 UTC.
		Instant sunday = Instant.parse("2026-11-22T02:30:00Z");
		this.driver.send(IncidentCommands.sundayMaintenance("sunday", "db").at(sunday.minusSeconds(60)).build());
		this.driver.send(serviceDown("db").startsAt(sunday).receivedAt(sunday));

		List<IncidentEvent> events = withoutClock(this.driver.events());
		assertThat(types(events)).containsExactly(IncidentEventType.OPENED, IncidentEventType.MAINTENANCE_SUPPRESSED);
		assertThat(events.get(1).getReason()).contains("Weekly maintenance");
		// The event consumers act on already says so: nothing remediates or pages it.
		assertThat(events).allSatisfy((event) -> {
			assertThat(event.getIncident().getInMaintenance()).isTrue();
			assertThat(event.getIncident().getMaintenanceWindowId()).isEqualTo("sunday");
			assertThat(event.getIncident().getVersion()).isEqualTo(event.getSequence());
		});
		Incident incident = this.driver.incident(events.get(0).getIncidentId());
		assertThat(incident.getInMaintenance()).isTrue();
		assertThat(incident.getMaintenanceWindowId()).isEqualTo("sunday");
		this.driver.wallClockAt(sunday.plus(Duration.ofMinutes(20)));
		assertThat(types(this.driver.events())).isEmpty();
	}

	@Test
	void theEventThatStartsFlappingSaysItFlapsAlready() {
		Instant at = T0;
		List<IncidentEvent> events = new java.util.ArrayList<>();
		for (int i = 0; i < 2; i++) {
			this.driver.send(serviceDown("api").startsAt(at).receivedAt(at));
			at = at.plus(Duration.ofMinutes(2));
			this.driver.send(serviceBack("api").startsAt(at.minus(Duration.ofMinutes(2))).endsAt(at).receivedAt(at));
			at = at.plus(Duration.ofMinutes(2));
			events.addAll(this.driver.events());
		}

		int flapping = types(events).indexOf(IncidentEventType.FLAPPING_STARTED);
		IncidentEvent refired = events.get(flapping - 1);
		assertThat(refired.getType()).isIn(IncidentEventType.REOPENED, IncidentEventType.ALERT_UPDATED,
				IncidentEventType.ALERT_RESOLVED, IncidentEventType.RESOLVED);
		assertThat(refired.getIncident().getFlapping()).isTrue();
	}

	@Test
	void theEventOfAnAlertThatWidensTheBlastRadiusCarriesTheRaisedSeverity() {
		for (int i = 1; i <= 5; i++) {
			this.driver.send(serviceDown("api").label("instance", "api-" + i).label("severity", "warning"));
		}

		List<IncidentEvent> events = this.driver.events();
		IncidentEvent fifth = events.stream()
			.filter((event) -> event.getType() == IncidentEventType.ALERT_ADDED)
			.reduce((first, second) -> second)
			.orElseThrow();
		assertThat(fifth.getIncident().getSeverity()).isEqualTo(Severity.SEV2);
		assertThat(types(events)).endsWith(IncidentEventType.ALERT_ADDED, IncidentEventType.SEVERITY_CHANGED);
	}

	@Test
	void theMaintenanceFlagClearsWhenTheWindowEnds() {
		IncidentCommand oneOff = IncidentCommands.sundayMaintenance("upgrade", "db").at(T0.minusSeconds(60)).build();
		oneOff.getMaintenanceWindow().setRecurrence(null);
		oneOff.getMaintenanceWindow().setStartsAt(T0.minus(Duration.ofHours(1)));
		oneOff.getMaintenanceWindow().setEndsAt(T0.plus(Duration.ofMinutes(1)));
		this.driver.send(oneOff);
		this.driver.send(serviceDown("db"));
		List<IncidentEvent> events = withoutClock(this.driver.events());
		assertThat(types(events)).containsExactly(IncidentEventType.OPENED, IncidentEventType.MAINTENANCE_SUPPRESSED);

		this.driver.advanceWallClock(Duration.ofMinutes(2));

		// People hear of it as the window ends (the notifier's MAINTENANCE_ENDED), and
		// its
		// clock starts again.
		List<IncidentEvent> ended = this.driver.events();
		assertThat(types(ended)).containsExactly(IncidentEventType.MAINTENANCE_ENDED,
				IncidentEventType.ESCALATION_CLOCK_SET);
		assertThat(ended.get(0).getIncident().getAutomation()).isEqualTo(AutomationState.ENDED);
		this.driver.advanceWallClock(Duration.ofMinutes(1));
		assertThat(this.driver.events()).isEmpty();
		assertThat(this.driver.incident(events.get(0).getIncidentId()).getInMaintenance()).isFalse();
	}

	@Test
	void aWindowAddedByCommandFlagsIncidentsAlreadyOpen() {
		Instant sunday = Instant.parse("2026-11-22T02:30:00Z");
		this.driver.send(serviceDown("db").startsAt(sunday).receivedAt(sunday));
		this.driver.events();

		this.driver.send(IncidentCommands.sundayMaintenance("sunday", "db").at(sunday.plusSeconds(60)).build());

		assertThat(types(this.driver.events())).containsExactly(IncidentEventType.MAINTENANCE_SUPPRESSED);
	}

	@Test
	void undecodableAlertsGoToTheDeadLetterTopicAndProcessingGoesOn() {
		this.driver.sendRawAlert("fp".getBytes(StandardCharsets.UTF_8),
				"{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8));
		this.driver.sendRawAlert("fp".getBytes(StandardCharsets.UTF_8), null);
		this.driver.send(serviceDown("api"));

		List<TestRecord<byte[], byte[]>> dead = this.driver.alertsDeadLetters();
		assertThat(dead).extracting((record) -> DeadLetter.header(record.headers(), DeadLetter.REASON))
			.containsExactly("BAD_MARKER", "EMPTY");
		assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{\"not\":\"avro\"}");
		assertThat(DeadLetter.header(dead.get(0).headers(), DeadLetter.SOURCE_TOPIC)).isEqualTo("firebreak.alerts");
		assertThat(types(withoutClock(this.driver.events()))).containsExactly(IncidentEventType.OPENED);
	}

	@Test
	void undecodableCommandsGoToTheCommandsDeadLetterTopic() {
		this.driver.sendRawCommand("INC-1".getBytes(StandardCharsets.UTF_8),
				new byte[] { (byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9 });

		assertThat(this.driver.commandsDeadLetters()).singleElement()
			.satisfies((dead) -> assertThat(DeadLetter.header(dead.headers(), DeadLetter.REASON)).isIn("MALFORMED",
					"UNKNOWN_SCHEMA"));
	}

	@Test
	void aStormOfOneKeyKeepsTheRecordBoundedAndTheCountsExact() {
		// The test driver flushes RocksDB after every record; the 100k storm runs on the
		// broker in IncidentStoreIntegrationTest.
		int alerts = 300;
		for (int i = 0; i < alerts; i++) {
			this.driver.send(Alerts.firing("DiskSpaceHigh")
				.label("service", "storage")
				.label("instance", "node-" + (i % 50))
				.label("mountpoint", "/data/" + i)
				.receivedAt(T0.plusMillis(i))
				.build());
			if (i % 100 == 0) {
				this.driver.events();
			}
		}

		Incident incident = this.driver.incident(FIRST);
		assertThat(this.driver.incidents()).hasSize(1);
		assertThat(incident.getCounts().getAlerts()).isEqualTo(alerts);
		assertThat(incident.getCounts().getFiring()).isEqualTo(alerts);
		assertThat(incident.getCounts().getInstances()).isEqualTo(50);
		assertThat(incident.getFirstAlerts()).hasSize(5);
		assertThat(incident.getFirstAlerts().get(0).getLabels()).containsEntry("mountpoint", "/data/0");
		assertThat(incident.getRecentAlerts()).hasSize(5);
		assertThat(incident.getRecentAlerts().get(0).getLabels()).containsEntry("mountpoint", "/data/" + (alerts - 1));
	}

	@Test
	void theLargestIncidentAnyAlertsCanMakeFitsOneKafkaRecord() {
		IncidentPolicy keepsMost = IncidentPolicy.DEFAULT.withAlertsKept(AlertBounds.maxAlertsKept());
		TopologyDriver widest = new TopologyDriver(new IncidentTopology.Settings(Grouping.DEFAULT_GROUPING, keepsMost,
				6, Duration.ofSeconds(5), Duration.ofDays(7), List.of(), Heartbeat.DEFAULT, false));
		try (widest) {
			String nearlyAllTheLabels = "\u00e9".repeat(AlertBounds.MAX_LABEL_BYTES / 2 - 200);
			for (int i = 0; i < 3 * AlertBounds.maxAlertsKept(); i++) {
				Alerts alert = Alerts.firing("DiskSpaceHigh")
					.label("service", "storage")
					.label("mountpoint", "/data/" + i)
					.label("padding", nearlyAllTheLabels)
					.generatorUrl("http://prometheus/" + "u".repeat(10_000));
				for (int a = 0; a < 20; a++) {
					alert.annotation("note" + a, "\u20ac".repeat(5_000));
				}
				widest.send(alert);
			}

			List<IncidentEvent> events = new ArrayList<>(widest.events());
			String id = events.get(0).getIncidentId();
			widest.send(outcomeWithTheLargestFindings(id));
			events.addAll(widest.events());
			Incident incident = widest.incident(id);
			assertThat(incident.getFirstAlerts()).hasSize(AlertBounds.maxAlertsKept());
			assertThat(incident.getFindings()).hasSize(AlertBounds.MAX_FINDINGS)
				.allSatisfy((finding) -> assertThat(finding.getOutput()).hasSize(AlertBounds.MAX_FINDING_OUTPUT_LENGTH)
					.endsWith("…"));
			assertThat(incident.getRecentAlerts().get(0).getAnnotations()).hasSize(AlertBounds.MAX_ANNOTATIONS)
				.allSatisfy(
						(name, value) -> assertThat(value).hasSize(AlertBounds.MAX_ANNOTATION_LENGTH).endsWith("…"));
			assertThat(AvroCodec.of(Incident.class).encode(incident).length).isLessThan(AlertBounds.MAX_RECORD_BYTES);
			assertThat(events).allSatisfy((event) -> assertThat(AvroCodec.of(IncidentEvent.class).encode(event).length)
				.isLessThan(AlertBounds.MAX_RECORD_BYTES));
		}
	}

	/** A remediation outcome with more findings than an incident keeps, each too long. */
	private static IncidentCommand outcomeWithTheLargestFindings(String incidentId) {
		IncidentCommand outcome = IncidentCommands.remediation(incidentId, "restart-service", RemediationStatus.FAILED)
			.at(T0.plusSeconds(60))
			.build();
		List<Finding> findings = new ArrayList<>();
		for (int i = 0; i < AlertBounds.MAX_FINDINGS + 2; i++) {
			findings.add(Finding.newBuilder()
				.setRemediationId("\u20ac".repeat(1_000))
				.setRunbookId("\u20ac".repeat(1_000))
				.setStep(i + "\u20ac".repeat(1_000))
				.setSucceeded(false)
				.setSummary("\u20ac".repeat(10_000))
				.setOutput("\u20ac".repeat(50_000))
				.setCollectedAt(T0.plusSeconds(i))
				.build());
		}
		outcome.getRemediation().setFindings(findings);
		return outcome;
	}

	@Test
	void anAlertWhoseLabelsAreTooLargeToKeepGoesToTheDeadLetterTopicAndTheNextIsKept() {
		this.driver.send(serviceDown("huge").label("padding", "x".repeat(AlertBounds.MAX_LABEL_BYTES)));
		this.driver.send(serviceDown("after"));

		assertThat(this.driver.alertsDeadLetters()).singleElement()
			.satisfies((dead) -> assertThat(DeadLetter.header(dead.headers(), DeadLetter.REASON))
				.isEqualTo("ALERT_TOO_LARGE"));
		assertThat(withoutClock(this.driver.events())).singleElement()
			.satisfies((event) -> assertThat(event.getIncident().getCorrelationKey()).contains("after"));
	}

	@Test
	void aChangeOfSeveralEventsPublishesTheIncidentOnceInTheStateOfItsLast() {
		this.driver.send(serviceDown("api"));

		List<IncidentEvent> events = this.driver.events();
		assertThat(types(events)).hasSizeGreaterThan(1).startsWith(IncidentEventType.OPENED);
		IncidentEvent last = events.get(events.size() - 1);
		assertThat(this.driver.incidentRecords()).singleElement().satisfies((incident) -> {
			assertThat(incident.getVersion()).isEqualTo(last.getSequence());
			assertThat(incident).isEqualTo(last.getIncident());
		});

		this.driver.send(IncidentCommands.acknowledge(FIRST).at(T0.plusSeconds(30)).build());
		assertThat(this.driver.incidentRecords()).singleElement()
			.satisfies((incident) -> assertThat(incident.getStatus()).isEqualTo(IncidentStatus.ACKNOWLEDGED));
	}

	@Test
	void anExpiredIncidentLeavesNoAlertOrMemberBehind() {
		this.driver.send(serviceDown("api"));
		this.driver.send(serviceBack("api").resolvedAt(T0.plusSeconds(60)).receivedAt(T0.plusSeconds(60)));
		assertThat(this.driver.incident(FIRST).getStatus()).isEqualTo(IncidentStatus.RESOLVED);
		assertThat(this.driver.storeKeys(IncidentTopology.ALERTS)).hasSize(1);
		assertThat(this.driver.storeKeys(IncidentTopology.MEMBERS)).hasSize(1);

		// The tick that forgets the incident, then the next, whose sweep finds its alert.
		this.driver.advanceWallClock(Duration.ofDays(7).plusMinutes(2));
		this.driver.advanceWallClock(Duration.ofSeconds(5));

		assertThat(this.driver.storeKeys(IncidentTopology.INCIDENTS)).isEmpty();
		assertThat(this.driver.storeKeys(IncidentTopology.MEMBERS)).isEmpty();
		assertThat(this.driver.storeKeys(IncidentTopology.ALERTS)).isEmpty();
	}

	@Test
	void theSweepGoesRoundTheTrackedAlertsInSlicesAndKeepsThoseOfLiveIncidents() {
		try (TopologyDriver sliced = new TopologyDriver(IncidentTopology.Settings.defaults(6).withSweepBatch(10))) {
			for (int instance = 0; instance < 25; instance++) {
				sliced.send(serviceDown("api").label("instance", "api-" + instance));
			}
			sliced.send(IncidentCommands.resolve(FIRST).at(T0.plusSeconds(10)).build());
			Instant later = T0.plus(Duration.ofDays(7)).plus(Duration.ofMinutes(1));
			Alerts db = serviceDown("db").startsAt(later).receivedAt(later);
			sliced.send(db);
			assertThat(sliced.storeKeys(IncidentTopology.ALERTS)).hasSize(26);

			// The tick that forgets the api incident; then 10 alerts a tick: the rest of
			// the round begun at start, and a round of 3 slices.
			sliced.advanceWallClock(Duration.ofDays(7).plusMinutes(2));
			sliced.advanceWallClock(Duration.ofSeconds(5));
			assertThat(sliced.storeKeys(IncidentTopology.ALERTS)).hasSizeGreaterThan(1);
			for (int tick = 0; tick < 4; tick++) {
				sliced.advanceWallClock(Duration.ofSeconds(5));
			}

			assertThat(sliced.storeKeys(IncidentTopology.ALERTS)).containsExactly(db.build().getFingerprint());
			assertThat(sliced.storeKeys(IncidentTopology.INCIDENTS)).hasSize(1).doesNotContain(FIRST);
		}
	}

	@Test
	void aRepeatOfAnAlertStillFiringWhenItsIncidentExpiredOpensANewIncidentBeforeTheSweep() {
		this.driver.send(serviceDown("api"));
		this.driver.send(IncidentCommands.resolve(FIRST).at(T0.plusSeconds(10)).build());
		// The tick that forgets the incident: its sweep ran before, so the alert is still
		// tracked, as firing, when its next delivery comes.
		this.driver.advanceWallClock(Duration.ofDays(7).plusMinutes(2));
		this.driver.events();
		assertThat(this.driver.storeKeys(IncidentTopology.ALERTS)).hasSize(1);
		Instant later = T0.plus(Duration.ofDays(7)).plus(Duration.ofMinutes(3));

		this.driver.send(serviceDown("api").receivedAt(later));

		assertThat(this.driver.events()).filteredOn((event) -> event.getType() == IncidentEventType.OPENED)
			.singleElement()
			.satisfies((event) -> {
				assertThat(event.getIncident().getId()).isNotEqualTo(FIRST);
				assertThat(event.getIncident().getCounts().getFiring()).isEqualTo(1);
			});
	}

	@Test
	void anAlertThatFiresAgainAfterItsIncidentExpiredOpensANewOneThatTheSweepKeeps() {
		this.driver.send(serviceDown("api"));
		this.driver.send(serviceBack("api").resolvedAt(T0.plusSeconds(60)).receivedAt(T0.plusSeconds(60)));
		this.driver.advanceWallClock(Duration.ofDays(7).plusMinutes(2));
		this.driver.events();
		Instant later = T0.plus(Duration.ofDays(7)).plus(Duration.ofMinutes(3));

		this.driver.send(serviceDown("api").startsAt(later).receivedAt(later));
		this.driver.advanceWallClock(Duration.ofSeconds(5));

		List<IncidentEvent> opened = this.driver.events()
			.stream()
			.filter((event) -> event.getType() == IncidentEventType.OPENED)
			.toList();
		assertThat(opened).singleElement().satisfies((event) -> {
			assertThat(event.getIncident().getId()).isNotEqualTo(FIRST);
			assertThat(event.getIncident().getStatus()).isEqualTo(IncidentStatus.OPEN);
			assertThat(event.getIncident().getCounts().getFiring()).isEqualTo(1);
		});
		assertThat(this.driver.storeKeys(IncidentTopology.ALERTS)).hasSize(1);
		assertThat(this.driver.storeKeys(IncidentTopology.INCIDENTS))
			.containsExactly(opened.get(0).getIncident().getId());
	}

	@Test
	void stateOfAResolvedIncidentExpiresAfterTheRetention() {
		this.driver.send(serviceDown("api"));
		this.driver.send(IncidentCommands.resolve(FIRST).at(T0.plusSeconds(10)).build());
		this.driver.events();

		this.driver.advanceWallClock(Duration.ofDays(7).plusMinutes(1));
		this.driver.send(
				IncidentCommands.comment(FIRST, "late note").at(T0.plus(Duration.ofDays(7)).plusSeconds(120)).build());

		assertThat(this.driver.commandsDeadLetters()).singleElement()
			.satisfies((dead) -> assertThat(DeadLetter.header(dead.headers(), DeadLetter.REASON))
				.isEqualTo("UNKNOWN_INCIDENT"));
	}

}
