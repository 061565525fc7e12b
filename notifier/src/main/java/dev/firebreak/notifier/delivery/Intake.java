package dev.firebreak.notifier.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.firebreak.notifier.channel.Sender;
import dev.firebreak.notifier.escalation.EscalationPolicy;
import dev.firebreak.notifier.escalation.Reach;
import dev.firebreak.notifier.escalation.Target;
import dev.firebreak.notifier.route.Kind;
import dev.firebreak.notifier.route.Origin;
import dev.firebreak.notifier.route.Route;
import dev.firebreak.notifier.route.Routing;
import dev.firebreak.schemas.avro.Channel;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.NotificationStatus;

/**
 * Turns an incident event into the deliveries it deserves, recorded before anything is
 * sent: the routes' messages on each channel's own destination, and the pages of the
 * escalation policy's targets that are due (each target once per incident and level, the
 * on-call person resolved now). A destination without a sender goes to the local outbox
 * when the outbox stands in for missing ones. An acknowledge or resolve follows every
 * PagerDuty trigger and every target's page, whatever the routes say, but for one that
 * PagerDuty made itself ({@link Origin#echoes}): that one is recorded as suppressed.
 */
public class Intake {

	private static final Logger log = LoggerFactory.getLogger(Intake.class);

	/** The outbox's destination. */
	static final String OUTBOX = "outbox";

	/** Why PagerDuty is not told of a change it made itself. */
	static final String NOT_ECHOED = "not sent back: the change came from PagerDuty";

	private final List<Route> routes;

	private final Map<String, Sender> senders;

	private final boolean outboxStandsIn;

	private final Set<Channel> updatable;

	private final EscalationPolicy escalation;

	private final DeliveryStore store;

	private final Clock clock;

	/**
	 * @param senders the destinations that have a sender, by name (a channel's own is
	 * named after it: {@code slack}, {@code pagerduty}, {@code email}, {@code webhook})
	 * @param updatable the channels that edit a message in place
	 */
	public Intake(List<Route> routes, Map<String, Sender> senders, Set<Channel> updatable, boolean outboxStandsIn,
			EscalationPolicy escalation, DeliveryStore store, Clock clock) {
		this.routes = List.copyOf(routes);
		this.senders = Map.copyOf(senders);
		this.updatable = Set.copyOf(updatable);
		this.outboxStandsIn = outboxStandsIn;
		this.escalation = escalation;
		this.store = store;
		this.clock = clock;
	}

	/** A channel's own destination's name. */
	public static String destinationOf(Channel channel) {
		return channel.name().toLowerCase(Locale.ROOT);
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
		Map<String, List<Reach>> due = Routing.pages(event) ? due(event, now) : Map.of();
		String paged = paged(due);
		List<DeliveryStore.Page> pages = new ArrayList<>();
		due.forEach((page, reach) -> pages.add(page(event, raw, reach, paged)));
		List<DeliveryStore.New> deliveries = new ArrayList<>();
		for (Map.Entry<Channel, Routing.Decision> routed : Routing.route(this.routes, event).entrySet()) {
			Optional<String> destination = place(destinationOf(routed.getKey()), true);
			if (destination.isEmpty() || skip(routed.getKey(), kind.get(), deliveries, destination.get())) {
				continue;
			}
			Channel channel = channelOf(routed.getKey(), destination.get());
			Routing.Decision decision = routed.getValue();
			deliveries.add(new DeliveryStore.New(event.getIncidentId(), event.getSequence(), channel, kind.get(),
					decision.route(), raw, Delivery.Addressee.of(destination.get(), paged),
					(decision.suppressed() != null) ? Outcomes.of(event.getIncidentId(), event.getSequence(), channel,
							null, NotificationStatus.SUPPRESSED, decision.route(), decision.suppressed(), null, 0, now)
							: null));
		}
		if (kind.get() == Kind.ACKNOWLEDGE || kind.get() == Kind.RESOLVE) {
			List<DeliveryStore.Triggered> triggeredOn = this.store.triggered(event.getIncidentId());
			long pagerDuties = triggeredOn.stream()
				.filter((triggered) -> triggered.channel() == Channel.PAGERDUTY)
				.count();
			for (DeliveryStore.Triggered triggered : triggeredOn) {
				boolean echo = Origin.echoes(event.getCommandId(), triggered.channel(), kind.get(), pagerDuties);
				deliveries.add(new DeliveryStore.New(event.getIncidentId(), event.getSequence(), triggered.channel(),
						kind.get(), "follows-incident", raw, triggered.to(),
						echo ? Outcomes.of(event.getIncidentId(), event.getSequence(), triggered.channel(),
								triggered.to(), NotificationStatus.SUPPRESSED, triggered.to().destination(), NOT_ECHOED,
								null, 0, now) : null));
			}
		}
		this.store.record(deliveries, pages, now);
		return deliveries.size() + pages.stream().mapToInt((page) -> page.deliveries().size()).sum();
	}

