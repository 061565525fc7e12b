package dev.firebreak.remediation.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import dev.firebreak.remediation.runbook.Runbook;
import dev.firebreak.remediation.runbook.RunbookLoader;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentStatus;
import dev.firebreak.schemas.fixtures.Alerts;
import dev.firebreak.schemas.fixtures.Incidents;

import static org.assertj.core.api.Assertions.assertThat;

class GuardrailsTest {

	private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

	private static final Runbook RUNBOOK = RunbookLoader.parse(Map.of("r.yaml", """
			id: restart
			match: { labels: { alertname: ServiceDown } }
			action: { type: command, argv: [/bin/true] }
			guardrails: { dryRun: false, cooldown: 15m, maxAttempts: 2 }
			""")).get(0);

	private static final Guardrails.Facts CLEAR = new Guardrails.Facts(false, null, 0, null, false);

	@Test
	void anOpenIncidentWithNothingAgainstItMayBeRemediated() {
		assertThat(refusal(UnaryOperator.identity(), CLEAR)).isEmpty();
	}

	@Test
	void eachGuardrailRefusesWithItsReason() {
		assertThat(refusal(UnaryOperator.identity(), new Guardrails.Facts(true, null, 0, null, false)))
			.hasValue("the kill switch is on: no remediation runs");
		assertThat(
				refusal(UnaryOperator.identity(), new Guardrails.Facts(false, "3 failures within 1h", 0, null, false)))
			.hasValue("runbook restart is disabled by its circuit breaker: 3 failures within 1h");
		assertThat(refusal(Incidents::inMaintenance, CLEAR))
			.hasValueSatisfying((reason) -> assertThat(reason).startsWith("the incident is in maintenance window"));
		assertThat(refusal(Incidents::flapping, CLEAR))
			.hasValue("the incident is flapping: acting on it would chase its alerts");
		assertThat(refusal((incident) -> incident.inhibitedBy("INC-20261122-0007", "api-depends-on-postgres"), CLEAR))
			.hasValue("the incident is a symptom: inhibited by INC-20261122-0007, whose cause is remediated instead");
		assertThat(refusal((incident) -> incident.mayBeASymptom("api-depends-on-postgres"), CLEAR)).hasValue(
				"the incident may be a symptom: its cause may yet arrive (it is looked at again when the wait ends)");
		assertThat(refusal((incident) -> incident.status(IncidentStatus.RESOLVED), CLEAR))
			.hasValue("the incident is resolved");
		assertThat(refusal((incident) -> incident.status(IncidentStatus.ACKNOWLEDGED), CLEAR))
			.hasValue("acknowledged by a person: a person is on it");
		assertThat(refusal(UnaryOperator.identity(), new Guardrails.Facts(false, null, 2, null, false)))
			.hasValue("ran 2 times for this incident, the most its guardrails allow (2)");
		assertThat(refusal(UnaryOperator.identity(),
				new Guardrails.Facts(false, null, 1, NOW.minus(Duration.ofMinutes(14)), false)))
			.hasValue("ran on api at 2026-11-22T11:46:00Z, within its cooldown of 15m");
	}

	@Test
	void theCooldownEndsAndAnApprovalOutranksAnAcknowledgement() {
		assertThat(refusal(UnaryOperator.identity(),
				new Guardrails.Facts(false, null, 1, NOW.minus(Duration.ofMinutes(15)), false)))
			.isEmpty();
		assertThat(refusal((incident) -> incident.status(IncidentStatus.ACKNOWLEDGED),
				new Guardrails.Facts(false, null, 0, null, true)))
			.isEmpty();
	}

	@Test
	void theCooldownAloneAsTheEngineAsksItUnderItsAdmissionLock() {
		assertThat(Guardrails.cooldown(RUNBOOK, "api", null, NOW)).isEmpty();
		assertThat(Guardrails.cooldown(RUNBOOK, "api", NOW.minus(Duration.ofMinutes(15)), NOW)).isEmpty();
		assertThat(Guardrails.cooldown(RUNBOOK, "api", NOW.minus(Duration.ofMinutes(14)), NOW))
			.hasValue(new Guardrails.Refusal("ran on api at 2026-11-22T11:46:00Z, within its cooldown of 15m", false));
		assertThat(Guardrails.cooldown(RUNBOOK, "api", NOW, NOW))
			.hasValueSatisfying((refusal) -> assertThat(refusal.reason())
				.isEqualTo("ran on api at " + NOW + ", within its cooldown of 15m"));
	}

	@Test
	void diagnosticsStillGatherEvidenceOnlyWhileAPersonIsOnItOrInMaintenance() {
		assertThat(decision((incident) -> incident.status(IncidentStatus.ACKNOWLEDGED), CLEAR))
			.hasValueSatisfying((refusal) -> assertThat(refusal.diagnosticsMayRun()).isTrue());
		assertThat(decision(Incidents::inMaintenance, CLEAR))
			.hasValueSatisfying((refusal) -> assertThat(refusal.diagnosticsMayRun()).isTrue());
		assertThat(decision(Incidents::flapping, CLEAR))
			.hasValueSatisfying((refusal) -> assertThat(refusal.diagnosticsMayRun()).isFalse());
		assertThat(decision(UnaryOperator.identity(), new Guardrails.Facts(false, null, 2, null, false)))
			.hasValueSatisfying((refusal) -> assertThat(refusal.diagnosticsMayRun()).isFalse());
		assertThat(decision(Incidents::inMaintenance, new Guardrails.Facts(true, null, 0, null, false)))
			.hasValueSatisfying((refusal) -> assertThat(refusal.diagnosticsMayRun()).isFalse());
		// Past a person or a window, every other guardrail still holds diagnostics back.
		assertThat(decision((incident) -> incident.status(IncidentStatus.ACKNOWLEDGED),
				new Guardrails.Facts(false, null, 2, null, false)))
			.hasValueSatisfying((refusal) -> {
				assertThat(refusal.reason()).isEqualTo("acknowledged by a person: a person is on it");
				assertThat(refusal.diagnosticsMayRun()).isFalse();
			});
		assertThat(decision((incident) -> incident.inMaintenance().status(IncidentStatus.RESOLVED), CLEAR))
			.hasValueSatisfying((refusal) -> assertThat(refusal.diagnosticsMayRun()).isFalse());
	}

	@Test
	void theKillSwitchComesFirst() {
		assertThat(refusal(Incidents::flapping, new Guardrails.Facts(true, "open", 5, NOW, false)))
			.hasValue("the kill switch is on: no remediation runs");
	}

	private static Optional<String> refusal(UnaryOperator<Incidents> incident, Guardrails.Facts facts) {
		return decision(incident, facts).map(Guardrails.Refusal::reason);
	}

	private static Optional<Guardrails.Refusal> decision(UnaryOperator<Incidents> incident, Guardrails.Facts facts) {
		Incident built = incident.apply(Incidents.open("INC-20261122-0001").alert(Alerts.firing("ServiceDown").build()))
			.build();
		return Guardrails.refusal(RUNBOOK, IncidentFlags.of(built), "api", facts, NOW);
	}

}
