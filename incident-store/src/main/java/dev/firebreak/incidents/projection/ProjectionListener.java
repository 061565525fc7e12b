package dev.firebreak.incidents.projection;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.firebreak.platform.RawRecords;
import dev.firebreak.schemas.AvroCodec;
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

	@KafkaListener(id = ID, idIsGroup = false, topics = { "firebreak.incidents", "firebreak.incident-events" },
			containerFactory = ProjectionConfiguration.CONTAINER_FACTORY)
	void project(List<ConsumerRecord<byte[], byte[]>> records) {
		List<Incident> incidents = new ArrayList<>();
		List<IncidentEvent> events = new ArrayList<>();
		List<ConsumerRecord<byte[], byte[]>> undecodable = new ArrayList<>();
		List<UndecodableRecordException> errors = new ArrayList<>();
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
				undecodable.add(record);
				errors.add(ex);
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
		for (int i = 0; i < undecodable.size(); i++) {
			RawRecords.deadLetter(this.deadLetters, undecodable.get(i), errors.get(i).reason().name(), errors.get(i));
			this.status.deadLettered();
		}
	}

}
