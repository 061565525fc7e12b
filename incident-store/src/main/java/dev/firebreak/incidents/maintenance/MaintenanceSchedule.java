package dev.firebreak.incidents.maintenance;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.firebreak.schemas.avro.LabelMatcher;
import dev.firebreak.schemas.avro.MaintenanceWindow;
import dev.firebreak.schemas.avro.Recurrence;

/**
 * Whether a maintenance window covers an alert at an instant: its matchers select the
 * alert's labels (all must match; regular expressions are anchored, as in Alertmanager),
 * and its schedule is on. A one-off window is on from {@code startsAt} (inclusive) to
 * {@code endsAt} (exclusive); a recurring one on each listed day from {@code startTime}
 * to {@code endTime} in its zone, where an end at or before the start runs past midnight
 * into the next day.
 */
public final class MaintenanceSchedule {

	private MaintenanceSchedule() {
	}

	public static boolean covers(MaintenanceWindow window, Map<String, String> labels, Instant at) {
		return isOn(window, at) && matches(window, labels);
	}

	public static boolean matches(MaintenanceWindow window, Map<String, String> labels) {
		return window.getMatchers().stream().allMatch((matcher) -> matches(matcher, labels));
	}

	static boolean matches(LabelMatcher matcher, Map<String, String> labels) {
		// As in Alertmanager, a missing label matches as the empty string.
		String value = labels.getOrDefault(matcher.getName(), "");
		return switch (matcher.getOperator()) {
			case EQUAL -> value.equals(matcher.getValue());
			case NOT_EQUAL -> !value.equals(matcher.getValue());
			case REGEX -> pattern(matcher).matcher(value).matches();
			case NOT_REGEX -> !pattern(matcher).matcher(value).matches();
		};
	}

	public static boolean isOn(MaintenanceWindow window, Instant at) {
		boolean oneOff = window.getStartsAt() != null || window.getEndsAt() != null;
		if (oneOff && !withinOneOff(window, at)) {
			return false;
		}
		return (window.getRecurrence() == null) ? oneOff : withinRecurrence(window.getRecurrence(), at);
	}

	private static boolean withinOneOff(MaintenanceWindow window, Instant at) {
		return (window.getStartsAt() == null || !at.isBefore(window.getStartsAt()))
				&& (window.getEndsAt() == null || at.isBefore(window.getEndsAt()));
	}

	private static boolean withinRecurrence(Recurrence recurrence, Instant at) {
		ZonedDateTime local = at.atZone(ZoneId.of(recurrence.getTimeZone()));
		LocalTime start = recurrence.getStartTime();
		LocalTime end = recurrence.getEndTime();
		LocalTime time = local.toLocalTime();
		LocalDate date = local.toLocalDate();
		if (start.isBefore(end)) {
			return onDay(recurrence, date.getDayOfWeek()) && !time.isBefore(start) && time.isBefore(end);
		}
		// Past midnight: on the listed day from the start, or on the day after it until
		// the end.
		return (onDay(recurrence, date.getDayOfWeek()) && !time.isBefore(start))
				|| (onDay(recurrence, date.minusDays(1).getDayOfWeek()) && time.isBefore(end));
	}

	private static boolean onDay(Recurrence recurrence, DayOfWeek day) {
		return recurrence.getDays().stream().anyMatch((weekday) -> weekday.name().equals(day.name()));
	}

	private static Pattern pattern(LabelMatcher matcher) {
		try {
			return Pattern.compile(matcher.getValue());
		}
		catch (PatternSyntaxException ex) {
			throw new IllegalArgumentException("invalid regular expression in matcher " + matcher.getName(), ex);
		}
	}

	/** Checks a window before it is accepted, so that matching it later cannot fail. */
	public static void validate(MaintenanceWindow window) {
		window.getMatchers()
			.stream()
			.filter((m) -> m.getOperator().name().endsWith("REGEX"))
			.forEach(MaintenanceSchedule::pattern);
		String zone = (window.getRecurrence() != null) ? window.getRecurrence().getTimeZone() : "UTC";
		try {
			ZoneId.of(zone);
		}
		catch (DateTimeException ex) {
			throw new IllegalArgumentException(
					"time zone '" + zone + "' is not known: write a region such as Europe/Berlin, or UTC", ex);
		}
		if (window.getStartsAt() == null && window.getEndsAt() == null && window.getRecurrence() == null) {
			throw new IllegalArgumentException("a maintenance window needs a time range or a recurrence");
		}
		if (window.getStartsAt() != null && window.getEndsAt() != null
				&& !window.getEndsAt().isAfter(window.getStartsAt())) {
			throw new IllegalArgumentException("a maintenance window must end after it starts");
		}
		if (window.getRecurrence() != null && window.getRecurrence().getDays().isEmpty()) {
			throw new IllegalArgumentException("a recurring maintenance window needs at least one day");
		}
	}

}
