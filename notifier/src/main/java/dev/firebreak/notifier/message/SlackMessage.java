package dev.firebreak.notifier.message;

import java.util.regex.Pattern;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.firebreak.schemas.avro.IncidentStatus;

/**
 * A Slack message in Block Kit: a header, the incident's facts as fields, what happened
 * and its alerts, what Firebreak found, and links; within Slack's limits (150 characters
 * of header, 3000 per section text, 10 fields, 50 blocks). Alert values and findings are
 * escaped for mrkdwn, so that a label cannot mention {@code @channel} or forge a link.
 * With a bot token, a message can carry buttons ({@link #withActions}) whose clicks come
 * back to the notifier's Slack endpoint.
 */
public final class SlackMessage {

	static final int HEADER = 150;

	static final int SECTION = 3000;

	/** The actions block's id. */
	public static final String ACTIONS = "firebreak-actions";

	/** The buttons' action ids: what a click on each asks for. */
	public static final String ACKNOWLEDGE = "firebreak-acknowledge";

	public static final String RESOLVE = "firebreak-resolve";

	public static final String APPROVE = "firebreak-approve";

	public static final String REJECT = "firebreak-reject";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private SlackMessage() {
	}

	/** A Slack user id, safe to put in a mention. */
	private static final Pattern USER = Pattern.compile("[UW][A-Z0-9]{1,30}");

	/** The payload of an incoming webhook or {@code chat.postMessage}. */
	public static ObjectNode render(Notice notice) {
		return render(notice, null);
	}

	/**
	 * The payload, mentioning a user.
	 * @param mention a Slack user id ({@code U…}) to mention, or {@code null}
	 */
	public static ObjectNode render(Notice notice, String mention) {
		ObjectNode message = JSON.createObjectNode();
		String who = (mention != null && USER.matcher(mention).matches()) ? "<@" + mention + "> " : "";
		message.put("text", who + Texts.cut(escape(notice.headline() + ": " + notice.happened()), SECTION));
		ArrayNode blocks = message.putArray("blocks");
		ObjectNode header = blocks.addObject().put("type", "header");
		header.putObject("text").put("type", "plain_text").put("text", Texts.cut(notice.headline(), HEADER));
		ObjectNode facts = blocks.addObject().put("type", "section");
		ArrayNode fields = facts.putArray("fields");
		field(fields, "Severity", notice.severity().name());
		field(fields, "Status", notice.status().name());
		field(fields, "Escalation", notice.escalation().name());
		field(fields, "Alerts", notice.firing() + " firing of " + notice.alerts());
		if (!notice.labels().isEmpty()) {
			field(fields, "Service", notice.labelText());
		}
		if (notice.acknowledgedBy() != null) {
			field(fields, "Acknowledged by", notice.acknowledgedBy());
		}
		if (notice.resolvedBy() != null) {
			field(fields, "Resolved by", notice.resolvedBy());
		}
		if (notice.recipient() != null) {
			section(blocks, who + escape(notice.forWhom()));
		}
		section(blocks, "*" + escape(notice.happened()) + "*");
		if (notice.paged() != null) {
			section(blocks, escape(notice.paged()));
		}
		if (!notice.alertLines().isEmpty()) {
			StringBuilder alerts = new StringBuilder();
			notice.alertLines().forEach((line) -> alerts.append("• ").append(escape(line)).append('\n'));
			section(blocks, alerts.toString().strip());
		}
		if (!notice.findings().isEmpty()) {
			section(blocks, "*" + Notice.FOUND + "*");
			notice.findings().forEach((finding) -> section(blocks, found(finding)));
		}
		ObjectNode context = blocks.addObject().put("type", "context");
		context.putArray("elements")
			.addObject()
			.put("type", "mrkdwn")
			.put("text", "<" + notice.incidentUrl() + "|" + notice.incidentId() + "> · <" + notice.timelineUrl()
					+ "|timeline> · event " + notice.sequence());
		return message;
	}

	/**
	 * Adds the buttons that act on the incident as it stands, before the links, to the
	 * thread's first message (the one kept up to date, so that a button never outlives
	 * what it decides; replies carry none): Approve and Reject while the notice says a
	 * remediation waits for approval, Acknowledge while it is open, and Resolve until it
	 * is resolved. A resolved incident gets none. Each button's value names what it acts
	 * on: the incident, or the incident and the remediation, separated by a space.
	 */
	public static ObjectNode withActions(ObjectNode message, Notice notice) {
		if (notice.status() == IncidentStatus.RESOLVED) {
			return message;
		}
		ArrayNode buttons = JSON.createArrayNode();
		if (notice.awaitingApproval() != null) {
			String value = notice.incidentId() + " " + notice.awaitingApproval();
			button(buttons, APPROVE, "Approve remediation", "primary", value);
			button(buttons, REJECT, "Reject remediation", "danger", value);
		}
		if (notice.status() == IncidentStatus.OPEN) {
			button(buttons, ACKNOWLEDGE, "Acknowledge", "primary", notice.incidentId());
		}
		button(buttons, RESOLVE, "Resolve", null, notice.incidentId());
		ArrayNode blocks = (ArrayNode) message.get("blocks");
		ObjectNode actions = JSON.createObjectNode().put("type", "actions").put("block_id", ACTIONS);
		actions.set("elements", buttons);
		// Before the context line of links, the last block.
		blocks.insert(blocks.size() - 1, actions);
		return message;
	}

	private static void button(ArrayNode buttons, String actionId, String text, String style, String value) {
		ObjectNode button = buttons.addObject().put("type", "button").put("action_id", actionId);
		button.putObject("text").put("type", "plain_text").put("text", text);
		if (style != null) {
			button.put("style", style);
		}
		button.put("value", value);
	}

	/**
	 * A finding: its line, then its output in a code block, where mrkdwn ({@code *bold*},
	 * {@code _italics_}) shows as typed; within a section, the block closed.
	 */
	static String found(Notice.Finding finding) {
		String line = Texts.cut("• " + escape(finding.line()), SECTION / 2);
		if (finding.output().isEmpty()) {
			return line;
		}
		String open = "\n```\n";
		String close = "\n```";
		return line + open
				+ Texts.cut(code(escape(finding.output())), SECTION - line.length() - open.length() - close.length())
				+ close;
	}

	/**
	 * The text with a zero-width space between backticks, so that no run of them ends the
	 * code block early.
	 */
	static String code(String text) {
		return text.replaceAll("`(?=`)", "`\u200B");
	}

	private static void field(ArrayNode fields, String name, String value) {
		fields.addObject().put("type", "mrkdwn").put("text", Texts.cut("*" + name + "*\n" + escape(value), 2000));
	}

	private static void section(ArrayNode blocks, String text) {
		blocks.addObject()
			.put("type", "section")
			.putObject("text")
			.put("type", "mrkdwn")
			.put("text", Texts.cut(text, SECTION));
	}

	/** Slack's three control characters, escaped as its documentation asks. */
	static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}

}
