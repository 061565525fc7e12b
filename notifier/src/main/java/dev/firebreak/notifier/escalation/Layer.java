package dev.firebreak.notifier.escalation;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One layer of an on-call schedule: people taking turns, each for {@code rotation}, the
 * first from {@code start}, handing over at the same local time in the schedule's zone
 * (so a weekly handoff stays at Monday 09:00 across a change of daylight saving time). A
 * layer may cover only some days and hours (a weekend layer over the weekday one).
 *
 * @param people who take turns, in order
 * @param start when the first of them takes over, in the schedule's zone
 * @param rotation how long each turn lasts (whole days are counted in the zone)
 * @param days the days it covers; all when empty
 * @param from the time of day its cover starts, with {@code until}; all day when null
 * @param until the time of day its cover ends (before {@code from}: past midnight)
 */
public record Layer(List<String> people, LocalDateTime start, Duration rotation, Set<DayOfWeek> days, LocalTime from,
		LocalTime until) {

	public Layer {
		people = List.copyOf(people);
		days = Set.copyOf(days);
		if (people.isEmpty()) {
			throw new IllegalArgumentException("a layer needs at least one person");
		}
		if (rotation.isNegative() || rotation.isZero()) {
			throw new IllegalArgumentException("a layer's rotation must be positive, was " + rotation);
		}
		if ((from == null) != (until == null)) {
			throw new IllegalArgumentException("a layer's hours need both from and until");
		}
	}

	/** Who is on call in this layer at an instant, if the layer covers it. */
	public Optional<String> onCall(Instant at, ZoneId zone) {
		ZonedDateTime local = at.atZone(zone);
		if (!covers(local)) {
			return Optional.empty();
		}
		long turns = turnsSinceStart(at, local.toLocalDateTime(), zone);
		return Optional.of(this.people.get((int) Math.floorMod(turns, (long) this.people.size())));
	}

	private boolean covers(ZonedDateTime local) {
		if (!this.days.isEmpty() && !this.days.contains(local.getDayOfWeek())) {
			return false;
		}
		if (this.from == null) {
			return true;
		}
		LocalTime time = local.toLocalTime();
		return this.from.isBefore(this.until) ? !time.isBefore(this.from) && time.isBefore(this.until)
				: !time.isBefore(this.from) || time.isBefore(this.until);
	}

	private long turnsSinceStart(Instant at, LocalDateTime local, ZoneId zone) {
		if (this.rotation.toSeconds() % Duration.ofDays(1).toSeconds() == 0) {
			// Whole days: counted on the calendar, handing over at the start's local
			// time.
			long days = ChronoUnit.DAYS.between(this.start.toLocalDate(), local.toLocalDate());
			if (local.toLocalTime().isBefore(this.start.toLocalTime())) {
				days--;
			}
			return Math.floorDiv(days, this.rotation.toDays());
		}
		long elapsed = Duration.between(this.start.atZone(zone).toInstant(), at).toSeconds();
		return Math.floorDiv(elapsed, this.rotation.toSeconds());
	}

}
