package dev.firebreak.incidents.escalation;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

import dev.firebreak.schemas.avro.EscalationLevel;

/**
 * When an incident must be answered and when it reaches each level, as instants: a
 * policy's delays laid on the incident's start.
 *
 * @param respondBy when the response time runs out
 * @param deadlines when each level above the current one is reached
 */
public record Clock(Instant respondBy, Map<EscalationLevel, Instant> deadlines) {

	public Clock {
		deadlines = deadlines.isEmpty() ? Map.of() : new EnumMap<>(deadlines);
	}

	/**
	 * A policy's clock.
	 * @param opened what the response time counts from
	 * @param base what the levels count from (the opening, or the latest acknowledgement)
	 * @param above only levels above this one are set
	 */
	public static Clock of(ResponsePolicy policy, Instant opened, Instant base, EscalationLevel above,
			BusinessCalendar calendar) {
		Map<EscalationLevel, Instant> deadlines = new EnumMap<>(EscalationLevel.class);
		policy.levels().forEach((level, due) -> {
			if (level.ordinal() > above.ordinal()) {
				deadlines.put(level, due.after(base, calendar));
			}
		});
		return new Clock(policy.responseTime().after(opened, calendar), deadlines);
	}

	/**
	 * Each deadline the earlier of the two: an alert joining shortens a clock, never
	 * lengthens it.
	 */
	public Clock strictest(Clock other) {
		Map<EscalationLevel, Instant> deadlines = new EnumMap<>(EscalationLevel.class);
		deadlines.putAll(this.deadlines);
		other.deadlines.forEach((level, at) -> deadlines.merge(level, at, (a, b) -> a.isBefore(b) ? a : b));
		return new Clock(earlier(this.respondBy, other.respondBy), deadlines);
	}

	/** The highest level whose deadline has come, if one above {@code current} has. */
	public EscalationLevel due(EscalationLevel current, Instant now) {
		EscalationLevel due = current;
		for (Map.Entry<EscalationLevel, Instant> deadline : this.deadlines.entrySet()) {
			if (deadline.getKey().ordinal() > due.ordinal() && !now.isBefore(deadline.getValue())) {
				due = deadline.getKey();
			}
		}
		return due;
	}

	/** The next deadline above {@code current}, if any is left. */
	public Instant next(EscalationLevel current) {
		return this.deadlines.entrySet()
			.stream()
			.filter((deadline) -> deadline.getKey().ordinal() > current.ordinal())
			.map(Map.Entry::getValue)
			.min(Instant::compareTo)
			.orElse(null);
	}

	private static Instant earlier(Instant a, Instant b) {
		if (a == null || b == null) {
			return (a != null) ? a : b;
		}
		return a.isBefore(b) ? a : b;
	}

}
