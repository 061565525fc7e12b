package dev.firebreak.incidents.correlation;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.avro.AlertStatus;

/**
 * Keys each alert by its correlation key, before the repartition: by the grouping rules
 * when it starts firing, and by the key it was given then for as long as it fires and for
 * its resolve, so that a change of rules never moves an open incident's alerts (their
 * store, by fingerprint, is on the partition of the alert's own topic). The rule's name
 * travels in a header.
 */
final class KeyAssigner implements Processor<String, AlertEvent, String, AlertEvent> {

	/** The header with the grouping rule's name. */
	static final String RULE_HEADER = "firebreak.grouping-rule";

	private static final char SEPARATOR = '\u0000';

	private final Grouping grouping;

	private ProcessorContext<String, AlertEvent> context;

	private KeyValueStore<String, String> keys;

	KeyAssigner(Grouping grouping) {
		this.grouping = grouping;
	}

	@Override
	public void init(ProcessorContext<String, AlertEvent> context) {
		this.context = context;
		this.keys = context.getStateStore(IncidentTopology.ALERT_KEYS);
	}

	@Override
	public void process(Record<String, AlertEvent> record) {
		AlertEvent alert = record.value();
		String fingerprint = alert.getFingerprint();
		String stored = this.keys.get(fingerprint);
		String rule;
		String key;
		if (stored != null) {
			int separator = stored.indexOf(SEPARATOR);
			rule = stored.substring(0, separator);
			key = stored.substring(separator + 1);
		}
		else {
			Grouping.Keyed keyed = this.grouping.keyOf(alert.getLabels());
			rule = keyed.rule();
			key = keyed.key().value();
		}
		if (alert.getStatus() == AlertStatus.FIRING) {
			if (stored == null) {
				this.keys.put(fingerprint, rule + SEPARATOR + key);
			}
		}
		else if (stored != null) {
			// Its episode is over: the next one is grouped by the rules of its time.
			this.keys.delete(fingerprint);
		}
		Record<String, AlertEvent> keyed = record.withKey(key);
		keyed.headers().remove(RULE_HEADER).add(RULE_HEADER, rule.getBytes(StandardCharsets.UTF_8));
		this.context.forward(keyed);
	}

}
