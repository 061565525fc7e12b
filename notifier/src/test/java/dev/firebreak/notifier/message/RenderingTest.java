package dev.firebreak.notifier.message;

import java.time.Instant;
import java.util.ArrayList;
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

	private static final Notice.Finding HEALTH = new Notice.Finding("restart-application", "health", false,
			"GET http://api:8080/health answered 503", "HTTP/1.1 503 Service Unavailable\nconnection pool exhausted",
			Instant.parse("2026-11-22T09:59:30Z"));

	private static final Notice.Finding LOGS = new Notice.Finding("restart-application", "logs", true,
			"kubectl logs api-1 --tail=50 read 2 lines", "", Instant.parse("2026-11-22T09:59:20Z"));

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
			.isEqualTo("https://firebreak.example/console/incidents/INC-20261122-0001");

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

	@Test
	void emailTellsWhatFirebreakFoundInTextAndHtml() {
		EmailMessage email = EmailMessage.render(notice(Kind.TRIGGER, "Opened", HEALTH, LOGS), "firebreak.example",
				true);

		assertThat(email.text()).contains("""

				What Firebreak found:
				  - health (runbook restart-application): GET http://api:8080/health answered 503
				      HTTP/1.1 503 Service Unavailable
				      connection pool exhausted
				  - logs (runbook restart-application): kubectl logs api-1 --tail=50 read 2 lines

				Incident: https://firebreak.example/console/incidents/INC-20261122-0001
				""");
		assertThat(email.html()).contains("<h3>What Firebreak found</h3><ul>"
				+ "<li>health (runbook restart-application): GET http://api:8080/health answered 503"
				+ "<pre>HTTP/1.1 503 Service Unavailable\nconnection pool exhausted</pre></li>"
				+ "<li>logs (runbook restart-application): kubectl logs api-1 --tail=50 read 2 lines</li></ul>");
	}

	@Test
	void slackTellsWhatFirebreakFoundBeforeTheLinks() {
		JsonNode blocks = SlackMessage.render(notice(Kind.TRIGGER, "Opened", HEALTH, LOGS)).path("blocks");

		List<String> texts = new ArrayList<>();
		blocks.forEach((block) -> texts.add(block.path("text").path("text").asString()));
		int heading = texts.indexOf("*What Firebreak found*");
		assertThat(heading).isPositive();
		assertThat(texts.subList(heading + 1, heading + 3)).containsExactly(
				"• health (runbook restart-application): GET http://api:8080/health answered 503\n```\n"
						+ "HTTP/1.1 503 Service Unavailable\nconnection pool exhausted\n```",
				"• logs (runbook restart-application): kubectl logs api-1 --tail=50 read 2 lines");
		assertThat(blocks.get(heading + 3).path("type").asString()).isEqualTo("context");
	}

	@Test
	void pagerDutyListsWhatFirebreakFoundInItsCustomDetails() {
		JsonNode details = PagerDutyEvent.render(notice(Kind.TRIGGER, "Opened", HEALTH, LOGS), "key", "firebreak")
			.path("payload")
			.path("custom_details");

		assertThat(details.path("what_firebreak_found").isArray()).isTrue();
		assertThat(details.path("what_firebreak_found")).extracting(JsonNode::asString)
			.containsExactly(
					"health (runbook restart-application): GET http://api:8080/health answered 503\n"
							+ "HTTP/1.1 503 Service Unavailable\nconnection pool exhausted",
					"logs (runbook restart-application): kubectl logs api-1 --tail=50 read 2 lines");
	}

	@Test
	void theWebhookCarriesTheFindingsAsTheyAre() {
		JsonNode findings = WebhookPayload.render(notice(Kind.TRIGGER, "Opened", HEALTH)).path("findings");

		assertThat(findings.size()).isEqualTo(1);
		JsonNode health = findings.get(0);
		assertThat(health.path("runbook").asString()).isEqualTo("restart-application");
		assertThat(health.path("step").asString()).isEqualTo("health");
		assertThat(health.path("succeeded").isBoolean()).isTrue();
		assertThat(health.path("succeeded").asBoolean()).isFalse();
		assertThat(health.path("summary").asString()).isEqualTo("GET http://api:8080/health answered 503");
		assertThat(health.path("output").asString())
			.isEqualTo("HTTP/1.1 503 Service Unavailable\nconnection pool exhausted");
		assertThat(health.path("collectedAt").asString()).isEqualTo("2026-11-22T09:59:30Z");
		assertThat(health.propertyNames()).containsExactlyInAnyOrder("runbook", "step", "succeeded", "summary",
				"output", "collectedAt");
	}

	@Test
	void withoutFindingsNoMessageHasTheSection() {
		Notice notice = notice(Kind.TRIGGER, "Opened");
		EmailMessage email = EmailMessage.render(notice, "firebreak.example", true);

		assertThat(email.text()).doesNotContain("What Firebreak found");
		assertThat(email.html()).doesNotContain("What Firebreak found");
		assertThat(SlackMessage.render(notice).toString()).doesNotContain("What Firebreak found");
		assertThat(PagerDutyEvent.render(notice, "key", "firebreak")
			.path("payload")
			.path("custom_details")
			.has("what_firebreak_found")).isFalse();
		JsonNode findings = WebhookPayload.render(notice).path("findings");
		assertThat(findings.isArray()).isTrue();
		assertThat(findings.size()).isZero();
	}

	@Test
	void findingsAreEscapedForHtmlAndMrkdwn() {
		Notice.Finding hostile = new Notice.Finding("restart-application", "health", true, "GET /health <!channel>",
				"<script>alert(1)</script> *not bold* & ```code``` end", Instant.parse("2026-11-22T09:59:30Z"));
		Notice notice = notice(Kind.TRIGGER, "Opened", hostile);

		String html = EmailMessage.render(notice, "firebreak.example", true).html();
		assertThat(html).doesNotContain("<script>").doesNotContain("<!channel>");
		assertThat(html).contains("<li>health (runbook restart-application): GET /health &lt;!channel&gt;"
				+ "<pre>&lt;script&gt;alert(1)&lt;/script&gt; *not bold* &amp; ```code``` end</pre></li>");

		JsonNode message = SlackMessage.render(notice);
		assertThat(message.toString()).doesNotContain("<script>").doesNotContain("<!channel>");
		List<String> texts = new ArrayList<>();
		message.path("blocks").forEach((block) -> texts.add(block.path("text").path("text").asString()));
		// In a code block *not bold* shows as typed; no run of backticks closes it early.
		assertThat(texts).contains("• health (runbook restart-application): GET /health &lt;!channel&gt;\n```\n"
				+ "&lt;script&gt;alert(1)&lt;/script&gt; *not bold* &amp; "
				+ "`\u200B`\u200B`code`\u200B`\u200B` end\n```");
	}

	@Test
	void aSlackFindingStaysWithinItsSectionWithItsCodeBlockClosed() {
		Notice.Finding flood = new Notice.Finding("restart-application", "logs", true, "kubectl logs api-1",
				"<".repeat(1000), Instant.parse("2026-11-22T09:59:30Z"));

		String found = SlackMessage.found(flood);

		assertThat(found).hasSize(SlackMessage.SECTION)
			.startsWith("• logs (runbook restart-application): kubectl logs api-1\n```\n&lt;&lt;")
			.endsWith("…\n```");
	}

	@Test
	void theFirstMessageOfAnOpenIncidentOffersAcknowledgeAndResolveBeforeTheLinks() {
		JsonNode first = SlackMessage.withActions(SlackMessage.render(notice(Kind.TRIGGER, "Opened")),
				notice(Kind.TRIGGER, "Opened"));
		JsonNode blocks = first.path("blocks");

		JsonNode actions = blocks.get(blocks.size() - 2);
		assertThat(actions.path("type").asString()).isEqualTo("actions");
		assertThat(buttons(first)).containsExactly("firebreak-acknowledge INC-20261122-0001 Acknowledge",
				"firebreak-resolve INC-20261122-0001 Resolve");
		assertThat(blocks.get(blocks.size() - 1).path("type").asString()).isEqualTo("context");
		assertThat(buttons(SlackMessage.render(notice(Kind.TRIGGER, "Opened")))).as("a reply in the thread").isEmpty();
	}

	@Test
	void theFirstMessageSaysWhoAcknowledgedAndWhoResolvedAndAResolvedIncidentHasNoButtons() {
		Notice acknowledged = with(IncidentStatus.ACKNOWLEDGED, "alice", null, null);
		JsonNode message = SlackMessage.withActions(SlackMessage.render(acknowledged), acknowledged);
		assertThat(fields(message)).contains("*Status*\nACKNOWLEDGED", "*Acknowledged by*\nalice");
		assertThat(buttons(message)).containsExactly("firebreak-resolve INC-20261122-0001 Resolve");

		Notice resolved = with(IncidentStatus.RESOLVED, "alice", "Paula Pager (PagerDuty)", null);
		JsonNode last = SlackMessage.withActions(SlackMessage.render(resolved), resolved);
		assertThat(fields(last)).contains("*Acknowledged by*\nalice", "*Resolved by*\nPaula Pager (PagerDuty)");
		assertThat(buttons(last)).isEmpty();
	}

	@Test
	void aRemediationWaitingForApprovalIsOfferedForApprovalOnTheFirstMessageOnly() {
		Notice waiting = with(IncidentStatus.ACKNOWLEDGED, "alice", null, "rem-7");

		assertThat(buttons(SlackMessage.render(waiting))).as("its own message, a reply").isEmpty();
		assertThat(buttons(SlackMessage.withActions(SlackMessage.render(waiting), waiting))).containsExactly(
				"firebreak-approve INC-20261122-0001 rem-7 Approve remediation",
				"firebreak-reject INC-20261122-0001 rem-7 Reject remediation",
				"firebreak-resolve INC-20261122-0001 Resolve");
	}

	private static Notice with(IncidentStatus status, String acknowledgedBy, String resolvedBy, String awaiting) {
		Notice notice = notice(Kind.TRIGGER, "Opened");
		return new Notice(notice.incidentId(), notice.sequence(), notice.event(), notice.kind(), notice.title(),
				notice.severity(), status, notice.escalation(), notice.happened(), notice.labels(), notice.firing(),
				notice.alerts(), notice.alertLines(), notice.findings(), notice.occurredAt(), notice.incidentUrl(),
				notice.timelineUrl(), null, null, null, acknowledgedBy, resolvedBy, awaiting);
	}

	/** Each button as {@code action_id value text}. */
	private static List<String> buttons(JsonNode message) {
		List<String> buttons = new ArrayList<>();
		message.path("blocks").forEach((block) -> block.path("elements").forEach((button) -> {
			if (button.path("type").asString().equals("button")) {
				buttons.add(button.path("action_id").asString() + " " + button.path("value").asString() + " "
						+ button.path("text").path("text").asString());
			}
		}));
		return buttons;
	}

	private static List<String> fields(JsonNode message) {
		List<String> fields = new ArrayList<>();
		message.path("blocks")
			.forEach((block) -> block.path("fields").forEach((field) -> fields.add(field.path("text").asString())));
		return fields;
	}

	private static Notice notice(Kind kind, String happened, Notice.Finding... findings) {
		return new Notice("INC-20261122-0001", 7, IncidentEventType.OPENED, kind, "api is down", Severity.SEV2,
				IncidentStatus.OPEN, EscalationLevel.L1, happened, Map.of("service", "api", "cluster", "eu-1"), 1, 2,
				List.of("ServiceDown on api-1 (firing)", HOSTILE), List.of(findings),
				Instant.parse("2026-11-22T10:00:00Z"), "https://firebreak.example/console/incidents/INC-20261122-0001",
				"https://firebreak.example/console/incidents/INC-20261122-0001#timeline", null, null, null, null, null,
				null);
	}

}
