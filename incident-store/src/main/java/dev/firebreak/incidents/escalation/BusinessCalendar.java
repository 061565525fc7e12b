package dev.firebreak.incidents.escalation;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Set;

/**
 * Working days and hours in a zone, with holidays: what "next business day" (seeds 001
 * and 004) and "weekly review" (seed 004's SEV-4) mean as instants. Times are reckoned in
 * the zone, so a day is a day across a change of daylight saving time.
 *
 * @param zone where the team works
 * @param days the working days
 * @param start when a working day starts
 * @param end when it ends
 * @param holidays dates off, whatever their weekday
 * @param reviewDay the day of the weekly review
 */
public record BusinessCalendar(ZoneId zone, Set<DayOfWeek> days, LocalTime start, LocalTime end,
		Set<LocalDate> holidays, DayOfWeek reviewDay) {

	/** Monday to Friday, 09:00 to 17:00 UTC, no holidays, reviews on Mondays. */
	public static final BusinessCalendar DEFAULT = new BusinessCalendar(ZoneId.of("UTC"),
			EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(9, 0), LocalTime.of(17, 0), Set.of(),
			DayOfWeek.MONDAY);

	public BusinessCalendar {
		days = Set.copyOf(days);
		holidays = Set.copyOf(holidays);
		if (days.isEmpty()) {
			throw new IllegalArgumentException("business hours need at least one working day");
		}
		if (!end.isAfter(start)) {
			throw new IllegalArgumentException("business hours must end after they start, not at " + end);
		}
	}

	/** Whether a date is a working day. */
	public boolean isBusinessDay(LocalDate date) {
		return this.days.contains(date.getDayOfWeek()) && !this.holidays.contains(date);
	}

	/**
	 * The start of the first working day after the day {@code from} falls on: an incident
	 * of Friday evening is due Monday morning, one of a holiday's eve the day after it.
	 */
	public Instant nextBusinessDay(Instant from) {
		LocalDate date = from.atZone(this.zone).toLocalDate().plusDays(1);
		while (!isBusinessDay(date)) {
			date = date.plusDays(1);
		}
		return ZonedDateTime.of(date, this.start, this.zone).toInstant();
	}

	/** The start of the next weekly review after {@code from}, on a working day. */
	public Instant weeklyReview(Instant from) {
		LocalDate date = from.atZone(this.zone).toLocalDate().plusDays(1);
		while (date.getDayOfWeek() != this.reviewDay) {
			date = date.plusDays(1);
		}
		while (!isBusinessDay(date)) {
			date = date.plusDays(1);
		}
		return ZonedDateTime.of(date, this.start, this.zone).toInstant();
	}

}
