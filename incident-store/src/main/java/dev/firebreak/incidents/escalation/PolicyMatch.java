package dev.firebreak.incidents.escalation;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.firebreak.schemas.avro.Severity;

/**
 * Which alerts a response policy covers: labels equal to values (an absent label is
 * empty), labels matching whole regular expressions, and optionally the alert's own
 * severity. The more it names, the more specific it is.
 *
 * @param labels label values that must be equal
 * @param regex label values that must match
 * @param severities the alert's severity, any when empty
 */
public record PolicyMatch(Map<String, String> labels, Map<String, Pattern> regex, Set<Severity> severities) {

	public PolicyMatch {
		labels = Map.copyOf(labels);
		regex = Map.copyOf(regex);
		severities = Set.copyOf(severities);
	}

	public boolean matches(Map<String, String> alertLabels, Severity severity) {
		return this.labels.entrySet()
			.stream()
			.allMatch((label) -> label.getValue().equals(alertLabels.getOrDefault(label.getKey(), "")))
				&& this.regex.entrySet()
					.stream()
					.allMatch(
							(label) -> label.getValue().matcher(alertLabels.getOrDefault(label.getKey(), "")).matches())
				&& (this.severities.isEmpty() || this.severities.contains(severity));
	}

	/** How much it names: the more specific of two matching policies wins. */
	int specificity() {
		return this.labels.size() + this.regex.size() + (this.severities.isEmpty() ? 0 : 1);
	}

}
