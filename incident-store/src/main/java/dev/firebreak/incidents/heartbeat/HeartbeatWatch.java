package dev.firebreak.incidents.heartbeat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.avro.AlertStatus;

/**
 * The dead man's switch: reads every heartbeat (all of them on one partition), keeps the
 * last beat of each heartbeat series, and on a wall-clock tick raises
 * {@code AlertingPipelineSilent} for each series that is overdue; the heartbeat's return
 * clears it. What it raises and clears are alerts keyed by fingerprint, for the alerts
 * topic: from there they become an incident like any other. A series is watched once it
 * has been seen; a resolved heartbeat is no beat (Alertmanager resolves a heartbeat that
 * Prometheus stopped sending, which is the failure to notice).
 */
public final class HeartbeatWatch implements Processor<String, AlertEvent, String, AlertEvent> {

	/** The last beat of each heartbeat series, by fingerprint. */
	public static final String BEATS = "incident-store-heartbeats";

	/** The silences raised and not cleared, by their heartbeat's fingerprint. */
	public static final String SILENCES = "incident-store-heartbeat-silences";

	private static final Logger logger = LoggerFactory.getLogger(HeartbeatWatch.class);

	private final Heartbeat heartbeat;

	private final Duration tick;

	private ProcessorContext<String, AlertEvent> context;

	private KeyValueStore<String, AlertEvent> beats;

	private KeyValueStore<String, AlertEvent> silences;

	private Instant watchedSince;

	public HeartbeatWatch(Heartbeat heartbeat, Duration tick) {
		this.heartbeat = heartbeat;
		this.tick = tick;
	}

	@Override
	public void init(ProcessorContext<String, AlertEvent> context) {
		this.context = context;
		this.beats = context.getStateStore(BEATS);
		this.silences = context.getStateStore(SILENCES);
		this.watchedSince = Instant.ofEpochMilli(context.currentSystemTimeMs());
		context.schedule(this.tick, PunctuationType.WALL_CLOCK_TIME, (now) -> review(Instant.ofEpochMilli(now)));
	}

	@Override
	public void process(Record<String, AlertEvent> record) {
		AlertEvent beat = record.value();
		if (beat.getStatus() != AlertStatus.FIRING) {
			return;
		}
		String series = beat.getFingerprint();
		AlertEvent last = this.beats.get(series);
		if (last == null || !beat.getReceivedAt().isBefore(last.getReceivedAt())) {
			this.beats.put(series, beat);
		}
		AlertEvent silence = this.silences.get(series);
		if (silence != null) {
			this.silences.delete(series);
			logger.atInfo()
				.setMessage("Heartbeat is back: clearing the alerting pipeline's silence")
				.addKeyValue("heartbeat", this.heartbeat.alertname())
				.addKeyValue("fingerprint", series)
				.addKeyValue("silentSince", silence.getStartsAt())
				.log();
			forward(DeadMansSwitch.cleared(silence, beat.getReceivedAt()));
		}
	}

	private void review(Instant now) {
		List<KeyValue<String, AlertEvent>> overdue = new ArrayList<>();
		try (KeyValueIterator<String, AlertEvent> all = this.beats.all()) {
			all.forEachRemaining((entry) -> {
				if (this.silences.get(entry.key) == null) {
					DeadMansSwitch.overdue(this.heartbeat, entry.value, this.watchedSince, now)
						.ifPresent((silence) -> overdue.add(KeyValue.pair(entry.key, silence)));
				}
			});
		}
		for (KeyValue<String, AlertEvent> silence : overdue) {
			this.silences.put(silence.key, silence.value);
			logger.atWarn()
				.setMessage("No heartbeat for longer than expected: raising the alerting pipeline's silence")
				.addKeyValue("heartbeat", this.heartbeat.alertname())
				.addKeyValue("fingerprint", silence.key)
				.addKeyValue("silentAfter", this.heartbeat.silentAfter())
				.addKeyValue("lastBeat", this.beats.get(silence.key).getReceivedAt())
				.log();
			forward(silence.value);
		}
	}

	private void forward(AlertEvent alert) {
		this.context.forward(new Record<>(alert.getFingerprint(), alert, alert.getReceivedAt().toEpochMilli()));
	}

}
