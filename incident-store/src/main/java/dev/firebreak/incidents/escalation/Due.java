package dev.firebreak.incidents.escalation;

import java.time.Duration;
import java.time.Instant;

/**
 * When something falls due, counted from a start: after a fixed time, at the start of the
 * next business day, or at the next weekly review.
 */
public sealed interface Due {

	/** The instant it falls due, counted from {@code from}. */
	Instant after(Instant from, BusinessCalendar calendar);

	/**
	 * When, as a timeline says it: {@code after 15m}, {@code at once},
	 * {@code on the next business day}.
	 */
	String when();

	/**
	 * A duration ({@code 15m}, {@code 4h}, {@code 24h45m}, {@code 0s}),
	 * {@code next-business-day} or {@code weekly-review}.
	 * @throws IllegalArgumentException for anything else
	 */
	static Due parse(String text) {
		return switch (text.trim()) {
			case "next-business-day" -> new NextBusinessDay();
			case "weekly-review" -> new WeeklyReview();
			default -> {
				Duration duration = Words.duration(text.trim());
				if (duration == null) {
					throw new IllegalArgumentException("'" + text
							+ "' is not a duration such as 15m, 4h or 24h45m, nor next-business-day or weekly-review");
				}
				yield new After(duration);
			}
		};
	}

	/** A fixed time after the start. */
	record After(Duration duration) implements Due {

		@Override
		public Instant after(Instant from, BusinessCalendar calendar) {
			return from.plus(this.duration);
		}

		@Override
		public String when() {
			return this.duration.isZero() ? "at once" : "after " + Words.of(this.duration);
		}

		@Override
		public String toString() {
			return Words.of(this.duration);
		}

	}

	/** The start of the next business day. */
	record NextBusinessDay() implements Due {

		@Override
		public Instant after(Instant from, BusinessCalendar calendar) {
			return calendar.nextBusinessDay(from);
		}

		@Override
		public String when() {
			return "on the next business day";
		}

		@Override
		public String toString() {
			return "the next business day";
		}

	}

	/** The next weekly review. */
	record WeeklyReview() implements Due {

		@Override
		public Instant after(Instant from, BusinessCalendar calendar) {
			return calendar.weeklyReview(from);
		}

		@Override
		public String when() {
			return "at the weekly review";
		}

		@Override
		public String toString() {
			return "the weekly review";
		}

	}

}
