package dev.firebreak.notifier.escalation;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * An on-call schedule: who "the on-call engineer" is at a given moment. An override in
 * force wins (the latest written, when two overlap); otherwise the highest layer that
 * covers the moment.
 *
 * @param name for messages and the timeline
 * @param zone where its handoffs and hours are reckoned
 * @param layers the lowest first
 * @param overrides someone standing in for a while
 */
public record Schedule(String name, ZoneId zone, List<Layer> layers, List<Override> overrides) {

	public Schedule {
		layers = List.copyOf(layers);
		overrides = List.copyOf(overrides);
		if (layers.isEmpty()) {
			throw new IllegalArgumentException("schedule " + name + " needs at least one layer");
		}
	}

	/** Who is on call at an instant; empty when no layer covers it. */
	public Optional<String> onCall(Instant at) {
		for (int i = this.overrides.size() - 1; i >= 0; i--) {
			Override override = this.overrides.get(i);
			if (override.covers(at)) {
				return Optional.of(override.person());
			}
		}
		for (int i = this.layers.size() - 1; i >= 0; i--) {
			Optional<String> person = this.layers.get(i).onCall(at, this.zone);
			if (person.isPresent()) {
				return person;
			}
		}
		return Optional.empty();
	}

	/**
	 * Someone on call instead of the layers, from one instant until another.
	 *
	 * @param person who
	 * @param from from when
	 * @param until until when (excluded)
	 */
	public record Override(String person, Instant from, Instant until) {

		public Override {
			if (!until.isAfter(from)) {
				throw new IllegalArgumentException("an override must end after it starts: " + from + " to " + until);
			}
		}

		boolean covers(Instant at) {
			return !at.isBefore(this.from) && at.isBefore(this.until);
		}

	}

}
