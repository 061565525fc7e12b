package dev.firebreak.notifier.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket: {@code burst} messages at once, then {@code perSecond} a second. Asks
 * never block; they say how long to wait.
 */
public final class RateLimiter {

	private final double perSecond;

	private final double burst;

	private final Clock clock;

	private double tokens;

	private Instant refilledAt;

	public RateLimiter(double perSecond, int burst) {
		this(perSecond, burst, Clock.systemUTC());
	}

	public RateLimiter(double perSecond, int burst, Clock clock) {
		if (perSecond <= 0 || burst < 1) {
			throw new IllegalArgumentException("a rate limit needs a positive rate and a burst of at least 1");
		}
		this.perSecond = perSecond;
		this.burst = burst;
		this.clock = clock;
		this.tokens = burst;
		this.refilledAt = clock.instant();
	}

	/** Takes a token now, or says how long until one is there. */
	public synchronized Duration tryAcquire() {
		Instant now = this.clock.instant();
		double elapsed = Math.max(0, Duration.between(this.refilledAt, now).toNanos()) / 1e9;
		this.tokens = Math.min(this.burst, this.tokens + elapsed * this.perSecond);
		this.refilledAt = now;
		if (this.tokens >= 1) {
			this.tokens -= 1;
			return Duration.ZERO;
		}
		return Duration.ofNanos((long) Math.ceil((1 - this.tokens) / this.perSecond * 1e9));
	}

}
