package dev.firebreak.incidents.maintenance;

import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.firebreak.schemas.avro.LabelMatcher;
import dev.firebreak.schemas.avro.MaintenanceWindow;
import dev.firebreak.schemas.avro.MatchOperator;
import dev.firebreak.schemas.avro.Recurrence;
import dev.firebreak.schemas.avro.Weekday;
import dev.firebreak.schemas.fixtures.IncidentCommands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MaintenanceScheduleTest {

	/** Seed 000: Sunday 02:00–04:00 UTC, for service=api. 2026-11-22 is a Sunday. */
	private final MaintenanceWindow sunday = IncidentCommands.sundayMaintenance("mw-1", "api")
		.build()
		.getMaintenanceWindow();

	@ParameterizedTest
	@CsvSource({ "2026-11-22T01:59:59Z, false", "2026-11-22T02:00:00Z, true", "2026-11-22T03:59:59Z, true",
			"2026-11-22T04:00:00Z, false", "2026-11-23T02:30:00Z, false", "2026-11-29T02:30:00Z, true" })
	void isOnSundaysFromTwoToFourUtc(Instant at, boolean on) {
		assertThat(MaintenanceSchedule.isOn(this.sunday, at)).isEqualTo(on);
	}

	@Test
	void coversOnlyTheAlertsItsMatchersSelect() {
		Instant during = Instant.parse("2026-11-22T02:30:00Z");

		assertThat(MaintenanceSchedule.covers(this.sunday, Map.of("service", "api", "alertname", "X"), during))
			.isTrue();
		assertThat(MaintenanceSchedule.covers(this.sunday, Map.of("service", "web"), during)).isFalse();
		assertThat(MaintenanceSchedule.covers(this.sunday, Map.of("alertname", "X"), during)).isFalse();
	}

	@Test
	void followsItsTimeZoneAcrossDaylightSaving() {
		MaintenanceWindow berlin = recurring(List.of(Weekday.SUNDAY), "02:00", "04:00", "Europe/Berlin");

		// CET in November: 02:30 local is 01:30 UTC; CEST in July: 02:30 local is 00:30
		// UTC.
		assertThat(MaintenanceSchedule.isOn(berlin, Instant.parse("2026-11-22T01:30:00Z"))).isTrue();
		assertThat(MaintenanceSchedule.isOn(berlin, Instant.parse("2026-07-05T00:30:00Z"))).isTrue();
		assertThat(MaintenanceSchedule.isOn(berlin, Instant.parse("2026-11-22T03:30:00Z"))).isFalse();
	}

	@ParameterizedTest
	@CsvSource({ "2026-11-21T22:59:00Z, false", "2026-11-21T23:00:00Z, true", "2026-11-22T00:30:00Z, true",
			"2026-11-22T01:00:00Z, false", "2026-11-22T23:30:00Z, false" })
	void runsPastMidnightIntoTheNextDay(Instant at, boolean on) {
		MaintenanceWindow saturdayNight = recurring(List.of(Weekday.SATURDAY), "23:00", "01:00", "UTC");

		assertThat(MaintenanceSchedule.isOn(saturdayNight, at)).isEqualTo(on);
	}

	@Test
	void isOnForAOneOffRangeOnly() {
		MaintenanceWindow oneOff = MaintenanceWindow.newBuilder()
			.setId("mw-2")
			.setName("db upgrade")
			.setStartsAt(Instant.parse("2026-11-22T10:00:00Z"))
			.setEndsAt(Instant.parse("2026-11-22T11:00:00Z"))
			.build();

		assertThat(MaintenanceSchedule.isOn(oneOff, Instant.parse("2026-11-22T09:59:59Z"))).isFalse();
		assertThat(MaintenanceSchedule.isOn(oneOff, Instant.parse("2026-11-22T10:00:00Z"))).isTrue();
		assertThat(MaintenanceSchedule.isOn(oneOff, Instant.parse("2026-11-22T11:00:00Z"))).isFalse();
		assertThat(MaintenanceSchedule.matches(oneOff, Map.of("anything", "at all"))).as("no matchers: every alert")
			.isTrue();
	}

	@ParameterizedTest
	@CsvSource({ "EQUAL, api, api, true", "EQUAL, api, web, false", "NOT_EQUAL, api, web, true",
			"REGEX, 'api|web', web, true", "REGEX, 'ap', api, false", "NOT_REGEX, 'db.*', api, true",
			"NOT_REGEX, 'db.*', db-1, false" })
	void matchesLabelsAsAlertmanagerDoes(MatchOperator operator, String value, String label, boolean matches) {
		LabelMatcher matcher = LabelMatcher.newBuilder()
			.setName("service")
			.setOperator(operator)
			.setValue(value)
			.build();

		assertThat(MaintenanceSchedule.matches(matcher, Map.of("service", label))).isEqualTo(matches);
	}

	@Test
	void matchesAMissingLabelAsEmpty() {
		LabelMatcher notProduction = LabelMatcher.newBuilder()
			.setName("env")
			.setOperator(MatchOperator.NOT_EQUAL)
			.setValue("prod")
			.build();

		assertThat(MaintenanceSchedule.matches(notProduction, Map.of())).isTrue();
	}

	@Test
	void refusesWindowsThatCouldNeverWork() {
		MaintenanceWindow badRegex = MaintenanceWindow.newBuilder(this.sunday)
			.setMatchers(List
				.of(LabelMatcher.newBuilder().setName("a").setOperator(MatchOperator.REGEX).setValue("(").build()))
			.build();
		MaintenanceWindow noTime = MaintenanceWindow.newBuilder(this.sunday).setRecurrence(null).build();
		MaintenanceWindow badZone = recurring(List.of(Weekday.MONDAY), "01:00", "02:00", "Mars/Olympus");
		MaintenanceWindow backwards = MaintenanceWindow.newBuilder(noTime)
			.setStartsAt(Instant.parse("2026-11-22T11:00:00Z"))
			.setEndsAt(Instant.parse("2026-11-22T10:00:00Z"))
			.build();

		assertThatIllegalArgumentException().isThrownBy(() -> MaintenanceSchedule.validate(badRegex))
			.withMessageContaining("regular expression");
		assertThatIllegalArgumentException().isThrownBy(() -> MaintenanceSchedule.validate(noTime))
			.withMessageContaining("time range or a recurrence");
		assertThatIllegalArgumentException().isThrownBy(() -> MaintenanceSchedule.validate(backwards))
			.withMessageContaining("end after it starts");
		assertThatIllegalArgumentException().isThrownBy(() -> MaintenanceSchedule.validate(badZone))
			.withMessage("time zone 'Mars/Olympus' is not known: write a region such as Europe/Berlin, or UTC");
		MaintenanceSchedule.validate(this.sunday);
	}

	private static MaintenanceWindow recurring(List<Weekday> days, String start, String end, String zone) {
		return MaintenanceWindow.newBuilder()
			.setId("mw")
			.setName("recurring")
			.setRecurrence(Recurrence.newBuilder()
				.setDays(days)
				.setStartTime(LocalTime.parse(start))
				.setEndTime(LocalTime.parse(end))
				.setTimeZone(zone)
				.build())
			.build();
	}

}
