package dev.firebreak.incidents.projection;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.firebreak.schemas.AvroCodec;
import dev.firebreak.schemas.DeadLetter;
import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.UndecodableRecordException;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentEvent;

/**
 * Projects {@code firebreak.incidents} and {@code firebreak.incident-events} into
 * PostgreSQL, a batch at a time. A batch is written whole or not at all: when the
 * database fails, the exception goes to the container's error handler, which pauses the
 * consumer and retries the same batch with backoff until it succeeds, so nothing is
 * skipped. A record that cannot be decoded can never succeed: it goes to its topic's
 * dead-letter topic, after the rest of its batch is written.
 */
@Component
class ProjectionListener {

	static final String ID = "incident-projection";

	private static final Logger log = LoggerFactory.getLogger(ProjectionListener.class);

	private static final AvroCodec<Incident> INCIDENTS = AvroCodec.of(Incident.class);

	private static final AvroCodec<IncidentEvent> EVENTS = AvroCodec.of(IncidentEvent.class);

	private final ProjectionWriter writer;

	private final ProjectionStatus status;

	private final KafkaTemplate<byte[], byte[]> deadLetters;

	ProjectionListener(ProjectionWriter writer, ProjectionStatus status, KafkaTemplate<byte[], byte[]> kafka) {
		this.writer = writer;
		this.status = status;
		this.deadLetters = kafka;
	}

	@KafkaListener(id = ID, topics = { "firebreak.incidents", "firebreak.incident-events" },
			containerFactory = ProjectionConfiguration.CONTAINER_FACTORY)
	void project(List<ConsumerRecord<byte[], byte[]>> records) {
		List<Incident> incidents = new ArrayList<>();
		List<IncidentEvent> events = new ArrayList<>();
		List<ProducerRecord<byte[], byte[]>> undecodable = new ArrayList<>();
		for (ConsumerRecord<byte[], byte[]> record : records) {
			if (record.value() == null) {
				// A tombstone on the compacted topic: the projection keeps the history.
				continue;
			}
			try {
				if (record.topic().equals(Topics.INCIDENTS.name())) {
					incidents.add(INCIDENTS.decode(record.value()));
				}
				else {
					events.add(EVENTS.decode(record.value()));
				}
			}
			catch (UndecodableRecordException ex) {
				undecodable.add(deadLetter(record, ex));
			}
		}
		try {
			this.writer.write(incidents, events);
		}
		catch (RuntimeException ex) {
			this.status.failed(ex);
			throw ex;
		}
		this.status.written(records.size());
		undecodable.forEach(this::send);
	}

	private ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> record,
			UndecodableRecordException ex) {
		String key = (record.key() != null) ? new String(record.key(), StandardCharsets.UTF_8) : null;
		log.atWarn()
			.setMessage("Undecodable record sent to the dead-letter topic")
			.addKeyValue("topic", record.topic())
			.addKeyValue("partition", record.partition())
			.addKeyValue("offset", record.offset())
			.addKeyValue("key", key)
			.addKeyValue("reason", ex.reason())
			.log();
		DeadLetter letter = new DeadLetter(record.topic(), record.partition(), record.offset(), ex.reason().name(),
				ex.getMessage(), ex.getClass().getName());
		return letter.toRecord(record.topic() + dev.firebreak.schemas.Topic.DEAD_LETTER_SUFFIX, record.key(),
				record.value(), record.headers());
	}

	/** Waits for the broker: the batch's offsets are committed only after it has it. */
	private void send(ProducerRecord<byte[], byte[]> record) {
		try {
			this.deadLetters.send(record).get(30, TimeUnit.SECONDS);
			this.status.deadLettered();
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Could not write to " + record.topic(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted writing to " + record.topic(), ex);
		}
	}

}
