package dev.firebreak.notifier.integration;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.firebreak.notifier.message.SlackMessage;
import dev.firebreak.schemas.avro.CommandType;

/**
 * A click on one of the buttons of Firebreak's Slack messages, read from Slack's
 * {@code block_actions} payload (form-encoded {@code payload=<json>}). Pure.
 *
 * @param slackUser who clicked, by Slack user id
 * @param type what the button asks for
 * @param incidentId the incident it acts on
 * @param remediationId the remediation it decides (approve, reject), else null
 * @param triggerId Slack's id of this click, unique to it
 * @param responseUrl where to answer the clicking user, or null
 */
record SlackClick(String slackUser, CommandType type, String incidentId, String remediationId, String triggerId,
		URI responseUrl) {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Map<String, CommandType> BUTTONS = Map.of(SlackMessage.ACKNOWLEDGE, CommandType.ACKNOWLEDGE,
			SlackMessage.RESOLVE, CommandType.RESOLVE, SlackMessage.APPROVE, CommandType.APPROVE_REMEDIATION,
			SlackMessage.REJECT, CommandType.REJECT_REMEDIATION);

	private static final Pattern INCIDENT = Pattern.compile("INC-\\d{8}-\\d{4,18}");

	private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._:-]{1,200}");

	/**
	 * The click, or empty when the body is not a click on one of Firebreak's buttons (an
	 * interaction of another kind, a button it does not know, a value it did not write).
	 */
	static Optional<SlackClick> read(byte[] body) {
		JsonNode payload = payload(body);
		if (payload == null || !"block_actions".equals(payload.path("type").asString(""))) {
			return Optional.empty();
		}
		JsonNode action = payload.path("actions").path(0);
		CommandType type = BUTTONS.get(action.path("action_id").asString(""));
		String user = payload.path("user").path("id").asString("");
		String trigger = payload.path("trigger_id").asString("");
		if (trigger.isEmpty()) {
			trigger = action.path("action_ts").asString("");
		}
		if (type == null || user.isEmpty() || !TOKEN.matcher(trigger).matches()) {
			return Optional.empty();
		}
		String[] value = action.path("value").asString("").split(" ", -1);
		boolean decision = type == CommandType.APPROVE_REMEDIATION || type == CommandType.REJECT_REMEDIATION;
		if (value.length != (decision ? 2 : 1) || !INCIDENT.matcher(value[0]).matches()
				|| (decision && !TOKEN.matcher(value[1]).matches())) {
			return Optional.empty();
		}
		return Optional.of(new SlackClick(user, type, value[0], decision ? value[1] : null, trigger,
				responseUrl(payload.path("response_url").asString(""))));
	}

	/** The JSON of the form's {@code payload} field, or null. */
	private static JsonNode payload(byte[] body) {
		for (String field : new String(body, StandardCharsets.UTF_8).split("&")) {
			if (field.startsWith("payload=")) {
				try {
					return JSON
						.readTree(URLDecoder.decode(field.substring("payload=".length()), StandardCharsets.UTF_8));
				}
				catch (JacksonException | IllegalArgumentException ex) {
					return null;
				}
			}
		}
		return null;
	}

	private static URI responseUrl(String url) {
		try {
			URI uri = URI.create(url);
			return (uri.isAbsolute() && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) ? uri
					: null;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/** What the click asks for, in words: {@code acknowledge INC-20261122-0001}. */
	String asked() {
		return switch (this.type) {
			case ACKNOWLEDGE -> "acknowledge " + this.incidentId;
			case RESOLVE -> "resolve " + this.incidentId;
			case APPROVE_REMEDIATION -> "approve remediation " + this.remediationId + " of " + this.incidentId;
			default -> "reject remediation " + this.remediationId + " of " + this.incidentId;
		};
	}

}
