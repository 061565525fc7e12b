package dev.firebreak.incidents.incident;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

import dev.firebreak.incidents.incident.AlertMerge.Change;
import dev.firebreak.incidents.incident.AlertMerge.Result;
import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.avro.AlertStatus;
import dev.firebreak.schemas.avro.AlertSummary;
import dev.firebreak.schemas.avro.Severity;
import dev.firebreak.schemas.fixtures.Alerts;

import static org.assertj.core.api.Assertions.assertThat;

class AlertMergeTest {

	private static final Instant T0 = Alerts.T0;

	@Test
	void recordsTheFirstDelivery() {
		Result result = merge(null, firing(T0));

		assertThat(result.change()).isEqualTo(Change.NEW);
		assertThat(result.state().getStatus()).isEqualTo(AlertStatus.FIRING);
		assertThat(result.state().getSeverity()).isEqualTo(Severity.SEV2);
	}

	@Test
	void ignoresTheSameStateDeliveredAgain() {
		AlertSummary state = merge(null, firing(T0)).state();

		Result again = merge(state,
				Alerts.firing("ServiceDown").label("service", "api").receivedAt(T0.plusSeconds(30)).build());

		assertThat(again.change()).isEqualTo(Change.UNCHANGED);
		assertThat(again.state()).isSameAs(state);
	}

	@Test
	void updatesAFiringAlertWhoseAnnotationsChanged() {
		AlertSummary state = merge(null, firing(T0)).state();

		Result result = merge(state,
				Alerts.firing("ServiceDown").label("service", "api").annotation("summary", "still down").build());

		assertThat(result.change()).isEqualTo(Change.UPDATED);
		assertThat(result.state().getAnnotations()).containsEntry("summary", "still down");
	}

	@Test
	void resolvesAFiringAlert() {
		AlertSummary state = merge(null, firing(T0)).state();

		Result result = merge(state, resolved(T0, T0.plusSeconds(120)));

		assertThat(result.change()).isEqualTo(Change.RESOLVED);
		assertThat(result.state().getEndsAt()).isEqualTo(T0.plusSeconds(120));
	}

	@Test
	void keepsAResolvedAlertResolvedWhenAStaleFiringArrives() {
		AlertSummary state = merge(null, resolved(T0, T0.plusSeconds(120))).state();

		Result result = merge(state, firing(T0));

		assertThat(result.change()).isEqualTo(Change.UNCHANGED);
		assertThat(result.state().getStatus()).isEqualTo(AlertStatus.RESOLVED);
	}

	@Test
	void refiresWhenANewEpisodeStartsAfterTheEnd() {
		AlertSummary state = merge(null, resolved(T0, T0.plusSeconds(120))).state();

		Result result = merge(state, firing(T0.plusSeconds(300)));

		assertThat(result.change()).isEqualTo(Change.REFIRED);
		assertThat(result.state().getStartsAt()).isEqualTo(T0.plusSeconds(300));
		assertThat(result.state().getEndsAt()).isNull();
	}

	@Test
	void ignoresTheEndOfAnEarlierEpisodeArrivingLate() {
		AlertSummary state = merge(null, firing(T0.plusSeconds(300))).state();

		Result result = merge(state, resolved(T0, T0.plusSeconds(120)));

		assertThat(result.change()).isEqualTo(Change.UNCHANGED);
		assertThat(result.state().getStatus()).isEqualTo(AlertStatus.FIRING);
	}

	@Test
	void keepsTheEarliestStartAndTheLatestExplicitEnd() {
		AlertSummary state = merge(null, resolved(T0.plusSeconds(10), T0.plusSeconds(200))).state();

		Result result = merge(state, resolved(T0, T0.plusSeconds(100)));

		assertThat(result.state().getStartsAt()).isEqualTo(T0);
		assertThat(result.state().getEndsAt()).isEqualTo(T0.plusSeconds(200));
	}

	@Test
	void givesAResolvedAlertWithoutAnEndTheTimeItArrived() {
		AlertEvent noEnd = Alerts.resolved("ServiceDown")
			.label("service", "api")
			.endsAt(null)
			.receivedAt(T0.plusSeconds(90))
			.build();

		assertThat(merge(null, noEnd).state().getEndsAt()).isEqualTo(T0.plusSeconds(90));
	}

	@Test
	void mergesOneEpisodeStartedAtSlightlyDifferentTimesByHaReplicas() {
		AlertSummary state = merge(null, firing(T0.plusSeconds(15))).state();

		Result result = merge(state, firing(T0));

		assertThat(result.change()).isEqualTo(Change.UPDATED);
		assertThat(result.state().getStartsAt()).isEqualTo(T0);
	}

	@Test
	void keepsTheLaterEpisodeOfTwoFiringOnes() {
		AlertSummary later = merge(null, firing(T0.plusSeconds(240))).state();

		assertThat(merge(later, firing(T0)).change()).isEqualTo(Change.UNCHANGED);
		assertThat(merge(merge(null, firing(T0)).state(), firing(T0.plusSeconds(240))).state().getStartsAt())
			.isEqualTo(T0.plusSeconds(240));
	}

	/**
	 * Whatever the order of delivery, the final state is the one in-order delivery gives.
	 */
	@RepeatedTest(50)
	void convergesWhateverTheOrderOfDelivery(RepetitionInfo repetition) {
		List<AlertEvent> deliveries = new ArrayList<>(
				List.of(firing(T0), firing(T0), resolved(T0, T0.plusSeconds(60)), firing(T0.plusSeconds(120)),
						resolved(T0.plusSeconds(120), T0.plusSeconds(180)), firing(T0.plusSeconds(240))));
		AlertSummary inOrder = fold(deliveries);
		// Seeded by the repetition, so a failing order can be replayed.
		Collections.shuffle(deliveries, new Random(repetition.getCurrentRepetition()));

		AlertSummary shuffled = fold(deliveries);

		assertThat(shuffled.getStatus()).isEqualTo(inOrder.getStatus()).isEqualTo(AlertStatus.FIRING);
		assertThat(shuffled.getStartsAt()).isEqualTo(inOrder.getStartsAt()).isEqualTo(T0.plusSeconds(240));
	}

	private static AlertSummary fold(List<AlertEvent> deliveries) {
		AlertSummary state = null;
		for (AlertEvent delivery : deliveries) {
			state = merge(state, delivery).state();
		}
		return state;
	}

	private static Result merge(AlertSummary state, AlertEvent delivery) {
		return AlertMerge.merge(state, delivery, Severity.SEV2);
	}

	private static AlertEvent firing(Instant startsAt) {
		return Alerts.firing("ServiceDown").label("service", "api").startsAt(startsAt).build();
	}

	private static AlertEvent resolved(Instant startsAt, Instant endsAt) {
		return Alerts.resolved("ServiceDown").label("service", "api").startsAt(startsAt).endsAt(endsAt).build();
	}

}
