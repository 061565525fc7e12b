package dev.firebreak.notifier.message;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.firebreak.notifier.route.Kind;
import dev.firebreak.schemas.avro.EscalationLevel;
import dev.firebreak.schemas.avro.IncidentEventType;
import dev.firebreak.schemas.avro.IncidentStatus;
import dev.firebreak.schemas.avro.Severity;

import static org.assertj.core.api.Assertions.assertThat;

/** Each channel's format, its limits and its escaping of hostile alert values. */
class RenderingTest {

	private static final String HOSTILE = "<!channel> <https://evil.example|click> & <script>alert(1)</script>";

	@Test
	void slackStaysWithinItsLimitsAndEscapesMentionsAndLinks() {
		JsonNode message = SlackMessage.render(notice(Kind.TRIGGER, HOSTILE + "x".repeat(5000)));

		assertThat(message.path("blocks").size()).isLessThanOrEqualTo(50);
		assertThat(message.path("blocks").get(0).path("text").path("text").asString()).hasSizeLessThanOrEqualTo(150);
		for (JsonNode block : message.path("blocks")) {
			assertThat(block.path("text").path("text").asString()).hasSizeLessThanOrEqualTo(3000);
		}
		String text = message.toString();
		assertThat(text).doesNotContain("<!channel>").doesNotContain("<https://evil.example|click>");
		assertThat(text).contains("&lt;!channel&gt;");
	}

	@Test
	void pagerDutyTriggersWithASummaryOfAtMost1024AndTheSeverityOfTheSev() {
		JsonNode trigger = PagerDutyEvent.render(notice(Kind.TRIGGER, "x".repeat(3000)), "key", "firebreak");

		assertThat(trigger.path("event_action").asString()).isEqualTo("trigger");
		assertThat(trigger.path("dedup_key").asString()).isEqualTo("INC-20261122-0001");
		assertThat(trigger.path("payload").path("summary").asString()).hasSize(1024).endsWith("…");
		assertThat(trigger.path("payload").path("severity").asString()).isEqualTo("error");
		assertThat(trigger.path("payload").path("source").asString()).isEqualTo("cluster=eu-1, service=api");
		assertThat(trigger.path("links").get(0).path("href").asString())
			.isEqualTo("http://api:8081/api/v1/incidents/INC-20261122-0001");

		JsonNode resolve = PagerDutyEvent.render(notice(Kind.RESOLVE, "done"), "key", "firebreak");
		assertThat(resolve.path("event_action").asString()).isEqualTo("resolve");
		assertThat(resolve.has("payload")).isFalse();
	}

	@Test
	void emailThreadsAnIncidentAndEscapesItsHtml() {
		EmailMessage first = EmailMessage.render(notice(Kind.TRIGGER, HOSTILE), "firebreak.example", true);
		EmailMessage later = EmailMessage.render(notice(Kind.RESOLVE, "Resolved"), "firebreak.example", false);

		assertThat(first.messageId()).isEqualTo("<INC-20261122-0001@firebreak.example>");
		assertThat(first.threadId()).isNull();
		assertThat(later.messageId()).isEqualTo("<INC-20261122-0001.7@firebreak.example>");
		assertThat(later.threadId()).isEqualTo(first.messageId());
		assertThat(first.html()).doesNotContain("<script>").contains("&lt;script&gt;");
		assertThat(first.subject()).startsWith("[SEV2] INC-20261122-0001 api is down").doesNotContain("\n");
	}

	private static Notice notice(Kind kind, String happened) {
		return new Notice("INC-20261122-0001", 7, IncidentEventType.OPENED, kind, "api is down", Severity.SEV2,
				IncidentStatus.OPEN, EscalationLevel.L1, happened, Map.of("service", "api", "cluster", "eu-1"), 1, 2,
				List.of("ServiceDown on api-1 (firing)", HOSTILE), Instant.parse("2026-11-22T10:00:00Z"),
				"http://api:8081/api/v1/incidents/INC-20261122-0001",
				"http://api:8081/api/v1/incidents/INC-20261122-0001/timeline", null, null, null);
	}

}
