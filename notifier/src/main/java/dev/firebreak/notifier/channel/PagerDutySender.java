package dev.firebreak.notifier.channel;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import dev.firebreak.notifier.message.Notice;
import dev.firebreak.notifier.message.PagerDutyEvent;
import dev.firebreak.platform.Secret;
import dev.firebreak.schemas.avro.Channel;

/**
 * Sends Events API v2 events (trigger, acknowledge, resolve) with the incident id as
 * {@code dedup_key}, which is also the message id.
 */
public final class PagerDutySender implements Sender {

	/** PagerDuty's public endpoint. */
	public static final String EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";

	private final URI eventsUrl;

	private final Secret routingKey;

	private final String name;

	private final Duration timeout;

	public PagerDutySender(URI eventsUrl, Secret routingKey, String name, Duration timeout) {
		this.eventsUrl = eventsUrl;
		this.routingKey = routingKey;
		this.name = name;
		this.timeout = timeout;
	}

	@Override
	public Channel channel() {
		return Channel.PAGERDUTY;
	}

	@Override
	public String destination() {
		return this.name;
	}

	@Override
	public SendResult send(Notice notice, String thread, String address) {
		String body = PagerDutyEvent.render(notice, this.routingKey.value(), "firebreak").toString();
		return HttpDelivery.post(this.eventsUrl, Map.of(), body, this.timeout,
				(answer) -> SendResult.sent(notice.incidentId()));
	}

}
