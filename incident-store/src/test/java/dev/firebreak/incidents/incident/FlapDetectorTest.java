package dev.firebreak.incidents.incident;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FlapDetectorTest {

	private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

	private final FlapDetector detector = FlapDetector.DEFAULT;

	@Test
	void flapsAtTheFourthChangeWithinThirtyMinutes() {
		List<Instant> changes = List.of();
		for (int minute : new int[] { 0, 5, 10 }) {
			changes = this.detector.record(changes, T0.plus(Duration.ofMinutes(minute)));
			assertThat(this.detector.startsFlapping(changes)).isFalse();
		}

		changes = this.detector.record(changes, T0.plus(Duration.ofMinutes(30)));

		assertThat(this.detector.startsFlapping(changes)).isTrue();
	}

	@Test
	void doesNotFlapWhenTheChangesAreSpreadOut() {
		List<Instant> changes = List.of();
		for (int minute : new int[] { 0, 11, 22, 33, 44 }) {
			changes = this.detector.record(changes, T0.plus(Duration.ofMinutes(minute)));
		}

		assertThat(this.detector.startsFlapping(changes)).isFalse();
	}

	@Test
	void keepsAtMostThresholdChanges() {
		List<Instant> changes = List.of();
		for (int second = 0; second < 1000; second++) {
			changes = this.detector.record(changes, T0.plusSeconds(second));
		}

		assertThat(changes).hasSize(4).last().isEqualTo(T0.plusSeconds(999));
	}

	@Test
	void stopsFlappingAfterTheQuietPeriod() {
		assertThat(this.detector.stopsFlapping(T0, T0.plus(Duration.ofMinutes(29)))).isFalse();
		assertThat(this.detector.stopsFlapping(T0, T0.plus(Duration.ofMinutes(30)))).isTrue();
	}

	@Test
	void refusesAThresholdBelowTwo() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new FlapDetector(1, Duration.ofMinutes(1), Duration.ofMinutes(1)));
	}

}
