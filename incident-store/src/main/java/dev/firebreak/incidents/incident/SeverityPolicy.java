package dev.firebreak.incidents.incident;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.firebreak.schemas.avro.Severity;

/**
 * Severity from alert labels, and the response time each severity promises (seeds 002 and
 * 004). An explicit priority label ({@code P0}–{@code P4}, {@code SEV1}–{@code SEV4})
 * wins; otherwise the {@code severity} label maps critical to SEV2, warning to SEV3, and
 * anything else to SEV4.
 *
 * @param severityLabel the label with critical / warning / info
 * @param priorityLabels labels with an explicit priority, tried in order
 * @param responseTimes how long each severity may stay unacknowledged before it escalates
 */
public record SeverityPolicy(String severityLabel, List<String> priorityLabels, Map<Severity, Duration> responseTimes) {

	/** The defaults of ARCHITECTURE.md. */
	public static final SeverityPolicy DEFAULT = new SeverityPolicy("severity", List.of("priority", "sev"),
			Map.of(Severity.SEV1, Duration.ofMinutes(15), Severity.SEV2, Duration.ofHours(1), Severity.SEV3,
					Duration.ofHours(4), Severity.SEV4, Duration.ofHours(24)));

	public SeverityPolicy {
		priorityLabels = List.copyOf(priorityLabels);
		responseTimes = new EnumMap<>(responseTimes);
		for (Severity severity : Severity.values()) {
			Duration time = responseTimes.get(severity);
			if (time == null || time.isNegative() || time.isZero()) {
				throw new IllegalArgumentException("response time of " + severity + " must be positive");
			}
		}
	}

	/** The severity an alert with these labels asks for. */
	public Severity severityOf(Map<String, String> labels) {
		for (String label : this.priorityLabels) {
			Optional<Severity> explicit = parsePriority(labels.get(label));
			if (explicit.isPresent()) {
				return explicit.get();
			}
		}
		String severity = labels.getOrDefault(this.severityLabel, "").trim().toLowerCase(Locale.ROOT);
		return switch (severity) {
			case "critical", "page" -> Severity.SEV2;
			case "warning", "warn", "error" -> Severity.SEV3;
			default -> Severity.SEV4;
		};
	}

	public Duration responseTime(Severity severity) {
		return this.responseTimes.get(severity);
	}

	/**
	 * P0 and P1 are SEV1 (seed 000's P0 is a complete outage; seed 002's P1 has SEV1's 15
	 * minutes).
	 */
	static Optional<Severity> parsePriority(String value) {
		if (value == null) {
			return Optional.empty();
		}
		String normalized = value.trim().toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
		return switch (normalized) {
			case "P0", "P1", "SEV1", "SEV0" -> Optional.of(Severity.SEV1);
			case "P2", "SEV2" -> Optional.of(Severity.SEV2);
			case "P3", "SEV3" -> Optional.of(Severity.SEV3);
			case "P4", "SEV4" -> Optional.of(Severity.SEV4);
			default -> Optional.empty();
		};
	}

	/** The more severe of two (SEV1 is the most severe). */
	public static Severity highest(Severity a, Severity b) {
		return (a.ordinal() <= b.ordinal()) ? a : b;
	}

	/** One level more severe; SEV1 stays SEV1. */
	public static Severity raise(Severity severity) {
		return Severity.values()[Math.max(0, severity.ordinal() - 1)];
	}

}
