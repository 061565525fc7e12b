package dev.firebreak.notifier.delivery;

import java.time.Duration;
import java.time.Instant;

/**
 * A destination's token bucket: {@code burst} messages at once, then {@code perSecond} a
 * second. The bucket itself lives in PostgreSQL ({@link DeliveryStore#take}), shared by
 * every notifier instance, so the limit holds for the cluster; this is its arithmetic.
 *
 * @param perSecond the rate the bucket refills at
 * @param burst the most tokens it holds
 */
public record RateLimit(double perSecond, int burst) {

	public RateLimit {
		if (perSecond <= 0 || burst < 1) {
			throw new IllegalArgumentException("a rate limit needs a positive rate and a burst of at least 1");
		}
	}

	/**
	 * Takes a token from the bucket as it was at {@code refilledAt}, refilled until
	 * {@code now}.
	 * @return the bucket after the take, and how long to wait when no token was there
	 */
	public Taken take(double tokens, Instant refilledAt, Instant now) {
		double elapsed = Math.max(0, Duration.between(refilledAt, now).toNanos()) / 1e9;
		double refilled = Math.min(this.burst, tokens + elapsed * this.perSecond);
		if (refilled >= 1) {
			return new Taken(refilled - 1, Duration.ZERO);
		}
		return new Taken(refilled, Duration.ofNanos((long) Math.ceil((1 - refilled) / this.perSecond * 1e9)));
	}

	/**
	 * @param tokens the tokens left, as of the take
	 * @param delay zero when a token was taken; otherwise how long until one is there
	 */
	public record Taken(double tokens, Duration delay) {

	}

}
