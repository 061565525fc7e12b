package dev.firebreak.incidents.correlation;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.firebreak.incidents.labels.Selector;

/**
 * How alerts are grouped into incidents: an ordered list of rules, the first whose
 * matchers an alert satisfies making its correlation key from the labels it names, and
 * the default rule ({@code cluster} plus the first of {@code service}, {@code job},
 * {@code alertname}) for the rest. A change of rules applies to alerts from then on; an
 * alert already firing keeps the key it was given until it resolves
 * ({@code IncidentTopology}'s key store), so an open incident is never re-keyed.
 *
 * @param rules the rules, in order
 * @param fallback the default rule
 */
public record Grouping(List<Rule> rules, CorrelationKey.Rule fallback) {

	/** The default rule's name, as {@code explain} and the incident say it. */
	public static final String DEFAULT = "default";

	/** Only the default rule. */
	public static final Grouping DEFAULT_GROUPING = new Grouping(List.of(), CorrelationKey.DEFAULT_RULE);

	public Grouping {
		rules = List.copyOf(rules);
		Set<String> names = new HashSet<>();
		for (Rule rule : rules) {
			if (!names.add(rule.name()) || DEFAULT.equals(rule.name())) {
				throw new IllegalArgumentException(
						"grouping rule names must be unique and not '" + DEFAULT + "': " + rule.name());
			}
		}
	}

	/** The rule that groups an alert with these labels, and the key it makes. */
	public Keyed keyOf(Map<String, String> labels) {
		for (Rule rule : this.rules) {
			if (rule.selector().matches(labels)) {
				return new Keyed(rule.name(), rule.keyOf(labels));
			}
		}
		return new Keyed(DEFAULT, this.fallback.keyOf(labels));
	}

	/**
	 * A grouping rule: alerts its matchers select are grouped by the labels of
	 * {@code key} they have (by their whole label set when they have none of them).
	 *
	 * @param name for the incident and {@code explain}
	 * @param selector which alerts
	 * @param key the labels of the correlation key, in order
	 */
	public record Rule(String name, Selector selector, List<String> key) {

		public Rule {
			key = List.copyOf(key);
			if (!name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
				throw new IllegalArgumentException(
						"a grouping rule's name is lower-case letters, digits and '-', was '" + name + "'");
			}
			if (key.isEmpty()) {
				throw new IllegalArgumentException("grouping rule " + name + " needs at least one key label");
			}
		}

		CorrelationKey keyOf(Map<String, String> labels) {
			Map<String, String> parts = new LinkedHashMap<>();
			for (String label : this.key) {
				String value = labels.get(label);
				if (value != null && !value.isEmpty()) {
					parts.put(label, value);
				}
			}
			return parts.isEmpty() ? CorrelationKey.ofAll(labels) : CorrelationKey.of(parts);
		}

	}

	/**
	 * An alert's grouping.
	 *
	 * @param rule the rule's name
	 * @param key the correlation key
	 */
	public record Keyed(String rule, CorrelationKey key) {

	}

}
