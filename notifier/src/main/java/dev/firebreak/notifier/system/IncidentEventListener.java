package dev.firebreak.notifier.system;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.firebreak.notifier.delivery.Dispatcher;
import dev.firebreak.notifier.delivery.Intake;
import dev.firebreak.platform.RawRecords;
import dev.firebreak.schemas.AvroCodec;
import dev.firebreak.schemas.avro.IncidentEvent;

/**
 * Records the deliveries each incident event deserves, then wakes the senders. While
 * PostgreSQL fails the event is retried with backoff; an undecodable one goes to
 * {@code firebreak.incident-events.dlt}.
 */
@Component
class IncidentEventListener {

	private static final AvroCodec<IncidentEvent> EVENTS = AvroCodec.of(IncidentEvent.class);

	private final Intake intake;

	private final Dispatcher dispatcher;

	IncidentEventListener(Intake intake, Dispatcher dispatcher) {
		this.intake = intake;
		this.dispatcher = dispatcher;
	}

	@KafkaListener(id = "notifier", idIsGroup = false, topics = "firebreak.incident-events",
			containerFactory = NotifierConfiguration.CONTAINER_FACTORY)
	void onEvent(ConsumerRecord<byte[], byte[]> record) {
		RawRecords.process(record, EVENTS, (event) -> {
			if (this.intake.accept(event, record.value()) > 0) {
				this.dispatcher.wake();
			}
		});
	}

}
