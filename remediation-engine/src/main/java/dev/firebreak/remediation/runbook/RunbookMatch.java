package dev.firebreak.remediation.runbook;

import java.util.Map;
import java.util.Set;
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
		if (alertStatus != this.status) {
			return false;
		}
		if (!this.severities.isEmpty() && !this.severities.contains(severity)) {
			return false;
		}
		for (Map.Entry<String, String> label : this.labels.entrySet()) {
			if (!label.getValue().equals(alertLabels.getOrDefault(label.getKey(), ""))) {
				return false;
			}
		}
		for (Map.Entry<String, Pattern> label : this.regex.entrySet()) {
			if (!label.getValue().matcher(alertLabels.getOrDefault(label.getKey(), "")).matches()) {
				return false;
			}
		}
		return true;
	}

}