	/**
	 * The targets due now and not told yet, each with the messages it needs, keyed
	 * {@code stage/target}.
	 */
	private Map<String, List<Reach>> due(IncidentEvent event, Instant now) {
		Map<String, List<Reach>> due = new LinkedHashMap<>();
		Map<String, List<Target>> stages = this.escalation.stages(event.getIncident());
		if (stages.isEmpty()) {
			return due;
		}
		Set<String> told = this.store.paged(event.getIncidentId());
		stages.forEach((stage, targets) -> {
			for (Target target : targets) {
				String page = stage + "/" + target.name();
				if (told.contains(page)) {
					continue;
				}
				List<Reach> reach = this.escalation.reach(stage, target, now);
				if (reach.isEmpty()) {
					log.atWarn()
						.setMessage("Nobody is on call: the target is told nothing")
						.addKeyValue("incidentId", event.getIncidentId())
						.addKeyValue("stage", stage)
						.addKeyValue("target", target.name())
						.log();
					continue;
				}
				due.put(page, reach);
			}
		});
		return due;
	}

	/** {@code Paged: alice at L1 (PAGERDUTY, SLACK), pd-managers at L2 (PAGERDUTY)}. */
	private static String paged(Map<String, List<Reach>> due) {
		if (due.isEmpty()) {
			return null;
		}
		return "Paged: " + due.values()
			.stream()
			.map((reach) -> reach.get(0).recipient() + " at " + reach.get(0).stage() + " ("
					+ reach.stream().map((one) -> one.channel().name()).collect(Collectors.joining(", ")) + ")")
			.collect(Collectors.joining(", "));
	}

	private DeliveryStore.Page page(IncidentEvent event, byte[] raw, List<Reach> reach, String paged) {
		List<DeliveryStore.New> deliveries = new ArrayList<>();
		for (Reach one : reach) {
			place(one.destination(), false).ifPresentOrElse(
					(destination) -> deliveries.add(new DeliveryStore.New(event.getIncidentId(), event.getSequence(),
							channelOf(one.channel(), destination), Kind.TRIGGER, "escalation " + one.stage(), raw,
							new Delivery.Addressee(destination, one.target(), one.address(), one.recipient(),
									one.stage(), paged),
							null)),
					() -> log.atWarn()
						.setMessage("A target's destination has no sender: the message is not sent")
						.addKeyValue("target", one.target())
						.addKeyValue("destination", one.destination())
						.log());
		}
		Reach first = reach.get(0);
		return new DeliveryStore.Page(event.getIncidentId(), event.getSequence(), first.stage(), first.target(),
				first.recipient(), deliveries);
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
						"update-in-place", raw, Delivery.Addressee.of(destinationOf(channel), null), null));
			}
		}
		this.store.record(updates, now);
		return updates.size();
	}

	/**
	 * A PagerDuty acknowledge or resolve (those follow the trigger, below); or the
	 * destination has it already (two channels standing in for one outbox).
	 */
	private static boolean skip(Channel channel, Kind kind, List<DeliveryStore.New> deliveries, String destination) {
		if (channel == Channel.PAGERDUTY && kind != Kind.TRIGGER) {
			return true;
		}
		return deliveries.stream().anyMatch((delivery) -> delivery.to().destination().equals(destination));
	}

	/**
	 * The destination that sends to a place: itself, or the outbox standing in.
	 * @param broadcast whether it is a route's message, for the destination's own
	 * recipients (email without a list of its own writes only to people)
	 */
	private Optional<String> place(String destination, boolean broadcast) {
		Sender sender = this.senders.get(destination);
		if (sender != null && (!broadcast || sender.broadcasts())) {
			return Optional.of(destination);
		}
		return this.outboxStandsIn ? Optional.of(OUTBOX) : Optional.empty();
	}

	private static Channel channelOf(Channel channel, String destination) {
		return OUTBOX.equals(destination) ? Channel.OUTBOX : channel;
	}

}
