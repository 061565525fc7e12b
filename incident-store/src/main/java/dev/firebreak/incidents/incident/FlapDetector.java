package dev.firebreak.incidents.incident;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether an alert is flapping: it changed state at least {@code threshold} times within
 * {@code window} (default 4 in 30 minutes). It stops flapping after {@code quietPeriod}
 * without a change. Works on the times of recent state changes, which it keeps bounded.
 */
public record FlapDetector(int threshold, Duration window, Duration quietPeriod) {

	public static final FlapDetector DEFAULT = new FlapDetector(4, Duration.ofMinutes(30), Duration.ofMinutes(30));

	public FlapDetector {
		if (threshold < 2) {
			throw new IllegalArgumentException("flapping threshold must be at least 2 state changes");
		}
		if (window.compareTo(Duration.ZERO) <= 0 || quietPeriod.compareTo(Duration.ZERO) <= 0) {
			throw new IllegalArgumentException("flapping window and quiet period must be positive");
		}
	}

	/**
	 * The change times to keep after a change at {@code at}: those within the window, at
	 * most threshold.
	 */
	public List<Instant> record(List<Instant> changes, Instant at) {
		List<Instant> kept = new ArrayList<>(this.threshold);
		for (Instant change : changes) {
			if (!change.isBefore(at.minus(this.window)) && !change.isAfter(at)) {
				kept.add(change);
			}
		}
		kept.add(at);
		kept.sort(null);
		return List.copyOf(kept.subList(Math.max(0, kept.size() - this.threshold), kept.size()));
	}

	/** Whether these recent changes make the alert flapping now. */
	public boolean startsFlapping(List<Instant> changes) {
		if (changes.size() < this.threshold) {
			return false;
		}
		Instant first = changes.get(changes.size() - this.threshold);
		Instant last = changes.get(changes.size() - 1);
		return Duration.between(first, last).compareTo(this.window) <= 0;
	}

	/**
	 * Whether a flapping alert whose last change was at {@code lastChange} has been quiet
	 * long enough at {@code now}.
	 */
	public boolean stopsFlapping(Instant lastChange, Instant now) {
		return Duration.between(lastChange, now).compareTo(this.quietPeriod) >= 0;
	}

}
