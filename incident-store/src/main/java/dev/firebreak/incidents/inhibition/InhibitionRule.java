package dev.firebreak.incidents.inhibition;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.firebreak.incidents.labels.Selector;

/**
 * Alertmanager's inhibition rule, for incidents: a firing alert its {@code source}
 * selects explains the alerts its {@code target} selects that have the same values of the
 * {@code equal} labels (a missing label is empty on both sides). A target alert that
 * arrives before its cause waits {@code grace} for it.
 *
 * @param name on the timeline and in {@code explain}
 * @param source the alerts that are causes
 * @param target the alerts they explain
 * @param equal the labels that must be equal on both
 * @param grace how long a target waits for a cause not seen yet (zero: not at all)
 * @param onCauseResolved what becomes of the explained incidents when the cause resolves
 */
public record InhibitionRule(String name, Selector source, Selector target, List<String> equal, Duration grace,
		OnCauseResolved onCauseResolved) {

	public InhibitionRule {
		equal = List.copyOf(equal);
		Objects.requireNonNull(onCauseResolved, "onCauseResolved");
		if (!name.matches("[a-z0-9][a-z0-9-]{0,127}")) {
			throw new IllegalArgumentException(
					"an inhibition rule's name is lower-case letters, digits and '-', was '" + name + "'");
		}
		if (grace.isNegative()) {
			throw new IllegalArgumentException("inhibition rule " + name + ": grace must not be negative");
		}
	}

	/** Whether a cause explains an alert with these labels. */
	public boolean explains(Map<String, String> labels, Cause cause) {
		return this.target.matches(labels) && this.source.matches(cause.labels()) && this.equal.stream()
			.allMatch((label) -> labels.getOrDefault(label, "").equals(cause.labels().getOrDefault(label, "")));
	}

	/** What becomes of an explained incident when its cause resolves. */
	public enum OnCauseResolved {

		/** It is handled as any incident from then, its clocks starting then. */
		RELEASE,

		/** It resolves with its cause. */
		RESOLVE

	}

}
