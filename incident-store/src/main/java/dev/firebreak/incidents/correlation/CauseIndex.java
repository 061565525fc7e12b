package dev.firebreak.incidents.correlation;

import java.util.stream.Stream;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.firebreak.incidents.inhibition.Inhibitions;
import dev.firebreak.schemas.avro.AlertStatus;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentStatus;

/**
 * Every instance's index of the causes open now, fed from {@code firebreak.incidents}: an
 * unresolved incident with a firing alert that is the source of an inhibition rule is
 * kept whole (bounded, as the topic's record), any other is dropped. Incidents of every
 * partition reach every instance, so an alert of one task finds the cause another task
 * holds.
 */
final class CauseIndex implements Processor<String, Incident, Void, Void> {

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
	public void process(Record<String, Incident> record) {
		Incident incident = record.value();
		if (incident != null && isCause(incident)) {
			this.causes.put(record.key(), incident);
		}
		else if (record.key() != null) {
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
