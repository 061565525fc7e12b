package dev.firebreak.remediation.engine;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.firebreak.remediation.action.Action;
import dev.firebreak.remediation.action.ActionResult;
import dev.firebreak.remediation.action.PreparedAction;
import dev.firebreak.remediation.runbook.Runbook;
import dev.firebreak.remediation.runbook.Step;
import dev.firebreak.schemas.avro.Finding;

/**
 * Runs a runbook's steps in order. A step whose condition does not hold is skipped with
 * the reason; a step that fails ends the run (and fails it) unless it may
 * {@code continueOnFailure}. Each step's action runs with its own timeout and its result
 * is masked with the runbook's secrets; what a diagnostic step reports becomes a
 * {@link Finding}. A one-step runbook's result is its action's own. Before each step the
 * run renews its {@link Lease}, and stops once another engine holds the attempt.
 */
final class StepRunner {

	/** Characters of a diagnostic step's output kept in its finding. */
	static final int MAX_FINDING_OUTPUT = 2048;

	/** Characters of one detail of a step kept in the outcome. */
	static final int MAX_DETAIL = 2048;

	/** Details whose newest lines, at the end, matter most: outputs and logs. */
	private static final Set<String> TAILS = Set.of("stdout", "stderr", "log");

	/** Details that say what a step asked, not what it found. */
	private static final Set<String> REQUEST_DETAILS = Set.of("method", "url", "argv");

	private final Map<String, Action> actions;

	private final Clock clock;

	StepRunner(Map<String, Action> actions, Clock clock) {
		this.actions = Map.copyOf(actions);
		this.clock = clock;
	}

	/**
	 * What running a runbook's steps did.
	 *
	 * @param result the run as one result: its steps' one by one in the details
	 * ({@code step.health}) with what each reported ({@code health.status})
	 * @param findings what its diagnostic steps found
	 * @param lost whether it stopped because another engine took its attempt over: then
	 * nothing of it is to be recorded
	 */
	record Ran(ActionResult result, List<Finding> findings, boolean lost) {

		Ran {
			findings = List.copyOf(findings);
		}

		Ran(ActionResult result, List<Finding> findings) {
			this(result, findings, false);
		}

	}

	/**
	 * A run's hold on its attempt, renewed before each step.
	 */
	@FunctionalInterface
	interface Lease {

		/** Held by nothing: an operator's trial. */
		Lease NONE = () -> true;

		/**
		 * @return whether the engine still holds the attempt; no step runs once it does
		 * not
		 */
		boolean renew();

	}

	/** The same, for a run that holds no attempt (an operator's trial). */
	Ran run(Runbook runbook, List<PreparedAction> prepared, String remediationId, boolean diagnosticsOnly) {
		return run(runbook, prepared, remediationId, diagnosticsOnly, Lease.NONE);
	}

