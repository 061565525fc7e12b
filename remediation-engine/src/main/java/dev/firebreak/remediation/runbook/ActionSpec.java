package dev.firebreak.remediation.runbook;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.firebreak.remediation.action.Template;

/**
 * What a runbook runs: its type, its timeout, and its parameters, template-bearing ones
 * parsed.
 *
 * @param type {@code command}, {@code http}, {@code postgres} or {@code file-cleanup}
 * @param timeout the longest it may run
 * @param templates the parameters that take values from the alert, by name (for
 * {@code argv}, one per element, named {@code argv[0]}…)
 * @param settings the other parameters, as written
 */
public record ActionSpec(String type, Duration timeout, Map<String, Template> templates, Map<String, Object> settings) {

	/** The action types and the parameters each requires. */
	static final Map<String, List<String>> REQUIRED = Map.of("command", List.of("argv"), "http", List.of("url"),
			"postgres", List.of("datasource", "operation"), "file-cleanup", List.of("root", "glob", "olderThan"));

	public ActionSpec {
		templates = Map.copyOf(templates);
		settings = Map.copyOf(settings);
	}

}
