package dev.firebreak.remediation.action;

import java.time.Duration;
import java.util.Map;

/**
 * What an action did.
 *
 * @param succeeded whether it reached its goal (exit code 0, a 2xx, ...)
 * @param summary one line for the timeline
 * @param details facts for the timeline (exit code, output, rows affected, ...)
 * @param duration how long it ran
 */
public record ActionResult(boolean succeeded, String summary, Map<String, String> details, Duration duration) {

	public ActionResult {
		details = Map.copyOf(details);
	}

	static ActionResult since(long startNanos, boolean succeeded, String summary, Map<String, String> details) {
		return new ActionResult(succeeded, summary, details, Duration.ofNanos(System.nanoTime() - startNanos));
	}

}
