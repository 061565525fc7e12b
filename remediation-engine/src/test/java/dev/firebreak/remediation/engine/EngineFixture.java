package dev.firebreak.remediation.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.avro.IncidentCommand;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.IncidentEventType;
import dev.firebreak.schemas.avro.RemediationOutcome;
import dev.firebreak.schemas.avro.RemediationStatus;
import dev.firebreak.schemas.avro.Severity;
import dev.firebreak.schemas.fixtures.Alerts;
import dev.firebreak.schemas.fixtures.IncidentEvents;
import dev.firebreak.schemas.fixtures.Incidents;
import dev.firebreak.testkit.Eventually;
import dev.firebreak.testkit.KafkaFixture;
import dev.firebreak.testkit.KafkaRecords;

/**
 * What the engine's tests say to it and read from it: incident events as incident-store
 * writes them, and the outcomes it publishes as commands.
 */
final class EngineFixture {

	private final KafkaFixture kafka;

	EngineFixture(KafkaFixture kafka) {
		this.kafka = kafka;
	}

	static AlertEvent firing(String alertname, String service) {
		return Alerts.firing(alertname).label("service", service).label("severity", "critical").build();
	}

	/**
	 * The event of an alert firing: the incident opening ({@code sequence} 1) or the
	 * alert joining it.
	 */
	static IncidentEvent fired(String incidentId, long sequence, AlertEvent alert, UnaryOperator<Incidents> incident) {
		Incidents built = incident.apply(Incidents.open(incidentId).version(sequence).alert(alert));
		return IncidentEvents
			.of((sequence == 1) ? IncidentEventType.OPENED : IncidentEventType.ALERT_ADDED, built.build())
			.alert(Incidents.summaryOf(alert, Severity.SEV2))
			.at(Instant.now())
			.build();
	}

	static IncidentEvent fired(String incidentId, long sequence, AlertEvent alert) {
		return fired(incidentId, sequence, alert, UnaryOperator.identity());
	}

	static IncidentEvent alertResolved(String incidentId, long sequence, AlertEvent alert) {
		AlertEvent resolved = Alerts.resolved(alert.getLabels().get("alertname"))
			.fingerprint(alert.getFingerprint())
			.label("service", alert.getLabels().get("service"))
			.label("severity", "critical")
			.build();
		return IncidentEvents
			.of(IncidentEventType.ALERT_RESOLVED, Incidents.open(incidentId).version(sequence).alert(resolved).build())
			.alert(Incidents.summaryOf(resolved, Severity.SEV2))
			.at(Instant.now())
			.build();
	}

	static IncidentEvent decided(IncidentEventType type, String incidentId, long sequence, String remediationId,
			String by) {
		return IncidentEvents.of(type, Incidents.open(incidentId).version(sequence).build())
			.by(dev.firebreak.schemas.avro.ActorKind.OPERATOR, by)
			.detail("remediationId", remediationId)
			.at(Instant.now())
			.build();
	}

	void send(IncidentEvent... events) {
		for (IncidentEvent event : events) {
			KafkaRecords.produce(this.kafka, Topics.INCIDENT_EVENTS, Map.entry(event.getIncidentId(), event));
		}
	}

	/** The outcomes published for the incident so far, in order. */
	List<RemediationOutcome> outcomes(String incidentId) {
		return KafkaRecords.readAll(this.kafka, Topics.INCIDENT_COMMANDS, Duration.ofSeconds(30))
			.stream()
			.filter((record) -> incidentId.equals(record.key()))
			.map(ConsumerRecord::value)
			.map(IncidentCommand::getRemediation)
			.toList();
	}

	/**
	 * Waits until the incident has an outcome in that status, and returns every outcome.
	 */
	List<RemediationOutcome> awaitOutcome(String incidentId, RemediationStatus status, Duration timeout) {
		return Eventually.within(timeout)
			.until(() -> outcomes(incidentId),
					(outcomes) -> outcomes.stream().anyMatch((outcome) -> outcome.getStatus() == status));
	}

	static RemediationOutcome last(List<RemediationOutcome> outcomes) {
		return outcomes.get(outcomes.size() - 1);
	}

}
