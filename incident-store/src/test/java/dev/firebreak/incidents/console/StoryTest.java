package dev.firebreak.incidents.console;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.firebreak.incidents.api.IncidentViews.TimelineEntry;

import static org.assertj.core.api.Assertions.assertThat;

class StoryTest {

	private static final Instant AT = Instant.parse("2026-12-02T08:00:00Z");

	@Test
	void saysWhatHappenedWhoDidItAndWhy() {
		Story story = Story.of(entry("ACKNOWLEDGED", "OPERATOR", "olivia", "on it", Map.of()));

		assertThat(story).isEqualTo(new Story(AT, "Acknowledged", "olivia", "on it", "good"));
	}

	@Test
	void saysWhatWasNotDoneAndWhy() {
		Story skipped = Story.of(entry("REMEDIATION_SKIPPED", "REMEDIATION", "remediation-engine",
				"guardrail: at most 3 restarts an hour", Map.of("runbook", "restart-service", "dryRun", "false")));
		Story suppressed = Story.of(entry("NOTIFICATION_SUPPRESSED", "NOTIFIER", "notifier", "in a maintenance window",
				Map.of("channel", "PAGERDUTY")));

		assertThat(skipped).isEqualTo(new Story(AT, "Runbook restart-service not run", "remediation-engine",
				"guardrail: at most 3 restarts an hour", "held"));
		assertThat(suppressed)
			.isEqualTo(new Story(AT, "Not notified on PagerDuty", "notifier", "in a maintenance window", "held"));
	}

	@Test
	void aDryRunSaysNothingChanged() {
		Story story = Story.of(entry("REMEDIATION_SUCCEEDED", "REMEDIATION", "remediation-engine", null,
				Map.of("runbook", "restart-service", "dryRun", "true", "target", "deployment/checkout")));

		assertThat(story.what())
			.isEqualTo("Runbook restart-service (dry run: nothing changed) succeeded on deployment/checkout");
	}

	@Test
	void aDecisionNamesItsRemediation() {
		Story story = Story.of(entry("REMEDIATION_REJECTED", "OPERATOR", "olivia", "not during the sale",
				Map.of("remediationId", "INC-1.4.restart-service")));

		assertThat(story.what()).isEqualTo("Remediation INC-1.4.restart-service rejected");
		assertThat(story.who()).isEqualTo("olivia");
	}

	@Test
	void theSystemIsFirebreakAndAnUnknownEventStillReads() {
		Story story = Story.of(entry("SOMETHING_NEW", "SYSTEM", "escalation", null, null));

		assertThat(story.what()).isEqualTo("Something new");
		assertThat(story.who()).isEqualTo("Firebreak");
		assertThat(story.tone()).isEqualTo("plain");
	}

	private static TimelineEntry entry(String type, String actorKind, String actor, String reason,
			Map<String, String> details) {
		return new TimelineEntry(1, AT, type, actorKind, actor, reason, details, "c-1", null, null);
	}

}
