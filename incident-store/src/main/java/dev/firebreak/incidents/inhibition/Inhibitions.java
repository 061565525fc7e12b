package dev.firebreak.incidents.inhibition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.firebreak.incidents.labels.LabelMatchers;
import dev.firebreak.incidents.labels.Selector;
import dev.firebreak.schemas.avro.LabelMatcher;

/**
 * The inhibition rules: those written out, and those that follow from service
 * dependencies. A dependency {@code api → postgres} means an outage of postgres (a firing
 * alert of {@code service=postgres} the outage matchers select, by default
 * {@code alertname=~".*Down"}) explains every alert of {@code service=api} with the same
 * {@code cluster}; dependencies are followed through ({@code web → api → postgres} makes
 * postgres's outage explain web's alerts too).
 *
 * @param rules every rule, written ones first
 */
public record Inhibitions(List<InhibitionRule> rules) {

	/** No rules: nothing is inhibited. */
	public static final Inhibitions NONE = new Inhibitions(List.of());

	public Inhibitions {
		rules = List.copyOf(rules);
		Set<String> names = new HashSet<>();
		for (InhibitionRule rule : rules) {
			if (!names.add(rule.name())) {
				throw new IllegalArgumentException("inhibition rule names must be unique: " + rule.name());
			}
		}
	}

	/**
	 * The written rules, and one per (dependent, dependency) pair of the graph.
	 * @param dependencies each service's dependencies
	 * @param outage what makes an alert of a dependency an outage
	 * @param equal the labels a dependency rule holds equal
	 * @param grace the grace period of dependency rules
	 * @param onCauseResolved what dependency rules do when the outage resolves
	 */
	public static Inhibitions of(List<InhibitionRule> rules, Map<String, List<String>> dependencies, Selector outage,
			List<String> equal, Duration grace, InhibitionRule.OnCauseResolved onCauseResolved) {
		List<InhibitionRule> all = new ArrayList<>(rules);
		closure(dependencies).forEach((dependent, reached) -> {
			for (String dependency : reached) {
				List<LabelMatcher> source = new ArrayList<>();
				source.add(LabelMatchers.parse("service=\"" + dependency + "\""));
				source.addAll(outage.matchers());
				all.add(new InhibitionRule(name(dependent, dependency), Selector.of(source),
						Selector.of(List.of(LabelMatchers.parse("service=\"" + dependent + "\""))), equal, grace,
						onCauseResolved));
			}
		});
		return new Inhibitions(all);
	}

	private static String name(String dependent, String dependency) {
		return (dependent + "-depends-on-" + dependency).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
	}

	/**
	 * Each service's dependencies, direct and through others; a cycle stops where it
	 * began.
	 */
	static Map<String, Set<String>> closure(Map<String, List<String>> dependencies) {
		Map<String, Set<String>> closure = new LinkedHashMap<>();
		for (String service : dependencies.keySet()) {
			Set<String> reached = new LinkedHashSet<>();
			List<String> next = new ArrayList<>(dependencies.get(service));
			while (!next.isEmpty()) {
				String dependency = next.remove(0);
				if (!dependency.equals(service) && reached.add(dependency)) {
					next.addAll(dependencies.getOrDefault(dependency, List.of()));
				}
			}
			closure.put(service, reached);
		}
		return closure;
	}

	/** Whether an alert with these labels is a cause under some rule. */
	public boolean isCause(Map<String, String> labels) {
		return this.rules.stream().anyMatch((rule) -> rule.source().matches(labels));
	}

	/**
	 * The first rule, with a grace period, whose target an alert with these labels is:
	 * one that may be explained by a cause not seen yet.
	 */
	public Optional<InhibitionRule> mayWaitFor(Map<String, String> labels) {
		return this.rules.stream()
			.filter((rule) -> !rule.grace().isZero() && rule.target().matches(labels))
			.findFirst();
	}

	/**
	 * What explains an alert with these labels: the first rule and cause that do, never a
	 * cause of the alert's own incident.
	 */
	public Optional<Explanation> explain(Map<String, String> labels, Collection<Cause> causes, String incidentId) {
		for (InhibitionRule rule : this.rules) {
			for (Cause cause : causes) {
				if (!cause.incidentId().equals(incidentId) && rule.explains(labels, cause)) {
					return Optional.of(new Explanation(rule, cause));
				}
			}
		}
		return Optional.empty();
	}

	/**
	 * The rules an alert with these labels is a target of, and those it is a source of.
	 */
	public Roles roles(Map<String, String> labels) {
		return new Roles(
				this.rules.stream().filter((rule) -> rule.target().matches(labels)).map(InhibitionRule::name).toList(),
				this.rules.stream().filter((rule) -> rule.source().matches(labels)).map(InhibitionRule::name).toList());
	}

	/**
	 * @param targetOf rules whose causes would explain the alert
	 * @param sourceOf rules under which the alert explains others
	 */
	public record Roles(List<String> targetOf, List<String> sourceOf) {

	}

	/**
	 * Why an alert is a symptom.
	 *
	 * @param rule the rule
	 * @param cause the cause
	 */
	public record Explanation(InhibitionRule rule, Cause cause) {

		/**
		 * {@code inhibited by INC-… DatabaseDown on orders-db (rule api-depends-on-postgres)}.
		 */
		public String reason() {
			return "inhibited by " + this.cause.describe() + " (rule " + this.rule.name() + ")";
		}

	}

}
