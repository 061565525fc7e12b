package dev.firebreak.notifier.delivery;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTest {

	@Test
	void aBurstThenTheRate() {
		RateLimiter limiter = new RateLimiter(2, 3);

		assertThat(limiter.tryAcquire()).isZero();
		assertThat(limiter.tryAcquire()).isZero();
		assertThat(limiter.tryAcquire()).isZero();
		Duration wait = limiter.tryAcquire();
		assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofMillis(500));
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
