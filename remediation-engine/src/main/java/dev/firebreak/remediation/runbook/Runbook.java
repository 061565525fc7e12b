package dev.firebreak.remediation.runbook;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One runbook, validated: which alerts it answers, what it does, within which guardrails,
 * and how long the alert has to resolve afterwards.
 *
 * @param id unique in the catalogue; also in the remediation id and the timeline
 * @param description what it does, for people
 * @param match the alerts it answers
 * @param action what it runs
 * @param parameters a pattern per template value ({@code labels.service}) overriding the
 * default one
 * @param guardrails what keeps it safe
 * @param verificationWindow how long the alert has to resolve after a successful action
 * @param source the file it came from
 */
public record Runbook(String id, String description, RunbookMatch match, ActionSpec action,
		Map<String, Pattern> parameters, Guardrails guardrails, Duration verificationWindow, String source) {

	public Runbook {
		parameters = Map.copyOf(parameters);
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
	 */
	public record Guardrails(boolean dryRun, Duration cooldown, int maxAttempts, boolean approvalRequired,
			boolean idempotent) {
	}

}
