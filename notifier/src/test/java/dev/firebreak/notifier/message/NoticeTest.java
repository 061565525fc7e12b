package dev.firebreak.notifier.message;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.firebreak.notifier.route.Kind;
import dev.firebreak.schemas.avro.Finding;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentEventType;
import dev.firebreak.schemas.avro.IncidentStatus;
import dev.firebreak.schemas.avro.Severity;
import dev.firebreak.schemas.fixtures.Alerts;
import dev.firebreak.schemas.fixtures.IncidentEvents;
import dev.firebreak.schemas.fixtures.Incidents;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a notice takes of an incident's findings: the newest few, a line each, bounded.
 */
class NoticeTest {

	private static final Instant AT = Instant.parse("2026-11-22T09:59:30Z");

	@Test
	void theNewestThreeFindingsAreToldALineEach() {
		Notice notice = notice(finding("health", "GET http://api:8080/health answered 503", "HTTP/1.1 503", false),
				finding("logs", "kubectl logs api-1 --tail=50 read 50 lines", "pool exhausted", true),
				finding("dns", "api.internal resolved to 10.0.0.7", "", true),
				finding("disk", "df /var reported 97% used", "", true), finding("older", "not told", "", true));

		assertThat(notice.findings()).extracting(Notice.Finding::line)
			.containsExactly("health (runbook restart-application): GET http://api:8080/health answered 503",
					"logs (runbook restart-application): kubectl logs api-1 --tail=50 read 50 lines",
					"dns (runbook restart-application): api.internal resolved to 10.0.0.7");
		assertThat(notice.findings().get(0)).isEqualTo(new Notice.Finding("restart-application", "health", false,
				"GET http://api:8080/health answered 503", "HTTP/1.1 503", AT));
	}

	@Test
	void outputIsCutTo500CharactersWithAnEllipsis() {
		Notice notice = notice(finding("logs", "kubectl logs api-1 read 2000 characters", "x".repeat(2000), true));

		assertThat(notice.findings().get(0).output()).hasSize(500).isEqualTo("x".repeat(499) + "…");
	}

	@Test
	void aSummaryIsCutToOneLineAndOutputKeepsItsLinesWithoutBlankOnesAround() {
		String summary = "GET /health answered 503\n  - dns (runbook fake): all good\r\n" + "y".repeat(400);
		Notice notice = notice(finding("health", summary, "\n\n  {\n    \"status\": \"DOWN\"\n  }\n\n", false));

		Notice.Finding health = notice.findings().get(0);
		assertThat(health.summary()).hasSize(300)
			.startsWith("GET /health answered 503 - dns (runbook fake): all good yyy")
			.endsWith("y…")
			.doesNotContain("\n");
		assertThat(health.output()).isEqualTo("  {\n    \"status\": \"DOWN\"\n  }");
	}

	@Test
	void anIncidentWithoutFindingsHasNone() {
		assertThat(notice().findings()).isEmpty();
	}

	@Test
	void linksGoToTheIncidentsPageInTheConsole() {
		Notice notice = notice();

		assertThat(notice.incidentUrl()).isEqualTo("http://api:8081/console/incidents/INC-20261122-0001");
		assertThat(notice.timelineUrl()).isEqualTo("http://api:8081/console/incidents/INC-20261122-0001#timeline");
		assertThat(Notice.consolePage("https://firebreak.example.com/ops", "INC-20261122-0001"))
			.isEqualTo("https://firebreak.example.com/ops/console/incidents/INC-20261122-0001");
	}

	@Test
	void whoAcknowledgedAndWhoResolvedAreToldOnlyWhileTheyHold() {
		Incident incident = Incidents.open("INC-20261122-0001").status(IncidentStatus.RESOLVED).build();
		incident.setAcknowledgedBy("alice");
		incident.setResolvedBy("Paula Pager (PagerDuty)");
		Notice resolved = Notice.of(IncidentEvents.of(IncidentEventType.RESOLVED, incident).build(), Kind.RESOLVE,
				"http://api:8081");
		assertThat(resolved.acknowledgedBy()).isEqualTo("alice");
		assertThat(resolved.resolvedBy()).isEqualTo("Paula Pager (PagerDuty)");

		// Reopened: who acknowledged it before is history.
		Incident reopened = Incidents.open("INC-20261122-0001").status(IncidentStatus.OPEN).build();
		reopened.setAcknowledgedBy("alice");
		reopened.setResolvedBy("alice");
		Notice open = Notice.of(IncidentEvents.of(IncidentEventType.REOPENED, reopened).build(), Kind.TRIGGER,
				"http://api:8081");
		assertThat(open.acknowledgedBy()).isNull();
		assertThat(open.resolvedBy()).isNull();
	}

	@Test
	void onlyTheEventThatSaysARemediationWaitsOffersItForApproval() {
		Incident incident = Incidents.open("INC-20261122-0001").build();
		assertThat(Notice
			.of(IncidentEvents.of(IncidentEventType.REMEDIATION_AWAITING_APPROVAL, incident)
				.detail("remediationId", "rem-7")
				.build(), Kind.TRIGGER, "http://api:8081")
			.awaitingApproval()).isEqualTo("rem-7");
		assertThat(Notice
			.of(IncidentEvents.of(IncidentEventType.REMEDIATION_FAILED, incident)
				.detail("remediationId", "rem-7")
				.build(), Kind.TRIGGER, "http://api:8081")
			.awaitingApproval()).isNull();
	}

	private static Notice notice(Finding... findings) {
		Incident incident = Incidents.open("INC-20261122-0001")
			.severity(Severity.SEV2)
			.alert(Alerts.firing("ServiceDown").label("instance", "api-1").build())
			.build();
		incident.setFindings(List.of(findings));
		return Notice.of(IncidentEvents.of(IncidentEventType.OPENED, incident).reason("opened by ServiceDown").build(),
				Kind.TRIGGER, "http://api:8081/");
	}

	private static Finding finding(String step, String summary, String output, boolean succeeded) {
		return Finding.newBuilder()
			.setRemediationId("rem-1")
			.setRunbookId("restart-application")
			.setStep(step)
			.setSucceeded(succeeded)
			.setSummary(summary)
			.setOutput(output)
			.setCollectedAt(AT)
			.build();
	}

}
