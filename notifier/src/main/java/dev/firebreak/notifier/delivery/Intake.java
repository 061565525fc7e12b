package dev.firebreak.notifier.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.firebreak.notifier.route.Kind;
import dev.firebreak.notifier.route.Route;
import dev.firebreak.notifier.route.Routing;
import dev.firebreak.schemas.avro.Channel;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.NotificationStatus;

/**
 * Turns an incident event into the deliveries it deserves, recorded before anything is
 * sent. A route's channel that is not configured goes to the local outbox when the outbox
 * stands in for missing channels. PagerDuty follows the incident: an acknowledge or
 * resolve goes there exactly when a trigger did, whatever the routes say.
 */
public class Intake {

	private final List<Route> routes;

	private final Set<Channel> configured;

	private final boolean outboxStandsIn;

	private final Set<Channel> updatable;

	private final DeliveryStore store;

	private final Clock clock;

	/**
	 * @param updatable the channels that edit a message in place
	 */
	public Intake(List<Route> routes, Set<Channel> configured, Set<Channel> updatable, boolean outboxStandsIn,
			DeliveryStore store, Clock clock) {
		this.updatable = Set.copyOf(updatable);
		this.routes = List.copyOf(routes);
		this.configured = Set.copyOf(configured);
		this.outboxStandsIn = outboxStandsIn;
		this.store = store;
		this.clock = clock;
	}

	/**
	 * @return how many deliveries the event made (sent or suppressed)
	 */
	public int accept(IncidentEvent event, byte[] raw) {
		Optional<Kind> kind = Routing.kind(event);
		Instant now = this.clock.instant();
		if (kind.isEmpty()) {
			return update(event, raw, now);
		}
		List<DeliveryStore.New> deliveries = new ArrayList<>();
		for (Map.Entry<Channel, Routing.Decision> routed : Routing.route(this.routes, event).entrySet()) {
			Channel channel = channel(routed.getKey());
			if (skip(channel, kind.get(), deliveries)) {
				continue;
			}
			Routing.Decision decision = routed.getValue();
			deliveries.add(new DeliveryStore.New(event.getIncidentId(), event.getSequence(), channel, kind.get(),
					decision.route(), raw,
					(decision.suppressed() != null) ? Outcomes.of(event.getIncidentId(), event.getSequence(), channel,
							NotificationStatus.SUPPRESSED, decision.route(), decision.suppressed(), null, 0, now)
							: null));
		}
		if ((kind.get() == Kind.ACKNOWLEDGE || kind.get() == Kind.RESOLVE)
				&& this.configured.contains(Channel.PAGERDUTY) && this.store.triggered(event.getIncidentId())) {
			deliveries.add(new DeliveryStore.New(event.getIncidentId(), event.getSequence(), Channel.PAGERDUTY,
					kind.get(), "pagerduty-follows-incident", raw, null));
		}
		this.store.record(deliveries, now);
		return deliveries.size();
	}

	/**
	 * An event that makes no message refreshes the incident's first message where a
	 * channel edits in place and that message exists.
	 */
	private int update(IncidentEvent event, byte[] raw, Instant now) {
		if (!Routing.UPDATES.contains(event.getType())) {
			return 0;
		}
		List<DeliveryStore.New> updates = new ArrayList<>();
		for (Channel channel : this.updatable) {
			if (this.store.sent(event.getIncidentId(), channel)) {
				updates.add(new DeliveryStore.New(event.getIncidentId(), event.getSequence(), channel, Kind.UPDATE,
						"update-in-place", raw, null));
			}
		}
		this.store.record(updates, now);
		return updates.size();
	}

	/**
	 * No channel for it; a PagerDuty acknowledge or resolve (those follow the trigger,
	 * below); or the channel has it already (two channels standing in for one outbox).
	 */
	private static boolean skip(Channel channel, Kind kind, List<DeliveryStore.New> deliveries) {
		if (channel == null) {
			return true;
		}
		if (channel == Channel.PAGERDUTY && kind != Kind.TRIGGER) {
			return true;
		}
		return deliveries.stream().anyMatch((delivery) -> delivery.channel() == channel);
	}

	private Channel channel(Channel routed) {
		if (this.configured.contains(routed)) {
			return routed;
		}
		return this.outboxStandsIn ? Channel.OUTBOX : null;
	}

}
