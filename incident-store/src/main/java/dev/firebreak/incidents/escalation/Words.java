package dev.firebreak.incidents.escalation;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them on a timeline: {@code 15m}, {@code 1h30m}, {@code 24h}.
 */
public final class Words {

	private static final Pattern DURATION = Pattern.compile("(?:\\d{1,6}[dhms])+");

	private static final Pattern PART = Pattern.compile("(\\d{1,6})([dhms])");

	private Words() {
	}

	/**
	 * A duration written as {@link #of} writes it, or {@code null} when it is not one.
	 */
	static Duration duration(String text) {
		if (!DURATION.matcher(text).matches()) {
			return null;
		}
		Duration duration = Duration.ZERO;
		Matcher part = PART.matcher(text);
		while (part.find()) {
			long amount = Long.parseLong(part.group(1));
			duration = duration.plus(switch (part.group(2)) {
				case "d" -> Duration.ofDays(amount);
				case "h" -> Duration.ofHours(amount);
				case "m" -> Duration.ofMinutes(amount);
				default -> Duration.ofSeconds(amount);
			});
		}
		return duration;
	}

	public static String of(Duration duration) {
		if (duration.isZero()) {
			return "0m";
		}
		StringBuilder text = new StringBuilder();
		append(text, duration.toHours(), "h");
		append(text, duration.toMinutesPart(), "m");
		append(text, duration.toSecondsPart(), "s");
		return text.toString();
	}

	private static void append(StringBuilder text, long amount, String unit) {
		if (amount > 0) {
			text.append(amount).append(unit);
		}
	}

}
