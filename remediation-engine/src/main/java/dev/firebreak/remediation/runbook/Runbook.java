package dev.firebreak.remediation.runbook;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.firebreak.platform.Secret;
import dev.firebreak.remediation.action.HttpAction;
import dev.firebreak.remediation.action.PreparedAction;
import dev.firebreak.remediation.action.Template;

/**
 * One runbook, validated: which alerts it answers, what it does, within which guardrails,
 * and how long the alert has to resolve afterwards.
 *
 * @param id unique in the catalogue; also in the remediation id and the timeline
 * @param description what it does, for people
 * @param match the alerts it answers
 * @param steps what it runs, in order: one step named {@value Step#SINGLE} for a runbook
 * written with {@code action:}
 * @param target what the action is aimed at, for the cooldown and the timeline; when
 * {@code null}, the label values the action reads, or what the action names
 * @param parameters a pattern per template value ({@code labels.service}) overriding the
 * default one
 * @param guardrails what keeps it safe
 * @param verificationWindow how long the alert has to resolve after a successful action
 * @param onFailure what a failed action or verification leads to
 * @param source the file it came from
 */
public record Runbook(String id, String description, RunbookMatch match, List<Step> steps, Template target,
		Map<String, Pattern> parameters, Guardrails guardrails, Duration verificationWindow, OnFailure onFailure,
		String source) {

	public Runbook {
		steps = List.copyOf(steps);
		parameters = Map.copyOf(parameters);
	}

	/**
	 * Every step's action with the alert's values put in, in order; a diagnostic step's
	 * runs for real even in dry-run, since it only reads.
	 * @throws Template.RejectedValueException when a value does not fit its pattern
	 */
	public List<PreparedAction> prepare(Map<String, String> values, boolean dryRun) {
		return this.steps.stream()
			.map((step) -> step.action().prepare(values, this.parameters, dryRun && !step.diagnostic()))
			.toList();
	}

	/**
	 * Every step's action in dry-run, diagnostic ones too: what it would do, reading
	 * nothing for real.
	 * @throws Template.RejectedValueException when a value does not fit its pattern
	 */
	public List<PreparedAction> rehearse(Map<String, String> values) {
		return this.steps.stream().map((step) -> step.action().prepare(values, this.parameters, true)).toList();
	}

	/** Every step's action, in order. */
	public List<ActionSpec> actions() {
		return this.steps.stream().map(Step::action).toList();
	}

	/**
	 * What the timeline calls its action: the type of its one step, else {@code steps}.
	 */
	public String actionType() {
		return (this.steps.size() == 1) ? this.steps.get(0).action().type() : "steps";
	}

	/** Whether it only gathers evidence: every step is diagnostic. */
	public boolean diagnosticOnly() {
		return this.steps.stream().allMatch(Step::diagnostic);
	}

	/** Whether any step gathers evidence. */
	public boolean hasDiagnostics() {
		return this.steps.stream().anyMatch(Step::diagnostic);
	}

	/** The secrets its actions put in: whatever they report is masked with them. */
	public List<Secret> secrets() {
		return actions().stream().flatMap((action) -> action.secrets().stream()).distinct().toList();
	}

	/**
	 * What the prepared action is aimed at: the rendered {@code target}, else the label
	 * values it reads ({@code api}), else what it names (a data source, a root, a URL, a
	 * program) by its first step that acts.
	 * @param prepared its steps, as {@link #prepare} made them
	 * @throws Template.RejectedValueException when a value does not fit its pattern
	 */
	public String target(Map<String, String> values, List<PreparedAction> prepared) {
		if (this.target != null) {
			return this.target.render(values, this.parameters);
		}
		List<String> labels = actions().stream()
			.flatMap((action) -> action.labelReferences().stream())
			.distinct()
			.toList();
		if (!labels.isEmpty()) {
			return String.join(",", labels.stream().map(values::get).toList());
		}
		int first = 0;
		while (first < this.steps.size() - 1 && this.steps.get(first).diagnostic()) {
			first++;
		}
		return target(prepared.get(first));
	}

	private static String target(PreparedAction prepared) {
		return switch (prepared.type()) {
			case "postgres" -> "postgres:" + prepared.value("datasource");
			case "file-cleanup" -> prepared.value("root");
			case "http" -> HttpAction.withoutQuery(prepared.value("url"));
			case "kubernetes" -> prepared.value("namespace") + "/" + prepared.value("name");
			case "docker" -> prepared.value("container", prepared.value("service", "docker"));
			default -> prepared.list("argv").get(0);
		};
	}

	/**
	 * Guardrails of one runbook.
	 *
	 * @param dryRun report what would run, run nothing
	 * @param cooldown no second run for the same target within this long
	 * @param maxAttempts runs per incident at most
	 * @param approvalRequired wait for an operator's approval first
	 * @param idempotent whether running the action twice is harmless (an attempt
	 * interrupted by a crash may then be run again)
	 * @param circuitFailures failures within {@code circuitWindow} that disable it, or
	 * {@code null} for the engine's setting
	 * @param circuitWindow see {@code circuitFailures}
	 */
	public record Guardrails(boolean dryRun, Duration cooldown, int maxAttempts, boolean approvalRequired,
			boolean idempotent, Integer circuitFailures, Duration circuitWindow) {
	}

	/**
	 * What a failure leads to.
	 *
	 * @param retry how many times to run the action again at once (within
	 * {@code maxAttempts}, ignoring the cooldown) before the failure is final
	 * @param escalate whether the final failure escalates the incident (else it is only
	 * recorded and notified)
	 */
	public record OnFailure(int retry, boolean escalate) {

		public static final OnFailure ESCALATE = new OnFailure(0, true);

	}

}
