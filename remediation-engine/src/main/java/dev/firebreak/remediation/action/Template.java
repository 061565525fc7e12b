package dev.firebreak.remediation.action;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.web.util.UriUtils;

import dev.firebreak.platform.Secret;

/**
 * A runbook's parameter template: text with {@code {{labels.service}}},
 * {@code {{annotations.summary}}} or {@code {{incident.id}}} placeholders, and
 * {@code ${secret:name}} references to a secret configured under
 * {@code firebreak.remediation.secrets}. Values come from untrusted alert labels, so each
 * value put in must match its parameter's pattern (by default {@link #DEFAULT_PATTERN}),
 * must not start with {@code -} (it would read as an option) and must not hold a
 * {@code ..} path segment; otherwise rendering is refused with the reason, and the action
 * does not run. A rendered template is one argv element, one header or one bound
 * parameter: it is never handed to a shell.
 *
 * <p>
 * A URL template ({@link #parseUrl}) writes its scheme, host and port out: a value may
 * fill a path segment or a query value, percent-encoded there, never choose where the
 * request goes. A secret is resolved when the runbook is loaded; {@link #toString()}
 * shows its reference, never its value.
 */
public final class Template {

	/** What a label value may look like unless the runbook says otherwise. */
	public static final Pattern DEFAULT_PATTERN = Pattern.compile("^[A-Za-z0-9._:/-]{1,253}$");

	/** The namespaces a placeholder may read from. */
	public static final Set<String> NAMESPACES = Set.of("labels", "annotations", "incident");

	/**
	 * A placeholder ({@code {{labels.service}}}) or a secret ({@code ${secret:name}}).
	 */
	private static final Pattern PART = Pattern
		.compile("\\{\\{\\s*([a-z]+)\\.([A-Za-z_][A-Za-z0-9_]*)\\s*}}|\\$\\{secret:([A-Za-z0-9_.-]+)}");

	private static final Pattern PARENT_SEGMENT = Pattern.compile("(^|/)\\.\\.(/|$)");

	/**
	 * The origin a URL template writes out: scheme, then a host (and port) of its own.
	 */
	private static final Pattern LITERAL_ORIGIN = Pattern.compile("^https?://[A-Za-z0-9.\\[\\]:-]+(/[^#]*)?$");

	private final String text;

	private final List<String> references;

	private final Map<String, Secret> secrets;

	private final boolean url;

	private Template(String text, List<String> references, Map<String, Secret> secrets, boolean url) {
		this.text = text;
		this.references = List.copyOf(references);
		this.secrets = Map.copyOf(secrets);
		this.url = url;
	}

	/**
	 * Parses a template that refers to no secret.
	 * @throws IllegalArgumentException for a placeholder outside {@link #NAMESPACES}, a
	 * malformed one, or a secret reference
	 */
	/**
	 * The names of the secrets a text refers to ({@code ${secret:name}}), in order of
	 * first use.
	 */
	public static java.util.Set<String> secretNames(String text) {
		java.util.Set<String> names = new java.util.LinkedHashSet<>();
		Matcher part = PART.matcher(text);
		while (part.find()) {
			if (part.group(3) != null) {
				names.add(part.group(3));
			}
		}
		return names;
	}

	public static Template parse(String text) {
		return parse(text, Map.of());
	}

	/**
	 * Parses a template.
	 * @param secrets the secrets it may refer to, by name
	 * @throws IllegalArgumentException for a placeholder outside {@link #NAMESPACES}, a
	 * malformed one, or a secret that is not configured
	 */
	public static Template parse(String text, Map<String, Secret> secrets) {
		return parse(text, secrets, false);
	}

	/**
	 * Parses a URL template: its scheme ({@code http} or {@code https}), host and port
	 * must be written out; values go into path segments and query values,
	 * percent-encoded.
	 * @throws IllegalArgumentException as {@link #parse(String, Map)}, or when the origin
	 * is not literal
	 */
	public static Template parseUrl(String text, Map<String, Secret> secrets) {
		int path = text.indexOf('/', text.indexOf("://") + 3);
		String origin = (text.contains("://") && path > 0) ? text.substring(0, path) : text;
		if (PART.matcher(origin).find() || !LITERAL_ORIGIN.matcher(text).matches()) {
			throw new IllegalArgumentException("'" + text + "' must write out its scheme (http or https), host and "
					+ "port: a value from an alert may fill a path segment or a query value, never choose the host");
		}
		return parse(text, secrets, true);
	}

	private static Template parse(String text, Map<String, Secret> secrets, boolean url) {
		List<String> references = new ArrayList<>();
		Map<String, Secret> used = new LinkedHashMap<>();
		Matcher matcher = PART.matcher(text);
		while (matcher.find()) {
			if (matcher.group(3) != null) {
				Secret secret = secrets.get(matcher.group(3));
				if (secret == null) {
					throw new IllegalArgumentException("'" + matcher.group() + "' names no secret configured under "
							+ "firebreak.remediation.secrets");
				}
				used.put(matcher.group(3), secret);
			}
			else if (!NAMESPACES.contains(matcher.group(1))) {
				throw new IllegalArgumentException("'" + matcher.group() + "' reads from " + matcher.group(1)
						+ "; a placeholder reads from labels, annotations or incident");
			}
			else {
				references.add(matcher.group(1) + "." + matcher.group(2));
			}
		}
		String rest = PART.matcher(text).replaceAll("");
		if (rest.contains("{{") || rest.contains("}}") || rest.contains("${")) {
			throw new IllegalArgumentException(
					"'" + text + "' has a malformed placeholder; write {{labels.name}} or ${secret:name}");
		}
		return new Template(text, references, used, url);
	}

	/** The values it reads, such as {@code labels.service}. */
	public List<String> references() {
		return this.references;
	}

	/** The secrets it puts in, by name. */
	public Map<String, Secret> secrets() {
		return this.secrets;
	}

	/**
	 * Fills the placeholders and the secrets.
	 * @param values every value by reference ({@code labels.service} → {@code api})
	 * @param patterns a pattern per reference, overriding {@link #DEFAULT_PATTERN}
	 * @throws RejectedValueException when a value is missing or does not fit
	 */
	public String render(Map<String, String> values, Map<String, Pattern> patterns) {
		Matcher matcher = PART.matcher(this.text);
		StringBuilder rendered = new StringBuilder();
		while (matcher.find()) {
			String value = (matcher.group(3) != null) ? this.secrets.get(matcher.group(3)).value()
					: checked(matcher.group(1) + "." + matcher.group(2), values, patterns);
			if (this.url) {
				boolean query = this.text.lastIndexOf('?', matcher.start()) >= 0;
				value = query ? UriUtils.encodeQueryParam(value, "UTF-8") : UriUtils.encodePathSegment(value, "UTF-8");
			}
			matcher.appendReplacement(rendered, Matcher.quoteReplacement(value));
		}
		matcher.appendTail(rendered);
		return rendered.toString();
	}

	private static String checked(String reference, Map<String, String> values, Map<String, Pattern> patterns) {
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
		return value;
	}

	/** The template as written: placeholders and secret references, never a secret. */
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
