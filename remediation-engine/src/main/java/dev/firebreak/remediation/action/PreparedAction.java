package dev.firebreak.remediation.action;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An action ready to run: its templates filled with values that passed their patterns.
 *
 * @param type the action type
 * @param timeout the longest it may run
 * @param values every parameter as text, by name ({@code url}, {@code argv[0]},
 * {@code headers.Content-Type})
 * @param dryRun report what it would do and change nothing
 */
public record PreparedAction(String type, Duration timeout, Map<String, String> values, boolean dryRun) {

	public PreparedAction {
		values = Map.copyOf(values);
	}

	/** A parameter, or {@code fallback} when the runbook does not give it. */
	public String value(String name, String fallback) {
		return this.values.getOrDefault(name, fallback);
	}

	/** A required parameter; the catalogue's validation guarantees it is there. */
	public String value(String name) {
		String value = this.values.get(name);
		if (value == null) {
			throw new IllegalStateException(this.type + " action without " + name);
		}
		return value;
	}

	/** A list parameter ({@code argv}), in order. */
	public List<String> list(String name) {
		List<String> list = new ArrayList<>();
		for (int i = 0; this.values.containsKey(name + "[" + i + "]"); i++) {
			list.add(this.values.get(name + "[" + i + "]"));
		}
		return list;
	}

	/** A mapping parameter ({@code headers}), by key. */
	public Map<String, String> map(String name) {
		Map<String, String> map = new LinkedHashMap<>();
		String prefix = name + ".";
		this.values.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().startsWith(prefix))
			.sorted(Map.Entry.comparingByKey())
			.forEach((entry) -> map.put(entry.getKey().substring(prefix.length()), entry.getValue()));
		return map;
	}

	/** The same action, in dry-run or not. */
	public PreparedAction withDryRun(boolean dryRun) {
		return new PreparedAction(this.type, this.timeout, this.values, dryRun);
	}

}
