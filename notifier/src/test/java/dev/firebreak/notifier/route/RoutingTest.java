package dev.firebreak.notifier.route;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import dev.firebreak.schemas.avro.AutomationState;
import dev.firebreak.schemas.avro.Channel;
import dev.firebreak.schemas.avro.EscalationLevel;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.IncidentEventType;
import dev.firebreak.schemas.avro.IncidentStatus;
import dev.firebreak.schemas.avro.Severity;
import dev.firebreak.schemas.fixtures.Alerts;
import dev.firebreak.schemas.fixtures.IncidentEvents;
import dev.firebreak.schemas.fixtures.Incidents;

import static org.assertj.core.api.Assertions.assertThat;

class RoutingTest {

	@Test
	void onlyWhatPeopleActOnDeservesAMessage() {
		assertThat(Routing.kind(event(IncidentEventType.OPENED, Severity.SEV3))).hasValue(Kind.TRIGGER);
		assertThat(Routing.kind(event(IncidentEventType.ACKNOWLEDGED, Severity.SEV3))).hasValue(Kind.ACKNOWLEDGE);
		assertThat(Routing.kind(event(IncidentEventType.RESOLVED, Severity.SEV3))).hasValue(Kind.RESOLVE);
		assertThat(Routing.kind(event(IncidentEventType.REMEDIATION_FAILED, Severity.SEV3))).hasValue(Kind.TRIGGER);
		for (IncidentEventType quiet : List.of(IncidentEventType.ALERT_ADDED, IncidentEventType.ALERT_UPDATED,
				IncidentEventType.COMMENTED, IncidentEventType.REMEDIATION_STARTED,
				IncidentEventType.REMEDIATION_SUCCEEDED, IncidentEventType.NOTIFICATION_SENT)) {
			assertThat(Routing.kind(event(quiet, Severity.SEV3))).as(quiet.name()).isEmpty();
		}
	}

	@Test
	void aSeverityChangeIsNewsOnlyWhenItRises() {
		IncidentEvent raised = IncidentEvents
			.of(IncidentEventType.SEVERITY_CHANGED, Incidents.open("INC-20261122-0001").severity(Severity.SEV1).build())
			.detail("previous", "SEV2")
			.build();
		IncidentEvent lowered = IncidentEvents
			.of(IncidentEventType.SEVERITY_CHANGED, Incidents.open("INC-20261122-0001").severity(Severity.SEV3).build())
			.detail("previous", "SEV2")
			.build();
		assertThat(Routing.kind(raised)).hasValue(Kind.TRIGGER);
		assertThat(Routing.kind(lowered)).isEmpty();
	}

	@Test
	void theDefaultsFollowTheSeeds() {
		assertThat(Routing.route(Route.defaults(false), event(IncidentEventType.OPENED, Severity.SEV1)).keySet())
			.containsExactly(Channel.SLACK, Channel.EMAIL, Channel.PAGERDUTY);
		assertThat(Routing.route(Route.defaults(false), event(IncidentEventType.OPENED, Severity.SEV3)).keySet())
			.containsExactly(Channel.SLACK, Channel.EMAIL);
		assertThat(Routing.route(Route.defaults(false), event(IncidentEventType.OPENED, Severity.SEV4)).keySet())
			.containsExactly(Channel.SLACK);
		assertThat(Routing.route(Route.defaults(false), event(IncidentEventType.ESCALATED, Severity.SEV4)).keySet())
			.as("any escalation pages")
			.containsExactly(Channel.SLACK, Channel.PAGERDUTY);
	}

