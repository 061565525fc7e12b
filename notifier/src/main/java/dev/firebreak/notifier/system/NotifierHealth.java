package dev.firebreak.notifier.system;

import java.util.TreeSet;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

import dev.firebreak.notifier.delivery.DeliveryStore;
import dev.firebreak.platform.CommandOutbox;

/**
 * {@code notifier} health: the channels and destinations configured and what waits to be
 * sent or reported.
 */
@Component("notifier")
class NotifierHealth extends AbstractHealthIndicator {

	private final Destinations destinations;

	private final DeliveryStore store;

	private final CommandOutbox outbox;

	NotifierHealth(Destinations destinations, DeliveryStore store, CommandOutbox outbox) {
		super("notifier state cannot be read");
		this.destinations = destinations;
		this.store = store;
		this.outbox = outbox;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.up()
			.withDetail("channels",
					new TreeSet<>(
							this.destinations.senders().values().stream().map((sender) -> sender.channel()).toList()))
			.withDetail("destinations", new TreeSet<>(this.destinations.senders().keySet()))
			.withDetail("pendingDeliveries", this.store.pending())
			.withDetail("unpublishedOutcomes", this.outbox.size());
	}

}
