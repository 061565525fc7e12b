package dev.firebreak.incidents.correlation;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.firebreak.incidents.incident.AlertMerge;
import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.avro.AlertStatus;

/**
 * Keys each alert by its correlation key, before the repartition: by the grouping rules
 * when it starts firing, and by the key it was given then for as long as it fires and for
 * its resolve, so that a change of rules never moves an open incident's alerts (their
 * store, by fingerprint, is on the partition of the alert's own topic). The rule's name
 * travels in a header.
 * <p>
 * An exact repeat of a firing alert's last delivery within the HA skew (the second
 * Alertmanager of a pair, half of all traffic) goes no further: it is counted here, and
 * the count travels in a header with the alert's next delivery passed on, which adds it
 * to the incident's deliveries. It would change nothing but that count downstream, at the
 * cost of a repartition and a rewrite of the incident.
 */
final class KeyAssigner implements Processor<String, AlertEvent, String, AlertEvent> {

	/** The header with the grouping rule's name. */
	static final String RULE_HEADER = "firebreak.grouping-rule";

	/** The header with the repeats of this alert counted before this delivery. */
	static final String REPEATS_HEADER = "firebreak.repeats";

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
		AssignedKey stored = AssignedKey.parse(this.keys.get(fingerprint));
		boolean firing = alert.getStatus() == AlertStatus.FIRING;
		String delivery = firing ? AssignedKey.digest(alert) : null;
		if (stored != null && firing && stored.repeatedBy(delivery, record.timestamp(), AlertMerge.DEFAULT_SKEW)) {
			this.keys.put(fingerprint, stored.repeated().encode());
			return;
		}
		AssignedKey assigned = stored;
		if (assigned == null) {
			Grouping.Keyed keyed = this.grouping.keyOf(alert.getLabels());
			assigned = new AssignedKey(keyed.rule(), keyed.key().value(), null, 0, 0);
		}
		if (firing) {
			this.keys.put(fingerprint, assigned.forwarded(delivery, record.timestamp()).encode());
		}
		else if (stored != null) {
			// Its episode is over: the next one is grouped by the rules of its time.
			this.keys.delete(fingerprint);
		}
		Record<String, AlertEvent> keyed = record.withKey(assigned.key());
		keyed.headers()
			.remove(RULE_HEADER)
			.remove(REPEATS_HEADER)
			.add(RULE_HEADER, assigned.rule().getBytes(StandardCharsets.UTF_8));
		if (assigned.repeats() > 0) {
			keyed.headers().add(REPEATS_HEADER, Long.toString(assigned.repeats()).getBytes(StandardCharsets.UTF_8));
		}
		this.context.forward(keyed);
	}

}