	@Test
	void theAlertingPipelinesSilenceReachesEveryConfiguredChannelEvenInMaintenance() {
		List<Route> routes = new ArrayList<>(Route.defaults(true));
		routes.add(Route.pipelineSilent(List.of(Channel.SLACK, Channel.EMAIL, Channel.PAGERDUTY, Channel.WEBHOOK)));
		IncidentEvent silent = IncidentEvents
			.of(IncidentEventType.OPENED,
					Incidents.open("INC-20261122-0001")
						.severity(Severity.SEV1)
						.inMaintenance()
						.alert(Alerts.firing("AlertingPipelineSilent").label("firebreak", "self").build())
						.build())
			.build();

		Map<Channel, Routing.Decision> decisions = Routing.route(routes, silent);

		assertThat(decisions.keySet()).containsExactlyInAnyOrder(Channel.SLACK, Channel.EMAIL, Channel.PAGERDUTY,
				Channel.WEBHOOK);
		assertThat(decisions.values()).allSatisfy((decision) -> {
			assertThat(decision.route()).isEqualTo("alerting-pipeline-silent");
			assertThat(decision.suppressed()).isNull();
		});
		assertThat(Routing.route(routes, event(IncidentEventType.OPENED, Severity.SEV1)).keySet())
			.as("any other incident")
			.containsExactly(Channel.SLACK, Channel.EMAIL);
	}

	@Test
	void withAnEscalationPolicyPagerDutyIsItsLevelsBusiness() {
		assertThat(Routing.route(Route.defaults(true), event(IncidentEventType.OPENED, Severity.SEV1)).keySet())
			.containsExactly(Channel.SLACK, Channel.EMAIL);
		assertThat(Routing.route(Route.defaults(true), event(IncidentEventType.ESCALATED, Severity.SEV4)).keySet())
			.containsExactly(Channel.SLACK);
	}

	@Test
	void whileARunbookHasItsTurnPagerDutyWaitsAndTheRestIsTold() {
		Map<Channel, Routing.Decision> running = Routing.route(Route.defaults(false), event(IncidentEventType.OPENED,
				Severity.SEV2, (incident) -> incident.automation(AutomationState.RUNNING)));

		assertThat(running.get(Channel.PAGERDUTY).suppressed())
			.isEqualTo("held: automation first, a runbook has its turn before anyone is paged");
		assertThat(running.get(Channel.SLACK).suppressed()).isNull();
		assertThat(Routing.pages(event(IncidentEventType.OPENED, Severity.SEV2,
				(incident) -> incident.automation(AutomationState.WAITING))))
			.isFalse();
		assertThat(Routing.pages(event(IncidentEventType.AUTOMATION_ENDED, Severity.SEV2,
				(incident) -> incident.automation(AutomationState.ENDED))))
			.isTrue();
		assertThat(Routing
			.route(Route.defaults(false),
					event(IncidentEventType.AUTOMATION_ENDED, Severity.SEV2,
							(incident) -> incident.automation(AutomationState.ENDED)))
			.get(Channel.PAGERDUTY)
			.suppressed()).isNull();
	}

	@Test
	void theEndOfMaintenanceIsNewsOnlyWhileTheIncidentIsOpen() {
		assertThat(Routing.kind(event(IncidentEventType.MAINTENANCE_ENDED, Severity.SEV2))).hasValue(Kind.TRIGGER);
		assertThat(Routing.kind(event(IncidentEventType.MAINTENANCE_ENDED, Severity.SEV2,
				(incident) -> incident.status(IncidentStatus.RESOLVED))))
			.isEmpty();
	}

	@Test
	void aResolvedIncidentsLastMessageIsItsResolution() {
		UnaryOperator<Incidents> resolved = (incident) -> incident.status(IncidentStatus.RESOLVED);
		assertThat(Routing.kind(event(IncidentEventType.RESOLVED, Severity.SEV2, resolved))).hasValue(Kind.RESOLVE);
		for (IncidentEventType late : List.of(IncidentEventType.REMEDIATION_FAILED,
				IncidentEventType.REMEDIATION_OUTCOME_UNKNOWN, IncidentEventType.SEVERITY_CHANGED,
				IncidentEventType.ESCALATED)) {
			assertThat(Routing.kind(event(late, Severity.SEV2, resolved))).as("%s after the resolution", late)
				.isEmpty();
			assertThat(Routing.kind(event(late, Severity.SEV2))).as("%s while open", late).isPresent();
		}
	}

