package dev.firebreak.incidents.correlation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Which incident an alert belongs to: alerts with the same key join the same open
 * incident, across alert names. The key is made of an anchor label, the first of
 * {@code anchors} the alert has (by default {@code service}, then {@code job}, then
 * {@code alertname}), plus the {@code scope} labels it has (by default {@code cluster}),
 * so that {@code service=api} in two clusters is two incidents.
 *
 * @param value the key, e.g. {@code cluster=eu-1,service=api}; the topology repartitions
 * by it
 * @param labels the label values it is made of, in key order
 */
public record CorrelationKey(String value, Map<String, String> labels) {

	/**
	 * The default rule of ARCHITECTURE.md: {@code [cluster, service]}, falling back to
	 * job, then alertname.
	 */
	public static final Rule DEFAULT_RULE = new Rule(List.of("cluster"), List.of("service", "job", "alertname"));

	public CorrelationKey {
		Objects.requireNonNull(value, "value");
		labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
	}

	/** The label values of a key as {@link Rule#render} wrote it, in its order. */
	public static Map<String, String> labelsOf(String value) {
		Map<String, String> labels = new LinkedHashMap<>();
		int at = 0;
		while (at < value.length()) {
			int equals = value.indexOf('=', at);
			if (equals < 0) {
				break;
			}
			String name = value.substring(at, equals);
			StringBuilder text = new StringBuilder();
			int next = equals + 1;
			if (next < value.length() && value.charAt(next) == '"') {
				next++;
				while (next < value.length() && value.charAt(next) != '"') {
					char c = value.charAt(next);
					if (c == '\\' && next + 1 < value.length()) {
						next++;
						c = value.charAt(next);
					}
					text.append(c);
					next++;
				}
				next++;
			}
			else {
				while (next < value.length() && value.charAt(next) != ',') {
					text.append(value.charAt(next));
					next++;
				}
			}
			labels.put(name, text.toString());
			at = next + 1;
		}
		return labels;
	}

	/** The key of these label values, in their order. */
	static CorrelationKey of(Map<String, String> parts) {
		return new CorrelationKey(Rule.render(parts), parts);
	}

	/** The key of a whole label set, for an alert that has none of a rule's labels. */
	static CorrelationKey ofAll(Map<String, String> labels) {
		Map<String, String> parts = new LinkedHashMap<>();
		new TreeMap<>(labels).forEach((name, value) -> {
			if (value != null && !value.isEmpty()) {
				parts.put(name, value);
			}
		});
		return of(parts);
	}

	/**
	 * How keys are made.
	 *
	 * @param scope labels added to the key when the alert has them
	 * @param anchors labels tried in order; the first the alert has anchors the key
	 */
	public record Rule(List<String> scope, List<String> anchors) {

		public Rule {
			scope = List.copyOf(scope);
			anchors = List.copyOf(anchors);
			if (anchors.isEmpty()) {
				throw new IllegalArgumentException("a correlation rule needs at least one anchor label");
			}
			if (anchors.stream().anyMatch(scope::contains)) {
				throw new IllegalArgumentException("a label cannot be both scope and anchor: " + scope + " " + anchors);
			}
		}

		/**
		 * The key of an alert with these labels. An alert with none of the anchors is
		 * keyed by its whole label set.
		 */
		public CorrelationKey keyOf(Map<String, String> alertLabels) {
			Map<String, String> parts = new LinkedHashMap<>();
			for (String label : this.scope) {
				putIfPresent(parts, label, alertLabels.get(label));
			}
			String anchor = this.anchors.stream()
				.filter((label) -> !isBlank(alertLabels.get(label)))
				.findFirst()
				.orElse(null);
			if (anchor == null) {
				return ofAll(alertLabels);
			}
			parts.put(anchor, alertLabels.get(anchor));
			return of(parts);
		}

		private static void putIfPresent(Map<String, String> parts, String name, String value) {
			if (!isBlank(value)) {
				parts.put(name, value);
			}
		}

		private static boolean isBlank(String value) {
			return value == null || value.isEmpty();
		}

		/**
		 * {@code name=value} pairs joined by commas; values quoted when they contain a
		 * separator.
		 */
		static String render(Map<String, String> parts) {
			List<String> pairs = new ArrayList<>(parts.size());
			parts.forEach((name, value) -> pairs.add(name + "=" + quoteIfNeeded(value)));
			return String.join(",", pairs);
		}

		private static String quoteIfNeeded(String value) {
			if (value.chars().noneMatch((c) -> c == ',' || c == '=' || c == '"' || c == '\\')) {
				return value;
			}
			return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
		}

	}

}
