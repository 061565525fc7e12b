package dev.firebreak.notifier.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTest {

	@Test
	void aBurstThenTheRate() {
		MovingClock clock = new MovingClock();
		RateLimiter limiter = new RateLimiter(2, 3, clock);

		assertThat(limiter.tryAcquire()).isZero();
		assertThat(limiter.tryAcquire()).isZero();
		assertThat(limiter.tryAcquire()).isZero();
		assertThat(limiter.tryAcquire()).isEqualTo(Duration.ofMillis(500));
		clock.advance(Duration.ofMillis(250));
		assertThat(limiter.tryAcquire()).isEqualTo(Duration.ofMillis(250));
		clock.advance(Duration.ofMillis(250));
		assertThat(limiter.tryAcquire()).isZero();
		assertThat(limiter.tryAcquire()).isEqualTo(Duration.ofMillis(500));
	}

	@Test
	void aQuietSpellRefillsNoMoreThanTheBurst() {
		MovingClock clock = new MovingClock();
		RateLimiter limiter = new RateLimiter(2, 3, clock);
		for (int i = 0; i < 3; i++) {
			limiter.tryAcquire();
		}

		clock.advance(Duration.ofHours(1));

		for (int i = 0; i < 3; i++) {
			assertThat(limiter.tryAcquire()).isZero();
		}
		assertThat(limiter.tryAcquire()).isEqualTo(Duration.ofMillis(500));
	}

	/** A clock that moves only when told. */
	private static final class MovingClock extends Clock {

		private Instant now = Instant.parse("2026-11-22T10:00:00Z");

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

	@Test
	void backoffDoublesWithJitterAndARetryAfterWins() {
		Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

		assertThat(backoff.after(1, null)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
		assertThat(backoff.after(3, null)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
		assertThat(backoff.after(30, null)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
		assertThat(backoff.after(1, Duration.ofSeconds(20))).isEqualTo(Duration.ofSeconds(20));
	}

}
