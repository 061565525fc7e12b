package dev.firebreak.remediation.runbook;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A step's condition on an earlier step's result: {@code steps.health.status != 200}. The
 * value is a detail the earlier step reported ({@code status}, {@code exitCode},
 * {@code body}…) or {@code succeeded} ({@code true} or {@code false}); a detail it did
 * not report compares as empty text. A condition on a step that did not run does not
 * hold.
 *
 * @param step the earlier step
 * @param key what of its result
 * @param equal {@code ==} rather than {@code !=}
 * @param value compared as text
 */
public record StepCondition(String step, String key, boolean equal, String value) {

	private static final Pattern SYNTAX = Pattern.compile(
			"\\s*steps\\.([a-z][a-z0-9-]*)\\.([A-Za-z][A-Za-z0-9_]*)\\s*(==|!=)\\s*(?:\"([^\"]*)\"|'([^']*)'|(\\S+))\\s*");

	/**
	 * @throws IllegalArgumentException saying what a condition looks like
	 */
	public static StepCondition parse(String text) {
		Matcher matcher = SYNTAX.matcher(text);
		if (!matcher.matches()) {
			throw new IllegalArgumentException("'" + text
					+ "' is not a condition such as steps.health.status != 200 or steps.health.succeeded == false");
		}
		String value = (matcher.group(4) != null) ? matcher.group(4)
				: (matcher.group(5) != null) ? matcher.group(5) : matcher.group(6);
		return new StepCondition(matcher.group(1), matcher.group(2), matcher.group(3).equals("=="), value);
	}

	/**
	 * Why the condition does not hold, or empty when it does.
	 * @param results the results of the steps that ran so far, by name: their details and
	 * {@code succeeded}
	 */
	public Optional<String> unmet(Map<String, Map<String, String>> results) {
		Map<String, String> result = results.get(this.step);
		if (result == null) {
			return Optional.of(this + " does not hold: step " + this.step + " did not run");
		}
		String actual = result.getOrDefault(this.key, "");
		if (actual.equals(this.value) == this.equal) {
			return Optional.empty();
		}
		return Optional.of(this + " does not hold: " + this.key + " was '" + abbreviate(actual) + "'");
	}

	private static String abbreviate(String text) {
		return (text.length() <= 80) ? text : text.substring(0, 79) + "…";
	}

	@Override
	public String toString() {
		return "steps." + this.step + "." + this.key + (this.equal ? " == " : " != ") + this.value;
	}

}
