package dev.firebreak.incidents.console;

import java.time.Duration;
import java.time.Instant;

/**
 * How long ago, as people say it on a busy page: {@code 42s}, {@code 7m}, {@code 3h 5m},
 * {@code 2d 4h}.
 */
final class Ages {

	private Ages() {
	}

	static String since(Instant then, Instant now) {
		if (then == null) {
			return "";
		}
		Duration age = Duration.between(then, now);
		if (age.isNegative()) {
			return "0s";
		}
		long seconds = age.toSeconds();
		if (seconds < 60) {
			return seconds + "s";
		}
		if (seconds < 3600) {
			return age.toMinutes() + "m";
		}
		if (seconds < 86400) {
			return age.toHours() + "h " + age.toMinutesPart() + "m";
		}
		return age.toDays() + "d " + age.toHoursPart() + "h";
	}

}
