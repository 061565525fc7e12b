package dev.firebreak.notifier.channel;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import dev.firebreak.notifier.message.Notice;
import dev.firebreak.notifier.message.SlackMessage;
import dev.firebreak.platform.Secret;
import dev.firebreak.schemas.avro.Channel;

/** Posts Block Kit messages to a Slack incoming webhook (whose URL is a secret). */
public final class SlackSender implements Sender {

	private final Secret webhookUrl;

	private final String name;

	private final Duration timeout;

	public SlackSender(Secret webhookUrl, String name, Duration timeout) {
		this.webhookUrl = webhookUrl;
		this.name = name;
		this.timeout = timeout;
	}

	@Override
	public Channel channel() {
		return Channel.SLACK;
	}

	@Override
	public String destination() {
		return this.name;
	}

	@Override
	public SendResult send(Notice notice, String thread, String address) {
		return HttpDelivery.post(URI.create(this.webhookUrl.value()), Map.of(),
				SlackMessage.render(notice, address).toString(), this.timeout,
				(body) -> SendResult.sent(notice.incidentId() + "/" + notice.sequence()));
	}

}
