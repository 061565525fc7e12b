package dev.firebreak.remediation.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

	}

	/**
	 * Why the runbook may not act now, or empty when it may: the first guardrail that
	 * refuses. Its diagnostics may still run only when every guardrail that refuses is a
	 * person on the incident or a maintenance window (never past the kill switch, the
	 * circuit breaker, an inhibition, a resolution, the attempts or the cooldown).
	 */
	static Optional<Refusal> refusal(Runbook runbook, IncidentFlags incident, String target, Facts facts, Instant now) {
		List<Refusal> refusals = refusals(runbook, incident, target, facts, now);
		if (refusals.isEmpty()) {
			return Optional.empty();
		}
		return Optional
			.of(new Refusal(refusals.get(0).reason(), refusals.stream().allMatch(Refusal::diagnosticsMayRun)));
	}

	/** Every guardrail that refuses, in the order they are told. */
	private static List<Refusal> refusals(Runbook runbook, IncidentFlags incident, String target, Facts facts,
			Instant now) {
		List<Refusal> refusals = new ArrayList<>();
		if (facts.killSwitch()) {
			refusals.add(new Refusal("the kill switch is on: no remediation runs", false));
		}
		if (facts.openCircuit() != null) {
			refusals.add(new Refusal(
					"runbook " + runbook.id() + " is disabled by its circuit breaker: " + facts.openCircuit(), false));
		}
		if (incident.inMaintenance()) {
			String window = (incident.maintenanceWindowId() != null) ? " " + incident.maintenanceWindowId() : "";
			refusals.add(new Refusal("the incident is in maintenance window" + window, true));
		}
		if (incident.inhibition() == InhibitionState.INHIBITED) {
			refusals.add(new Refusal("the incident is a symptom: inhibited by " + incident.inhibitedBy()
					+ ", whose cause is remediated instead", false));
		}
		if (incident.inhibition() == InhibitionState.PENDING) {
			refusals.add(new Refusal("the incident may be a symptom: its cause may yet arrive (it is looked at again "
					+ "when the wait ends)", false));
		}
		if (incident.flapping()) {
			refusals.add(new Refusal("the incident is flapping: acting on it would chase its alerts", false));
		}
		if (incident.status() == IncidentStatus.RESOLVED) {
			refusals.add(new Refusal("the incident is resolved", false));
		}
		if (incident.status() == IncidentStatus.ACKNOWLEDGED && !facts.approved()) {
			String who = (incident.acknowledgedBy() != null) ? incident.acknowledgedBy() : "a person";
			refusals.add(new Refusal("acknowledged by " + who + ": a person is on it", true));
		}
		int maxAttempts = runbook.guardrails().maxAttempts();
		if (facts.attempts() >= maxAttempts) {
			refusals.add(new Refusal("ran " + facts.attempts() + " times for this incident, the most its guardrails "
					+ "allow (" + maxAttempts + ")", false));
		}
		cooldown(runbook, target, facts.lastStartOnTarget(), now).ifPresent(refusals::add);
		return refusals;
	}

	/**
	 * Why the runbook may not run on the target yet: it last ran there within its
	 * cooldown. The engine asks again under its admission lock, where another engine's
	 * start is seen.
	 * @param lastStart when the runbook last ran on the target, for any incident, or
	 * {@code null}
	 */
	static Optional<Refusal> cooldown(Runbook runbook, String target, Instant lastStart, Instant now) {
		Duration cooldown = runbook.guardrails().cooldown();
		if (lastStart == null || !lastStart.plus(cooldown).isAfter(now)) {
			return Optional.empty();
		}
		return Optional.of(new Refusal("ran on " + target + " at " + lastStart + ", within its cooldown of "
				+ cooldown.toString().substring(2).toLowerCase(java.util.Locale.ROOT), false));
	}

}
