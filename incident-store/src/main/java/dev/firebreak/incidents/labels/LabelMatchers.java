package dev.firebreak.incidents.labels;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.firebreak.schemas.avro.LabelMatcher;
import dev.firebreak.schemas.avro.MatchOperator;

/**
 * Label matchers written as in Alertmanager and PromQL: {@code service=api},
 * {@code env!=dev}, {@code service=~"db-.*"}, {@code team!~ops|sre}; the value may be
 * double-quoted.
 */
public final class LabelMatchers {

	private static final Pattern MATCHER = Pattern
		.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|[^\"]*?)\\s*");

	private LabelMatchers() {
	}

	/**
	 * @throws IllegalArgumentException when the text is not a matcher
	 */
	public static LabelMatcher parse(String text) {
		Matcher matcher = MATCHER.matcher(text);
		if (!matcher.matches()) {
			throw new IllegalArgumentException("not a label matcher: '" + text
					+ "' (expected name=value, name!=value, name=~regex or name!~regex)");
		}
		MatchOperator operator = switch (matcher.group(2)) {
			case "=~" -> MatchOperator.REGEX;
			case "!~" -> MatchOperator.NOT_REGEX;
			case "!=" -> MatchOperator.NOT_EQUAL;
			default -> MatchOperator.EQUAL;
		};
		return new LabelMatcher(matcher.group(1), operator, unquote(matcher.group(3)));
	}

	private static String unquote(String value) {
		if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
			return value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
		}
		return value;
	}

	/** A matcher as written: {@code job=~"node.*"}, its value quoted and escaped. */
	public static String text(LabelMatcher matcher) {
		String operator = switch (matcher.getOperator()) {
			case EQUAL -> "=";
			case NOT_EQUAL -> "!=";
			case REGEX -> "=~";
			case NOT_REGEX -> "!~";
		};
		return matcher.getName() + operator + "\"" + matcher.getValue().replace("\\", "\\\\").replace("\"", "\\\"")
				+ "\"";
	}

}
