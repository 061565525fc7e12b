package dev.firebreak.incidents.maintenance;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;

import dev.firebreak.incidents.labels.LabelMatchers;
import dev.firebreak.schemas.avro.LabelMatcher;
import dev.firebreak.schemas.avro.MaintenanceWindow;
import dev.firebreak.schemas.avro.Recurrence;
import dev.firebreak.schemas.avro.Weekday;

/**
 * A maintenance window as people write it, in configuration and in the API: label
 * matchers as text ({@code service=db}, {@code env=~"prod.*"}), and either a one-off
 * range ({@code startsAt}/{@code endsAt}) or a weekly recurrence ({@code days},
 * {@code startTime}, {@code endTime} in {@code timeZone}, UTC unless given).
 */
public record WindowSpec(String id, String name, List<String> matchers, Instant startsAt, Instant endsAt,
		List<Weekday> days, LocalTime startTime, LocalTime endTime, String timeZone, String reason) {

	public WindowSpec {
		matchers = (matchers != null) ? List.copyOf(matchers) : List.of();
		days = (days != null) ? List.copyOf(new HashSet<>(days)) : List.of();
		timeZone = (timeZone != null) ? timeZone : "UTC";
	}

	/**
	 * The window, validated.
	 * @param where what to name in an error: a property or a request body
	 * @throws IllegalArgumentException naming {@code where} and what is wrong
	 */
	public MaintenanceWindow toWindow(String where) {
		if (this.id == null || this.id.isBlank()) {
			throw new IllegalArgumentException(where + ".id is required");
		}
		boolean recurring = !this.days.isEmpty() || this.startTime != null || this.endTime != null;
		if (recurring && (this.days.isEmpty() || this.startTime == null || this.endTime == null)) {
			throw new IllegalArgumentException(where + ": a recurring window needs days, start-time and end-time");
		}
		try {
			MaintenanceWindow window = MaintenanceWindow.newBuilder()
				.setId(this.id)
				.setName((this.name != null) ? this.name : this.id)
				.setMatchers(this.matchers.stream().map(LabelMatchers::parse).toList())
				.setStartsAt(this.startsAt)
				.setEndsAt(this.endsAt)
				.setRecurrence(recurring ? new Recurrence(this.days.stream().sorted().toList(), this.startTime,
						this.endTime, ZoneId.of(this.timeZone).getId()) : null)
				.setReason(this.reason)
				.build();
			MaintenanceSchedule.validate(window);
			return window;
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(where + ": " + ex.getMessage(), ex);
		}
	}

	/** The spec of a window, as it would be written. */
	public static WindowSpec of(MaintenanceWindow window) {
		Recurrence recurrence = window.getRecurrence();
		return new WindowSpec(window.getId(), window.getName(),
				window.getMatchers().stream().map(LabelMatchers::text).toList(), window.getStartsAt(),
				window.getEndsAt(), (recurrence != null) ? recurrence.getDays() : null,
				(recurrence != null) ? recurrence.getStartTime() : null,
				(recurrence != null) ? recurrence.getEndTime() : null,
				(recurrence != null) ? recurrence.getTimeZone() : null, window.getReason());
	}

}
