package dev.firebreak.notifier.channel;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.firebreak.notifier.message.Notice;
import dev.firebreak.notifier.message.SlackMessage;
import dev.firebreak.notifier.route.Kind;
import dev.firebreak.platform.Secret;
import dev.firebreak.schemas.avro.Channel;

/**
 * Slack with a bot token: one thread per incident. The incident's first message is a
 * {@code chat.postMessage} whose {@code ts} is kept; every later message is a reply in
 * its thread, and the first message is refreshed ({@code chat.update}) to show the
 * incident as it stands, as are updates without a message of their own. The first message
 * carries the buttons that act on the incident as it stands (Acknowledge, Resolve), and a
 * message about a remediation waiting for approval Approve and Reject; their clicks come
 * back to {@code POST /api/v1/integrations/slack}. Slack's Web API answers 200 with
 * {@code ok: false} for errors: {@code ratelimited} and server-side errors are retried,
 * the others (bad token, unknown channel…) are permanent.
 */
public final class SlackBotSender implements Sender {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Set<String> RETRYABLE = Set.of("ratelimited", "internal_error", "fatal_error",
			"service_unavailable", "request_timeout");

	private final URI api;

	private final Secret token;

	private final String channel;

	private final Duration timeout;

	/**
	 * @param api the Web API's base, {@code https://slack.com/api}
	 * @param channel the channel's id
	 */
	public SlackBotSender(URI api, Secret token, String channel, Duration timeout) {
		this.api = api;
		this.token = token;
		this.channel = channel;
		this.timeout = timeout;
	}

	@Override
	public Channel channel() {
		return Channel.SLACK;
	}

	@Override
	public String destination() {
		return "slack:" + this.channel;
	}

	@Override
	public SendResult send(Notice notice, String thread, String address) {
		ObjectNode rendered = SlackMessage.render(notice, address);
		rendered.put("channel", this.channel);
		ObjectNode message = SlackMessage.withActions(rendered.deepCopy(), notice);
		if (notice.kind() == Kind.UPDATE || thread == null) {
			if (thread == null) {
				return (notice.kind() == Kind.UPDATE) ? SendResult.permanent("no message to update")
						: call("chat.postMessage", message);
			}
			message.put("ts", thread);
			SendResult updated = call("chat.update", message);
			return (updated.status() == SendResult.Status.SENT) ? SendResult.sent(thread) : updated;
		}
		// Without buttons: the first message, refreshed below, carries them as they
		// stand.
		ObjectNode reply = rendered;
		reply.put("thread_ts", thread);
		SendResult replied = call("chat.postMessage", reply);
		if (replied.status() == SendResult.Status.SENT) {
			// The first message shows the incident as it stands; a failed refresh only
			// leaves it older.
			message.put("ts", thread);
			call("chat.update", message);
		}
		return replied;
	}

	private SendResult call(String method, ObjectNode body) {
		return HttpDelivery.post(
				URI.create(this.api + "/" + method), Map.of("Authorization", "Bearer " + this.token.value(),
						"Content-Type", "application/json; charset=utf-8"),
				body.toString(), this.timeout, SlackBotSender::answered);
	}

	private static SendResult answered(String body) {
		JsonNode answer;
		try {
			answer = JSON.readTree(body);
		}
		catch (RuntimeException ex) {
			return SendResult.retry("Slack answered something that is not JSON", null);
		}
		if (answer.path("ok").asBoolean(false)) {
			return SendResult.sent(answer.path("ts").asString());
		}
		String error = answer.path("error").asString("unknown");
		return RETRYABLE.contains(error) ? SendResult.retry("Slack: " + error, null)
				: SendResult.permanent("Slack: " + error);
	}

}
