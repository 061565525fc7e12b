package dev.firebreak.incidents.correlation;

import java.util.stream.Stream;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.firebreak.incidents.inhibition.Inhibitions;
import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.AlertStatus;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentStatus;

/**
 * Every instance's index of the causes open now, fed from {@code firebreak.incidents}: an
 * unresolved incident with a firing alert that is the source of an inhibition rule is
 * kept whole (bounded, as the topic's record), any other is dropped. Incidents of every
 * partition reach every instance, so an alert of one task finds the cause another task
 * holds. The records are decoded here: one that cannot be is skipped with a warning (a
 * global store has no dead-letter topic, and a failure would stop the whole topology; the
 * projection dead-letters it).
 */
final class CauseIndex implements Processor<String, byte[], Void, Void> {

	private static final Logger log = LoggerFactory.getLogger(CauseIndex.class);

	private final Deserializer<Incident> decoder = Topics.INCIDENTS.valueSerde().deserializer();

	private final Inhibitions inhibitions;

	private KeyValueStore<String, Incident> causes;

	CauseIndex(Inhibitions inhibitions) {
		this.inhibitions = inhibitions;
	}

	@Override
	public void init(ProcessorContext<Void, Void> context) {
		this.causes = context.getStateStore(IncidentTopology.CAUSES);
	}

	@Override
	public void process(Record<String, byte[]> record) {
		Incident incident;
		try {
			incident = (record.value() != null) ? this.decoder.deserialize(Topics.INCIDENTS.name(), record.value())
					: null;
		}
		catch (RuntimeException ex) {
			log.warn("Skipped an undecodable record of {} (key {}): {}", Topics.INCIDENTS.name(), record.key(),
					ex.toString());
			return;
		}
		if (incident != null && isCause(incident)) {
			this.causes.put(record.key(), incident);
		}
		else if (record.key() != null && this.causes.get(record.key()) != null) {
			// Deleted only if there: every tombstone is stepped over by every scan of
			// the index, and most incidents are never causes.
			this.causes.delete(record.key());
		}
	}

	private boolean isCause(Incident incident) {
		return incident.getStatus() != IncidentStatus.RESOLVED && Stream
			.concat(incident.getFirstAlerts().stream(), incident.getRecentAlerts().stream())
			.anyMatch(
					(alert) -> alert.getStatus() == AlertStatus.FIRING && this.inhibitions.isCause(alert.getLabels()));
	}

}
