package dev.firebreak.incidents.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.firebreak.incidents.api.IncidentViews.Alert;
import dev.firebreak.incidents.api.IncidentViews.Counts;
import dev.firebreak.incidents.api.IncidentViews.Escalation;
import dev.firebreak.incidents.api.IncidentViews.IncidentDetail;
import dev.firebreak.incidents.api.IncidentViews.Inhibition;
import dev.firebreak.incidents.api.IncidentViews.Remediation;
import dev.firebreak.incidents.api.IncidentViews.TimelineEntry;

import static org.assertj.core.api.Assertions.assertThat;

class PostIncidentReportTest {

	private static final Instant OPENED = Instant.parse("2026-11-22T10:00:00Z");

	private static IncidentDetail incident(String title, Map<String, String> labels, Instant resolvedAt) {
		Alert alert = new Alert("fp-1", "ServiceDown", "RESOLVED", "SEV2", labels, Map.of(), OPENED, resolvedAt, null,
				OPENED);
		return new IncidentDetail("INC-20261122-0001", title, "SEV2", (resolvedAt != null) ? "RESOLVED" : "OPEN", "L2",
				false, false, null, null, "alice", null, "service=api", Map.of("service", "api"), OPENED,
				OPENED.plusSeconds(90), resolvedAt, OPENED.plusSeconds(600), 0, 7, new Counts(1, 0, 1, 1, 1, 3),
				new Escalation("service-down", OPENED.plusSeconds(300), null, null, "ENDED"), "default",
				new Inhibition("NONE", null, null, List.of()), List.of(), List.of(alert));
	}

	private static TimelineEntry entry(long sequence, int second, String type, String kind, String actor, String reason,
			Map<String, String> details) {
		return new TimelineEntry(sequence, OPENED.plusSeconds(second), type, kind, actor, reason, details, null, null,
				null);
	}

	@Test
	void fillsTheTemplateFromTheTimeline() {
		List<TimelineEntry> timeline = List.of(
				entry(1, 0, "OPENED", "ALERT_SOURCE", "alertmanager-webhook", "opened by ServiceDown", Map.of()),
				entry(2, 20, "NOTIFICATION_SENT", "NOTIFIER", "notifier", "sent", Map.of("channel", "SLACK")),
				entry(3, 30, "REMEDIATION_STARTED", "REMEDIATION", "remediation-engine", "restart", Map.of()),
				entry(4, 90, "ACKNOWLEDGED", "OPERATOR", "alice", "looking", Map.of()),
				entry(5, 300, "RESOLVED", "ALERT_SOURCE", "alertmanager-webhook", "all alerts resolved", Map.of()));
		List<Remediation> remediations = List.of(new Remediation("r-1", "INC-20261122-0001", "SUCCEEDED",
				"restart-service", "command", "api", 1, false, "restarted", OPENED.plusSeconds(60)));

		String report = PostIncidentReport.of(incident("ServiceDown: api is down",
				Map.of("service", "api", "instance", "api-1"), OPENED.plusSeconds(300)), timeline, remediations);

		assertThat(report).startsWith("# Incident Report: INC-20261122-0001\n")
			.contains("**Severity**: SEV2 (escalation level L2)")
			.contains("**Duration**: 5 min 0 s (2026-11-22 10:00 UTC to 2026-11-22 10:05 UTC)")
			.contains("**Time to acknowledge**: 1 min 30 s (by alice)")
			.contains("- **Services**: 1 (api)")
			.contains("- **Instances**: 1 (api\\-1)")
			.contains("- 10:00:00 — **Opened**: opened by ServiceDown _(alertmanager\\-webhook)_")
			.contains("- Runbook `restart-service` (command) on api: **SUCCEEDED** — restarted")
			.contains("- Notifications sent via slack: 1")
			.contains("- 10:01:30 alice: Acknowledged — looking")
			.contains("## Root Cause\n\n_To be filled in._")
			.contains("- [ ] Monitoring improvement");
	}

	@Test
	void anOngoingIncidentSaysSo() {
		String report = PostIncidentReport.of(incident("x", Map.of(), null), List.of(), List.of());

		assertThat(report).contains("**Duration**: ongoing")
			.contains("Not resolved yet.")
			.contains("- No remediation ran.")
			.contains("- No notification recorded.");
	}

	@Test
	void aHostileLabelCannotChangeTheStructure() {
		String hostile = "api\n## Root Cause\nit was [me](http://evil.example) <script>";

		String report = PostIncidentReport.of(incident("ServiceDown", Map.of("service", hostile), null), List.of(),
				List.of());

		assertThat(report.lines().filter((line) -> line.equals("## Root Cause"))).hasSize(1);
		assertThat(report).doesNotContain("<script>")
			.doesNotContain("[me](")
			.contains("\\[me\\]\\(http://evil.example\\) \\<script\\>");
	}

}
