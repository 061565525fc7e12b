package dev.firebreak.incidents.projection;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

import dev.firebreak.platform.Failures;
import dev.firebreak.schemas.AvroCodec;
import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.UndecodableRecordException;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentEvent;

/**
 * Projects {@code firebreak.incidents} and {@code firebreak.incident-events} into
 * PostgreSQL, a batch at a time. A batch is written whole or not at all. When the
 * database fails for a while, the batch is retried with backoff until it passes, so
 * nothing is skipped. A record that can never be written (it cannot be decoded, or the
 * database refuses it) is named to the container's error handler, which sends it to its
 * topic's dead-letter topic after the records before it are written, and the partition
 * moves on.
 */
@Component
class ProjectionListener {

	static final String ID = "incident-projection";

	private static final AvroCodec<Incident> INCIDENTS = AvroCodec.of(Incident.class);

	private static final AvroCodec<IncidentEvent> EVENTS = AvroCodec.of(IncidentEvent.class);

	private final ProjectionWriter writer;

	private final ProjectionStatus status;

	ProjectionListener(ProjectionWriter writer, ProjectionStatus status) {
		this.writer = writer;
		this.status = status;
	}

	@KafkaListener(id = ID, idIsGroup = false, topics = { "firebreak.incidents", "firebreak.incident-events" },
			containerFactory = ProjectionConfiguration.CONTAINER_FACTORY)
	void project(List<ConsumerRecord<byte[], byte[]>> records) {
		Batch batch = new Batch();
		for (int i = 0; i < records.size(); i++) {
			try {
				batch.add(records.get(i));
			}
			catch (UndecodableRecordException ex) {
				write(batch, records);
				throw new BatchListenerFailedException("an undecodable record", ex, i);
			}
		}
		write(batch, records);
	}

	/**
	 * Writes a batch; when the database refuses it for good, finds the record it refuses
	 * by writing them one at a time, and names that one.
	 */
	private void write(Batch batch, List<ConsumerRecord<byte[], byte[]>> records) {
		try {
			this.writer.write(batch.incidents, batch.events);
		}
		catch (RuntimeException ex) {
			this.status.failed(ex);
			if (Failures.transientFailure(ex)) {
				throw Failures.classified(ex);
			}
			for (int i = 0; i < batch.size(); i++) {
				try {
					this.writer.write(batch.incidentAt(i), batch.eventAt(i));
				}
				catch (RuntimeException refused) {
					if (Failures.transientFailure(refused)) {
						throw Failures.classified(refused);
					}
					this.status.written(i);
					throw new BatchListenerFailedException("a record the database refuses", refused,
							batch.indexes.get(i));
				}
			}
		}
		this.status.written(batch.size());
		this.status.timeFromAlerts(batch.events);
	}

	/** Decoded records, with where each sat in the batch as delivered. */
	private static final class Batch {

		private final List<Incident> incidents = new ArrayList<>();

		private final List<IncidentEvent> events = new ArrayList<>();

		private final List<Object> decoded = new ArrayList<>();

		private final List<Integer> indexes = new ArrayList<>();

		private int delivered;

		/**
		 * @throws UndecodableRecordException when the record cannot be decoded
		 */
		void add(ConsumerRecord<byte[], byte[]> record) {
			int index = this.delivered++;
			if (record.value() == null) {
				// A tombstone on the compacted topic: the projection keeps the history.
				return;
			}
			Object value;
			if (record.topic().equals(Topics.INCIDENTS.name())) {
				Incident incident = INCIDENTS.decode(record.value());
				this.incidents.add(incident);
				value = incident;
			}
			else {
				IncidentEvent event = EVENTS.decode(record.value());
				this.events.add(event);
				value = event;
			}
			this.decoded.add(value);
			this.indexes.add(index);
		}

		int size() {
			return this.decoded.size();
		}

		List<Incident> incidentAt(int i) {
			return (this.decoded.get(i) instanceof Incident incident) ? List.of(incident) : List.of();
		}

		List<IncidentEvent> eventAt(int i) {
			return (this.decoded.get(i) instanceof IncidentEvent event) ? List.of(event) : List.of();
		}

	}

}