	/**
	 * @param prepared its steps' actions, as {@link Runbook#prepare} made them
	 * @param remediationId for the findings
	 * @param diagnosticsOnly run only the diagnostic steps (a person is on the incident,
	 * or it is in maintenance)
	 * @param lease renewed before each step that runs
	 */
	Ran run(Runbook runbook, List<PreparedAction> prepared, String remediationId, boolean diagnosticsOnly,
			Lease lease) {
		List<Step> steps = runbook.steps();
		Map<String, Map<String, String>> results = new LinkedHashMap<>();
		Map<String, String> details = new LinkedHashMap<>();
		List<String> lines = new ArrayList<>();
		List<Finding> findings = new ArrayList<>();
		long start = System.nanoTime();
		String failed = null;
		boolean acted = false;
		for (int i = 0; i < steps.size(); i++) {
			Step step = steps.get(i);
			Optional<String> skip = (failed != null) ? Optional.of("not run: step " + failed + " failed")
					: (diagnosticsOnly && !step.diagnostic()) ? Optional.of("not run: only diagnostics run now")
							: (step.when() != null) ? step.when().unmet(results) : Optional.empty();
			if (skip.isPresent()) {
				details.put("step." + step.name(), "skipped: " + skip.get());
				continue;
			}
			PreparedAction action = prepared.get(i);
			Optional<ActionResult> paused = acted ? pause(step) : Optional.empty();
			if (paused.isEmpty() && !lease.renew()) {
				return lost(step, details, findings, start);
			}
			ActionResult result = paused.orElseGet(() -> act(runbook, action));
			acted |= !step.diagnostic() && !action.dryRun();
			if (steps.size() == 1 && !diagnosticsOnly) {
				return new Ran(result,
						step.diagnostic() ? List.of(finding(runbook, step, result, remediationId)) : List.of());
			}
			Map<String, String> reported = new LinkedHashMap<>(result.details());
			reported.put("succeeded", Boolean.toString(result.succeeded()));
			results.put(step.name(), reported);
			details.put("step." + step.name(), (result.succeeded() ? "succeeded: " : "failed: ") + result.summary());
			result.details().forEach((key, value) -> details.put(step.name() + "." + key, cut(key, value, MAX_DETAIL)));
			lines.add(step.name() + (result.succeeded() ? ": " : " failed: ") + result.summary());
			if (step.diagnostic()) {
				findings.add(finding(runbook, step, result, remediationId));
			}
			if (!result.succeeded() && !step.continueOnFailure()) {
				failed = step.name();
			}
		}
		String summary = (failed != null) ? "step " + failed + " failed (" + String.join("; ", lines) + ")"
				: (lines.isEmpty() ? "no step ran" : String.join("; ", lines));
		return new Ran(new ActionResult(failed == null, summary, details, Duration.ofNanos(System.nanoTime() - start)),
				findings);
	}

	/** A run stopped before a step: another engine holds its attempt now. */
	private static Ran lost(Step step, Map<String, String> details, List<Finding> findings, long start) {
		return new Ran(
				new ActionResult(false, "stopped before step " + step.name() + ": another engine holds the attempt",
						details, Duration.ofNanos(System.nanoTime() - start)),
				findings, true);
	}

	/**
	 * Waits a step's delay for what an earlier step changed to take effect (with nothing
	 * changed, as in a dry run, there is nothing to wait for); empty when it may run.
	 */
	private Optional<ActionResult> pause(Step step) {
		if (step.delay() == null) {
			return Optional.empty();
		}
		try {
			Thread.sleep(step.delay().toMillis());
			return Optional.empty();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Optional.of(new ActionResult(false, "interrupted while waiting " + step.delay() + " to run",
					Map.of(), Duration.ZERO));
		}
	}

	/** Runs one action, its result masked; a failure to run is a failed result. */
	private ActionResult act(Runbook runbook, PreparedAction prepared) {
		ActionResult result;
		try {
			result = this.actions.get(prepared.type()).run(prepared);
		}
		catch (RuntimeException ex) {
			result = new ActionResult(false, "the action failed: " + ex, Map.of(), Duration.ZERO);
		}
		return result.masked(runbook.secrets());
	}

	/**
	 * A value cut to at most {@code max} characters: an output or a log keeps its end
	 * (where a crash is), anything else its beginning.
	 */
	static String cut(String key, String value, int max) {
		if (value.length() <= max) {
			return value;
		}
		return TAILS.contains(key) ? "…" + value.substring(value.length() - max + 1)
				: value.substring(0, max - 1) + "…";
	}

	private Finding finding(Runbook runbook, Step step, ActionResult result, String remediationId) {
		Map<String, String> found = new java.util.TreeMap<>();
		result.details().forEach((key, value) -> {
			if (!REQUEST_DETAILS.contains(key) && !value.isBlank()) {
				found.put(key, value.strip());
			}
		});
		// Each detail gets its share, so that a long log cannot hide the others.
		int share = MAX_FINDING_OUTPUT / Math.max(1, found.size()) - 16;
		StringBuilder output = new StringBuilder();
		found.forEach((key, value) -> output.append(key).append(": ").append(cut(key, value, share)).append('\n'));
		String text = output.toString().strip();
		return Finding.newBuilder()
			.setRemediationId(remediationId)
			.setRunbookId(runbook.id())
			.setStep(step.name())
			.setSucceeded(result.succeeded())
			.setSummary(result.summary())
			.setOutput(text)
			.setCollectedAt(this.clock.instant())
			.build();
	}

}
