package dev.firebreak.remediation.system;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
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

	private static final AvroCodec<IncidentEvent> EVENTS = AvroCodec.of(IncidentEvent.class);

	private final RemediationEngine engine;

	private final MeterRegistry meters;

	IncidentEventListener(RemediationEngine engine, MeterRegistry meters) {
		this.engine = engine;
		this.meters = meters;
	}

	@KafkaListener(id = ID, idIsGroup = false, topics = "firebreak.incident-events",
			containerFactory = EngineConfiguration.CONTAINER_FACTORY)
	void onEvent(ConsumerRecord<byte[], byte[]> record) {
		RawRecords.process(record, EVENTS, (event) -> {
			this.engine.handle(event);
			this.meters.counter("firebreak.remediation.events", "type", event.getType().name()).increment();
		});
	}

}
