package dev.firebreak.notifier.delivery;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: after the n-th failed attempt, a wait between half and
 * all of {@code initial × 2^(n-1)}, at most {@code max}; a longer Retry-After from the
 * channel wins.
 */
public record Backoff(Duration initial, Duration max) {

	public Duration after(int attempts, Duration retryAfter) {
		long ceiling = Math.min(this.max.toMillis(),
				this.initial.toMillis() * (1L << Math.min(20, Math.max(0, attempts - 1))));
		long wait = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
		Duration backoff = Duration.ofMillis(wait);
		return (retryAfter != null && retryAfter.compareTo(backoff) > 0) ? retryAfter : backoff;
	}

}
