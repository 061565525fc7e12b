package dev.firebreak.notifier.delivery;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RateLimitTest {

	private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

	private final RateLimit limit = new RateLimit(2, 3);

	/** A bucket and its clock, as PostgreSQL keeps them. */
	private double tokens = 3;

	private Instant refilledAt = T0;

	@Test
	void aBurstThenTheRate() {
		assertThat(take(T0)).isZero();
		assertThat(take(T0)).isZero();
		assertThat(take(T0)).isZero();
		assertThat(take(T0)).isEqualTo(Duration.ofMillis(500));
		assertThat(take(T0.plusMillis(250))).isEqualTo(Duration.ofMillis(250));
		assertThat(take(T0.plusMillis(500))).isZero();
		assertThat(take(T0.plusMillis(500))).isEqualTo(Duration.ofMillis(500));
	}

	@Test
	void aQuietSpellRefillsNoMoreThanTheBurst() {
		for (int i = 0; i < 3; i++) {
			take(T0);
		}

		Instant later = T0.plus(Duration.ofHours(1));

		for (int i = 0; i < 3; i++) {
			assertThat(take(later)).isZero();
		}
		assertThat(take(later)).isEqualTo(Duration.ofMillis(500));
	}

	@Test
	void aClockThatWentBackRefillsNothing() {
		this.tokens = 0;

		assertThat(take(T0.minusSeconds(5))).isEqualTo(Duration.ofMillis(500));
	}

	@Test
	void aRateLimitNeedsARateAndABurst() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RateLimit(0, 1));
		assertThatIllegalArgumentException().isThrownBy(() -> new RateLimit(1, 0));
	}

	private Duration take(Instant now) {
		RateLimit.Taken taken = this.limit.take(this.tokens, this.refilledAt, now);
		this.tokens = taken.tokens();
		this.refilledAt = now;
		return taken.delay();
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
