package dev.firebreak.notifier.escalation;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Who "the on-call engineer" is at a moment: weekly turns handing over on Monday at 09:00
 * in Berlin, a weekend layer above them, and an override.
 */
class ScheduleTest {

	private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

	/** Alice from Monday 2026-03-23 09:00 Berlin, Bob the week after, then Carol. */
	private static final Layer WEEKLY = new Layer(List.of("alice", "bob", "carol"),
			LocalDateTime.parse("2026-03-23T09:00"), Duration.ofDays(7), Set.of(), null, null);

	private static final Schedule PRIMARY = new Schedule("primary", BERLIN, List.of(WEEKLY), List.of());

	static Stream<Arguments> weeklyHandoffs() {
		return Stream.of(arguments("the first turn starts", "2026-03-23T08:00:00Z", "alice"),
				arguments("a minute before the handoff, summer time begun on Sunday", "2026-03-30T06:59:00Z", "alice"),
				arguments("at the handoff: 09:00 in Berlin is 07:00 UTC in summer", "2026-03-30T07:00:00Z", "bob"),
				arguments("the third week", "2026-04-08T12:00:00Z", "carol"),
				arguments("round to the first again", "2026-04-13T07:00:00Z", "alice"),
				arguments("before the first turn, counting backwards", "2026-03-20T12:00:00Z", "carol"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("weeklyHandoffs")
	void aWeeklyRotationHandsOverAtTheSameLocalTimeAcrossDaylightSavingTime(String when, String at, String person) {
		assertThat(PRIMARY.onCall(Instant.parse(at))).contains(person);
	}

	@Test
	void aHigherLayerCoversItsHoursAndTheLowerOneTheRest() {
		Layer weekends = new Layer(List.of("dave"), LocalDateTime.parse("2026-03-21T00:00"), Duration.ofDays(7),
				Set.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), null, null);
		Layer nights = new Layer(List.of("erin"), LocalDateTime.parse("2026-03-23T00:00"), Duration.ofDays(1), Set.of(),
				LocalTime.of(22, 0), LocalTime.of(6, 0));
		Schedule layered = new Schedule("primary", BERLIN, List.of(WEEKLY, weekends, nights), List.of());

		assertThat(layered.onCall(Instant.parse("2026-03-24T12:00:00Z"))).as("Tuesday noon").contains("alice");
		assertThat(layered.onCall(Instant.parse("2026-03-28T12:00:00Z"))).as("Saturday noon").contains("dave");
		assertThat(layered.onCall(Instant.parse("2026-03-24T22:30:00Z"))).as("Tuesday 23:30 in Berlin")
			.contains("erin");
		assertThat(layered.onCall(Instant.parse("2026-03-25T04:30:00Z"))).as("Wednesday 05:30 in Berlin")
			.contains("erin");
		assertThat(layered.onCall(Instant.parse("2026-03-25T05:30:00Z"))).as("Wednesday 06:30 in Berlin")
			.contains("alice");
	}

	@Test
	void anOverrideStandsInForItsRangeOnly() {
		Schedule covered = new Schedule("primary", BERLIN, List.of(WEEKLY), List.of(new Schedule.Override("frank",
				Instant.parse("2026-03-25T08:00:00Z"), Instant.parse("2026-03-26T08:00:00Z"))));

		assertThat(covered.onCall(Instant.parse("2026-03-25T07:59:59Z"))).contains("alice");
		assertThat(covered.onCall(Instant.parse("2026-03-25T08:00:00Z"))).contains("frank");
		assertThat(covered.onCall(Instant.parse("2026-03-26T08:00:00Z"))).contains("alice");
	}

	@Test
	void aScheduleWhoseLayersDoNotCoverAMomentHasNobody() {
		Layer weekdays = new Layer(List.of("alice"), LocalDateTime.parse("2026-03-23T09:00"), Duration.ofDays(7),
				Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY),
				LocalTime.of(9, 0), LocalTime.of(17, 0));
		Schedule office = new Schedule("office", BERLIN, List.of(weekdays), List.of());

		assertThat(office.onCall(Instant.parse("2026-03-28T10:00:00Z"))).isEqualTo(Optional.empty());
	}

	@Test
	void twelveHourTurnsCountInstants() {
		Layer shifts = new Layer(List.of("day", "night"), LocalDateTime.parse("2026-03-23T08:00"), Duration.ofHours(12),
				Set.of(), null, null);
		Schedule schedule = new Schedule("shifts", ZoneId.of("UTC"), List.of(shifts), List.of());

		assertThat(schedule.onCall(Instant.parse("2026-03-23T19:59:00Z"))).contains("day");
		assertThat(schedule.onCall(Instant.parse("2026-03-23T20:00:00Z"))).contains("night");
		assertThat(schedule.onCall(Instant.parse("2026-03-24T08:00:00Z"))).contains("day");
	}

	@Test
	void aLayerNeedsPeopleAndAPositiveRotation() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new Layer(List.of(), LocalDateTime.parse("2026-03-23T09:00"), Duration.ofDays(7),
					Set.of(), null, null))
			.withMessage("a layer needs at least one person");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new Layer(List.of("alice"), LocalDateTime.parse("2026-03-23T09:00"), Duration.ZERO,
					Set.of(), null, null))
			.withMessage("a layer's rotation must be positive, was PT0S");
	}

}
