package dev.firebreak.remediation.runbook;

import java.time.Duration;

/**
 * One step of a runbook: an action, and when it runs.
 *
 * @param name unique in its runbook; conditions of later steps read its result as
 * {@code steps.<name>.…}
 * @param action what it runs, with its own timeout
 * @param when the condition on earlier steps' results it runs under, or {@code null} for
 * always
 * @param continueOnFailure whether the steps after it still run when it fails (its
 * failure then does not fail the runbook)
 * @param diagnostic whether it only gathers evidence (an HTTP GET, a command's output):
 * it runs even in dry-run, while a person is on the incident or in maintenance, and what
 * it finds is attached to the incident
 * @param delay how long to wait before it runs, once an earlier step changed something
 * (after a restart, before checking again)
 */
public record Step(String name, ActionSpec action, StepCondition when, boolean continueOnFailure, boolean diagnostic,
		Duration delay) {

	/** The name of the one step of a runbook written with {@code action:}. */
	public static final String SINGLE = "action";

}