	@Test
	void maintenanceAndFlappingSuppressUnlessTheRouteSaysOtherwise() {
		Route loud = new Route("loud", Set.of(), Set.of(), Map.of(), Set.of(), List.of(Channel.WEBHOOK), true, true);
		List<Route> routes = List.of(Route.defaults(false).get(0), loud);
		Map<Channel, Routing.Decision> maintained = Routing.route(routes,
				event(IncidentEventType.OPENED, Severity.SEV2, Incidents::inMaintenance));
		assertThat(maintained.get(Channel.SLACK).suppressed()).startsWith("the incident is in maintenance");
		assertThat(maintained.get(Channel.WEBHOOK).suppressed()).isNull();
		assertThat(Routing.route(routes, event(IncidentEventType.OPENED, Severity.SEV2, Incidents::flapping))
			.get(Channel.SLACK)
			.suppressed()).isEqualTo("the incident is flapping");
	}

	@Test
	void aSymptomIsToldNobodyUntilItIsOneNoMore() {
		UnaryOperator<Incidents> symptom = (incident) -> incident.inhibitedBy("INC-20261122-0007",
				"api-depends-on-postgres");
		Map<Channel, Routing.Decision> inhibited = Routing.route(Route.defaults(false),
				event(IncidentEventType.OPENED, Severity.SEV1, symptom));
		assertThat(inhibited).isNotEmpty();
		assertThat(inhibited.values()).allSatisfy((decision) -> assertThat(decision.suppressed())
			.isEqualTo("inhibited by INC-20261122-0007 (rule api-depends-on-postgres): a symptom of its cause"));
		assertThat(Routing.pages(event(IncidentEventType.OPENED, Severity.SEV1, symptom))).isFalse();
		assertThat(Routing
			.route(Route.defaults(false),
					event(IncidentEventType.OPENED, Severity.SEV1,
							(incident) -> incident.mayBeASymptom("api-depends-on-postgres")))
			.get(Channel.PAGERDUTY)
			.suppressed())
			.isEqualTo("held: it may be a symptom of a cause not seen yet (rule api-depends-on-postgres)");

		// Its cause resolved and the rule releases it: it is news, and it pages.
		IncidentEvent released = event(IncidentEventType.INHIBITION_ENDED, Severity.SEV1);
		assertThat(Routing.kind(released)).hasValue(Kind.TRIGGER);
		assertThat(Routing.pages(released)).isTrue();
		assertThat(Routing.route(Route.defaults(false), released).get(Channel.PAGERDUTY).suppressed()).isNull();
	}

	@Test
	void routesMatchOnEventSeverityLabelsAndEscalationTogether() {
		Route payments = new Route("payments-l2", Set.of(IncidentEventType.ESCALATED), Set.of(Severity.SEV2),
				Map.of("service", "payments"), Set.of(EscalationLevel.L2), List.of(Channel.WEBHOOK), false, false);
		UnaryOperator<Incidents> l2 = (incident) -> incident.escalationLevel(EscalationLevel.L2);
		assertThat(Routing.route(List.of(payments), event(IncidentEventType.ESCALATED, Severity.SEV2, l2)))
			.containsKey(Channel.WEBHOOK);
		assertThat(Routing.route(List.of(payments), event(IncidentEventType.ESCALATED, Severity.SEV2))).isEmpty();
		assertThat(Routing.route(List.of(payments), event(IncidentEventType.OPENED, Severity.SEV2, l2))).isEmpty();
		assertThat(Routing.route(List.of(payments), event(IncidentEventType.ESCALATED, Severity.SEV1, l2))).isEmpty();
	}

	private static IncidentEvent event(IncidentEventType type, Severity severity) {
		return event(type, severity, UnaryOperator.identity());
	}

	private static IncidentEvent event(IncidentEventType type, Severity severity, UnaryOperator<Incidents> change) {
		Incidents incident = Incidents.open("INC-20261122-0001")
			.severity(severity)
			.alert(Alerts.firing("ServiceDown").label("service", "payments").build());
		return IncidentEvents.of(type, change.apply(incident).build()).build();
	}

}
