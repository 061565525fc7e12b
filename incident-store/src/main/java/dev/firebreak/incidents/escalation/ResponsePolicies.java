package dev.firebreak.incidents.escalation;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.firebreak.schemas.avro.Severity;

/**
 * A team's response matrix: policies for alerts, the most specific matching one winning
 * (the first written among equals), and a fallback per severity for an alert none covers.
 */
public record ResponsePolicies(List<ResponsePolicy> policies, Map<Severity, ResponsePolicy> fallback) {

	public ResponsePolicies {
		policies = List.copyOf(policies);
		fallback = new EnumMap<>(fallback);
		for (Severity severity : Severity.values()) {
			if (!fallback.containsKey(severity)) {
				throw new IllegalArgumentException("the response policies have no fallback for " + severity);
			}
		}
	}

	/** A policy, or a severity's fallback, by its name. */
	public Optional<ResponsePolicy> named(String name) {
		return this.policies.stream()
			.filter((policy) -> policy.name().equals(name))
			.findFirst()
			.or(() -> this.fallback.values().stream().filter((policy) -> policy.name().equals(name)).findFirst());
	}

	/** The policy an alert with these labels and this severity runs on. */
	public ResponsePolicy policyFor(Map<String, String> labels, Severity severity) {
		return this.policies.stream()
			.filter((policy) -> policy.match().matches(labels, severity))
			.max(Comparator.comparingInt((ResponsePolicy policy) -> policy.match().specificity())
				.thenComparing((policy) -> -this.policies.indexOf(policy)))
			.orElse(this.fallback.get(severity));
	}

}
