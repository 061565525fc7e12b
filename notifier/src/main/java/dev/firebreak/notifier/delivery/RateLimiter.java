package dev.firebreak.notifier.delivery;

import java.time.Duration;

/**
 * A token bucket: {@code burst} messages at once, then {@code perSecond} a second. Asks
 * never block; they say how long to wait.
 */
public final class RateLimiter {

	private final double perSecond;

	private final double burst;

	private double tokens;

	private long refilledAt;

	public RateLimiter(double perSecond, int burst) {
		if (perSecond <= 0 || burst < 1) {
			throw new IllegalArgumentException("a rate limit needs a positive rate and a burst of at least 1");
		}
		this.perSecond = perSecond;
		this.burst = burst;
		this.tokens = burst;
		this.refilledAt = System.nanoTime();
	}

	/** Takes a token now, or says how long until one is there. */
	public synchronized Duration tryAcquire() {
		long now = System.nanoTime();
		this.tokens = Math.min(this.burst, this.tokens + (now - this.refilledAt) / 1e9 * this.perSecond);
		this.refilledAt = now;
		if (this.tokens >= 1) {
			this.tokens -= 1;
			return Duration.ZERO;
		}
		return Duration.ofNanos((long) Math.ceil((1 - this.tokens) / this.perSecond * 1e9));
	}

}
