package dev.firebreak.remediation.action;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.web.util.UriUtils;

import dev.firebreak.platform.Secret;

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

	/**
	 * The same result with every secret's value, as written or percent-encoded, replaced
	 * by {@code ******}: what an action reports may quote its request (a URL, an argv)
	 * and reaches the timeline, the logs and notifications.
	 */
	public ActionResult masked(Collection<Secret> secrets) {
		if (secrets.isEmpty()) {
			return this;
		}
		Map<String, String> details = new LinkedHashMap<>();
		this.details.forEach((name, value) -> details.put(name, mask(value, secrets)));
		return new ActionResult(this.succeeded, mask(this.summary, secrets), details, this.duration);
	}

	private static String mask(String text, Collection<Secret> secrets) {
		String masked = text;
		for (Secret secret : secrets) {
			masked = masked.replace(secret.value(), "******")
				.replace(UriUtils.encodeQueryParam(secret.value(), "UTF-8"), "******")
				.replace(UriUtils.encodePathSegment(secret.value(), "UTF-8"), "******");
		}
		return masked;
	}

	static ActionResult since(long startNanos, boolean succeeded, String summary, Map<String, String> details) {
		return new ActionResult(succeeded, summary, details, Duration.ofNanos(System.nanoTime() - startNanos));
	}

}
