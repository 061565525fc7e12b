package dev.firebreak.incidents.labels;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

import dev.firebreak.schemas.avro.LabelMatcher;
import dev.firebreak.schemas.avro.MatchOperator;

/**
 * Label matchers that must all hold ({@code alertname=DatabaseDown},
 * {@code job=~"node.*"}, {@code env!=dev}), parsed and compiled once: what grouping and
 * inhibition rules select alerts with. As in Alertmanager, a missing label matches as the
 * empty string, and a regular expression matches the whole value. No matchers select
 * every alert.
 */
public final class Selector {

	private final List<LabelMatcher> matchers;

	private final List<Pattern> patterns;

	private Selector(List<LabelMatcher> matchers) {
		this.matchers = List.copyOf(matchers);
		List<Pattern> patterns = new ArrayList<>();
		for (LabelMatcher matcher : matchers) {
			boolean regex = matcher.getOperator() == MatchOperator.REGEX
					|| matcher.getOperator() == MatchOperator.NOT_REGEX;
			try {
				patterns.add(regex ? Pattern.compile(matcher.getValue()) : null);
			}
			catch (PatternSyntaxException ex) {
				throw new IllegalArgumentException(
						"'" + matcher.getValue() + "' is not a regular expression: " + ex.getDescription());
			}
		}
		this.patterns = Collections.unmodifiableList(patterns);
	}

	/**
	 * @param texts matchers as written, such as {@code service=api}
	 * @throws IllegalArgumentException naming the matcher that is not one
	 */
	public static Selector parse(List<String> texts) {
		return new Selector(texts.stream().map(LabelMatchers::parse).toList());
	}

	public static Selector of(List<LabelMatcher> matchers) {
		return new Selector(matchers);
	}

	public boolean matches(Map<String, String> labels) {
		for (int i = 0; i < this.matchers.size(); i++) {
			LabelMatcher matcher = this.matchers.get(i);
			String value = labels.getOrDefault(matcher.getName(), "");
			boolean holds = switch (matcher.getOperator()) {
				case EQUAL -> value.equals(matcher.getValue());
				case NOT_EQUAL -> !value.equals(matcher.getValue());
				case REGEX -> this.patterns.get(i).matcher(value).matches();
				case NOT_REGEX -> !this.patterns.get(i).matcher(value).matches();
			};
			if (!holds) {
				return false;
			}
		}
		return true;
	}

	public List<LabelMatcher> matchers() {
		return this.matchers;
	}

	/** As written: {@code alertname="DatabaseDown", job=~"node.*"}. */
	@Override
	public String toString() {
		return this.matchers.stream().map(LabelMatchers::text).collect(Collectors.joining(", "));
	}

}
