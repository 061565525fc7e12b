package dev.firebreak.remediation.system;

import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.firebreak.platform.RawRecords;
import dev.firebreak.remediation.engine.RemediationEngine;
import dev.firebreak.schemas.AvroCodec;
import dev.firebreak.schemas.avro.IncidentEvent;

/**
 * Hands each incident event to the engine, in the order of its partition. While
 * PostgreSQL fails, the exception goes to the container's error handler, which retries
 * the same event with backoff until it succeeds. A record that can never succeed (it
 * cannot be decoded, or the engine cannot handle it) goes to
 * {@code firebreak.incident-events.dlt} with the reason, and the stream moves on.
 */
@Component
class IncidentEventListener {

	static final String ID = "remediation-engine";

	private static final Logger log = LoggerFactory.getLogger(IncidentEventListener.class);

	private static final AvroCodec<IncidentEvent> EVENTS = AvroCodec.of(IncidentEvent.class);

	private final RemediationEngine engine;

	private final KafkaTemplate<byte[], byte[]> kafka;

	private final MeterRegistry meters;

	IncidentEventListener(RemediationEngine engine, KafkaTemplate<byte[], byte[]> kafka, MeterRegistry meters) {
		this.engine = engine;
		this.kafka = kafka;
		this.meters = meters;
	}

	@KafkaListener(id = ID, idIsGroup = false, topics = "firebreak.incident-events",
			containerFactory = EngineConfiguration.CONTAINER_FACTORY)
	void onEvent(ConsumerRecord<byte[], byte[]> record) {
		Optional<IncidentEvent> decoded = RawRecords.decode(this.kafka, record, EVENTS);
		if (decoded.isEmpty()) {
			return;
		}
		IncidentEvent event = decoded.get();
		try {
			this.engine.handle(event);
			this.meters.counter("firebreak.remediation.events", "type", event.getType().name()).increment();
		}
		catch (DataAccessException ex) {
			log.atWarn()
				.setMessage("PostgreSQL failed; the event is retried with backoff")
				.addKeyValue("incidentId", event.getIncidentId())
				.addKeyValue("sequence", event.getSequence())
				.addKeyValue("error", ex.getMostSpecificCause().toString())
				.log();
			throw ex;
		}
		catch (RuntimeException ex) {
			log.atError()
				.setMessage("Incident event could not be handled")
				.addKeyValue("incidentId", event.getIncidentId())
				.addKeyValue("sequence", event.getSequence())
				.setCause(ex)
				.log();
			deadLetter(record, "PROCESSING_FAILED", ex);
		}
	}

	private void deadLetter(ConsumerRecord<byte[], byte[]> record, String reason, Exception ex) {
		RawRecords.deadLetter(this.kafka, record, reason, ex);
		this.meters.counter("firebreak.remediation.dead.letters", "reason", reason).increment();
	}

}
