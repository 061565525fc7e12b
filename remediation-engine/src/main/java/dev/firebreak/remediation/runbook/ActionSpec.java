package dev.firebreak.remediation.runbook;

import java.time.Duration;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import dev.firebreak.platform.Secret;
import dev.firebreak.remediation.action.PreparedAction;
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

	/**
	 * What each action type reports in its details, besides {@code succeeded}: what a
	 * later step's condition may read.
	 */
	static final Map<String, List<String>> REPORTS = Map.of("http", List.of("method", "url", "status", "body"),
			"command", List.of("argv", "exitCode", "stdout", "stderr"), "docker",
			List.of("argv", "exitCode", "stdout", "stderr"), "postgres",
			List.of("datasource", "state", "olderThan", "backends", "pids", "rows", "result", "sqlState"),
			"file-cleanup", List.of("root", "glob", "olderThan", "files", "bytes", "paths", "failed"), "kubernetes",
			List.of("kind", "namespace", "name", "replicas", "scaledTo", "phase", "pods", "pod", "container", "log",
					"status"));

	public ActionSpec {
		templates = Map.copyOf(templates);
		settings = Map.copyOf(settings);
	}

	/**
	 * Fills every template.
	 * @param values the alert's and incident's values by reference ({@code labels.job})
	 * @param patterns what each reference's value must look like, where not the default
	 * @throws Template.RejectedValueException naming the first value that does not fit
	 */
	public PreparedAction prepare(Map<String, String> values, Map<String, Pattern> patterns, boolean dryRun) {
		Map<String, String> rendered = new LinkedHashMap<>();
		this.settings.forEach((name, value) -> rendered.put(name, String.valueOf(value)));
		new TreeMap<>(this.templates)
			.forEach((name, template) -> rendered.put(name, template.render(values, patterns)));
		return new PreparedAction(this.type, this.timeout, rendered, dryRun);
	}

	/** Every secret its templates put in. */
	public List<Secret> secrets() {
		return this.templates.values()
			.stream()
			.flatMap((template) -> template.secrets().values().stream())
			.distinct()
			.toList();
	}

	/** The label values this action reads, in order, without repeats. */
	List<String> labelReferences() {
		return new TreeMap<>(this.templates).values()
			.stream()
			.flatMap((template) -> template.references().stream())
			.filter((reference) -> reference.startsWith("labels."))
			.distinct()
			.toList();
	}

}
