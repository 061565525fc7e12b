package dev.firebreak.remediation.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.firebreak.remediation.runbook.Runbook;
import dev.firebreak.schemas.avro.IncidentStatus;
import dev.firebreak.schemas.avro.InhibitionState;

/**
 * The guardrails that decide, before anything runs, whether a runbook may act on an
 * incident now. Each refusal is a reason an operator reads in the timeline. Pure: the
 * facts from the attempt store and the switches come in as {@link Facts}.
 */
final class Guardrails {

	private Guardrails() {
	}

	/**
	 * What the store and the switches know.
	 *
	 * @param killSwitch whether the global kill switch is on
	 * @param openCircuit why the runbook's circuit breaker is open, or {@code null}
	 * @param attempts how often the runbook has run for this incident
	 * @param lastStartOnTarget when the runbook last ran on this target, for any
	 * incident, or {@code null}
	 * @param approved whether an operator approved this very attempt
	 */
	record Facts(boolean killSwitch, String openCircuit, int attempts, Instant lastStartOnTarget, boolean approved) {

	}

	/**
	 * Why a runbook may not act now.
	 *
	 * @param reason what the timeline says
	 * @param diagnosticsMayRun whether its diagnostic steps may still gather evidence: a
	 * person is on the incident, or it is in maintenance
	 */
	record Refusal(String reason, boolean diagnosticsMayRun) {

		static Optional<Refusal> of(String reason) {
			return Optional.of(new Refusal(reason, false));
		}

	}

	/** Why the runbook may not act now, or empty when it may. */
	static Optional<Refusal> refusal(Runbook runbook, IncidentFlags incident, String target, Facts facts, Instant now) {
		if (facts.killSwitch()) {
			return Refusal.of("the kill switch is on: no remediation runs");
		}
		if (facts.openCircuit() != null) {
			return Refusal
				.of("runbook " + runbook.id() + " is disabled by its circuit breaker: " + facts.openCircuit());
		}
		if (incident.inMaintenance()) {
			String window = (incident.maintenanceWindowId() != null) ? " " + incident.maintenanceWindowId() : "";
			return Optional.of(new Refusal("the incident is in maintenance window" + window, true));
		}
		if (incident.inhibition() == InhibitionState.INHIBITED) {
			return Refusal.of("the incident is a symptom: inhibited by " + incident.inhibitedBy()
					+ ", whose cause is remediated instead");
		}
		if (incident.inhibition() == InhibitionState.PENDING) {
			return Refusal.of("the incident may be a symptom: its cause may yet arrive (it is looked at again when "
					+ "the wait ends)");
		}
		if (incident.flapping()) {
			return Refusal.of("the incident is flapping: acting on it would chase its alerts");
		}
		if (incident.status() == IncidentStatus.RESOLVED) {
			return Refusal.of("the incident is resolved");
		}
		if (incident.status() == IncidentStatus.ACKNOWLEDGED && !facts.approved()) {
			String who = (incident.acknowledgedBy() != null) ? incident.acknowledgedBy() : "a person";
			return Optional.of(new Refusal("acknowledged by " + who + ": a person is on it", true));
		}
		int maxAttempts = runbook.guardrails().maxAttempts();
		if (facts.attempts() >= maxAttempts) {
			return Refusal.of("ran " + facts.attempts() + " times for this incident, the most its guardrails allow ("
					+ maxAttempts + ")");
		}
		Duration cooldown = runbook.guardrails().cooldown();
		if (facts.lastStartOnTarget() != null && facts.lastStartOnTarget().plus(cooldown).isAfter(now)) {
			return Refusal.of("ran on " + target + " at " + facts.lastStartOnTarget() + ", within its cooldown of "
					+ cooldown.toString().substring(2).toLowerCase(java.util.Locale.ROOT));
		}
		return Optional.empty();
	}

}
