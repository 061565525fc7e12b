package dev.firebreak.remediation.action;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A runbook's parameter template: text with {@code {{labels.service}}},
 * {@code {{annotations.summary}}} or {@code {{incident.id}}} placeholders. Values come
 * from untrusted alert labels, so each value put in must match its parameter's pattern
 * (by default {@link #DEFAULT_PATTERN}), must not start with {@code -} (it would read as
 * an option) and must not hold a {@code ..} path segment; otherwise rendering is refused
 * with the reason, and the action does not run. A rendered template is one argv element,
 * one header or one bound parameter: it is never handed to a shell.
 */
public final class Template {

	/** What a label value may look like unless the runbook says otherwise. */
	public static final Pattern DEFAULT_PATTERN = Pattern.compile("^[A-Za-z0-9._:/-]{1,253}$");

	/** The namespaces a placeholder may read from. */
	public static final Set<String> NAMESPACES = Set.of("labels", "annotations", "incident");

	private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-z]+)\\.([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

	private static final Pattern PARENT_SEGMENT = Pattern.compile("(^|/)\\.\\.(/|$)");

	private final String text;

	private final List<String> references;

	private Template(String text, List<String> references) {
		this.text = text;
		this.references = List.copyOf(references);
	}

	/**
	 * Parses a template.
	 * @throws IllegalArgumentException for a placeholder outside {@link #NAMESPACES} or a
	 * malformed one
	 */
	public static Template parse(String text) {
		List<String> references = new ArrayList<>();
		Matcher matcher = PLACEHOLDER.matcher(text);
		while (matcher.find()) {
			if (!NAMESPACES.contains(matcher.group(1))) {
				throw new IllegalArgumentException("'" + matcher.group() + "' reads from " + matcher.group(1)
						+ "; a placeholder reads from labels, annotations or incident");
			}
			references.add(matcher.group(1) + "." + matcher.group(2));
		}
		String rest = PLACEHOLDER.matcher(text).replaceAll("");
		if (rest.contains("{{") || rest.contains("}}")) {
			throw new IllegalArgumentException("'" + text + "' has a malformed placeholder; write {{labels.name}}");
		}
		return new Template(text, references);
	}

	/** The values it reads, such as {@code labels.service}. */
	public List<String> references() {
		return this.references;
	}

	/**
	 * Fills the placeholders.
	 * @param values every value by reference ({@code labels.service} → {@code api})
	 * @param patterns a pattern per reference, overriding {@link #DEFAULT_PATTERN}
	 * @throws RejectedValueException when a value is missing or does not fit
	 */
	public String render(Map<String, String> values, Map<String, Pattern> patterns) {
		Matcher matcher = PLACEHOLDER.matcher(this.text);
		StringBuilder rendered = new StringBuilder();
		while (matcher.find()) {
			String reference = matcher.group(1) + "." + matcher.group(2);
			String value = values.get(reference);
			if (value == null || value.isEmpty()) {
				throw new RejectedValueException(reference, "has no value");
			}
			Pattern pattern = patterns.getOrDefault(reference, DEFAULT_PATTERN);
			if (!pattern.matcher(value).matches()) {
				throw new RejectedValueException(reference, "does not match " + pattern.pattern());
			}
			if (value.startsWith("-")) {
				throw new RejectedValueException(reference, "starts with '-'");
			}
			if (PARENT_SEGMENT.matcher(value).find()) {
				throw new RejectedValueException(reference, "holds a '..' path segment");
			}
			matcher.appendReplacement(rendered, Matcher.quoteReplacement(value));
		}
		matcher.appendTail(rendered);
		return rendered.toString();
	}

	@Override
	public String toString() {
		return this.text;
	}

	/** A value that may not go into an action; the action is skipped with this reason. */
	public static final class RejectedValueException extends RuntimeException {

		private final String reference;

		RejectedValueException(String reference, String problem) {
			// The value itself is not repeated: it is untrusted and may be long.
			super(reference + " " + problem);
			this.reference = reference;
		}

		public String reference() {
			return this.reference;
		}

	}

}
