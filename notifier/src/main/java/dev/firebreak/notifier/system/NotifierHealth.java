package dev.firebreak.notifier.system;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

import dev.firebreak.notifier.delivery.DeliveryStore;
import dev.firebreak.platform.CommandOutbox;

/**
 * {@code notifier} health: the channels configured and what waits to be sent or reported.
 */
@Component("notifier")
class NotifierHealth extends AbstractHealthIndicator {

	private final NotifierConfiguration.Channels channels;

	private final DeliveryStore store;

	private final CommandOutbox outbox;

	NotifierHealth(NotifierConfiguration.Channels channels, DeliveryStore store, CommandOutbox outbox) {
		super("notifier state cannot be read");
		this.channels = channels;
		this.store = store;
		this.outbox = outbox;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.up()
			.withDetail("channels", this.channels.senders().keySet())
			.withDetail("pendingDeliveries", this.store.pending())
			.withDetail("unpublishedOutcomes", this.outbox.size());
	}

}
