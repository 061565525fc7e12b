package dev.firebreak.notifier.system;

import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
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

	private static final Logger log = LoggerFactory.getLogger(IncidentEventListener.class);

	private static final AvroCodec<IncidentEvent> EVENTS = AvroCodec.of(IncidentEvent.class);

	private final Intake intake;

	private final Dispatcher dispatcher;

	private final KafkaTemplate<byte[], byte[]> kafka;

	IncidentEventListener(Intake intake, Dispatcher dispatcher, KafkaTemplate<byte[], byte[]> kafka) {
		this.intake = intake;
		this.dispatcher = dispatcher;
		this.kafka = kafka;
	}

	@KafkaListener(id = "notifier", idIsGroup = false, topics = "firebreak.incident-events",
			containerFactory = NotifierConfiguration.CONTAINER_FACTORY)
	void onEvent(ConsumerRecord<byte[], byte[]> record) {
		Optional<IncidentEvent> decoded = RawRecords.decode(this.kafka, record, EVENTS);
		if (decoded.isEmpty()) {
			return;
		}
		IncidentEvent event = decoded.get();
		try {
			if (this.intake.accept(event, record.value()) > 0) {
				this.dispatcher.wake();
			}
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
	}

}
