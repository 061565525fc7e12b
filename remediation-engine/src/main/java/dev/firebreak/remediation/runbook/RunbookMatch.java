package dev.firebreak.remediation.runbook;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import dev.firebreak.schemas.avro.AlertStatus;
import dev.firebreak.schemas.avro.Severity;

/**
 * Which alerts a runbook answers: every label equal, every regex matching the whole value
 * (an absent label is the empty string, as in Prometheus), the severity among
 * {@code severities} if any are given, and the alert in {@code status}.
 */
public record RunbookMatch(Map<String, String> labels, Map<String, Pattern> regex, Set<Severity> severities,
		AlertStatus status) {

	public RunbookMatch {
		labels = Map.copyOf(labels);
		regex = Map.copyOf(regex);
		severities = Set.copyOf(severities);
	}

	public boolean matches(Map<String, String> alertLabels, Severity severity, AlertStatus alertStatus) {
		return alertStatus == this.status && mismatches(alertLabels, severity).isEmpty();
	}

	/**
	 * Why a firing alert with these labels and severity is not answered, one reason per
	 * matcher that does not hold, in order: empty when it is.
	 */
	public List<String> mismatches(Map<String, String> alertLabels, Severity severity) {
		List<String> mismatches = new ArrayList<>();
		if (!this.severities.isEmpty() && !this.severities.contains(severity)) {
			mismatches.add("severity " + severity + " is not one of " + new TreeSet<>(this.severities));
		}
		new TreeMap<>(this.labels).forEach((name, value) -> {
			String actual = alertLabels.getOrDefault(name, "");
			if (!value.equals(actual)) {
				mismatches.add(name + " is '" + actual + "', not '" + value + "'");
			}
		});
		new TreeMap<>(this.regex).forEach((name, pattern) -> {
			String actual = alertLabels.getOrDefault(name, "");
			if (!pattern.matcher(actual).matches()) {
				mismatches.add(name + " '" + actual + "' does not match " + pattern.pattern());
			}
		});
		return mismatches;
	}

}
