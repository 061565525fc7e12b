package dev.firebreak.incidents.heartbeat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.firebreak.incidents.escalation.Words;
import dev.firebreak.schemas.AlertFingerprint;
import dev.firebreak.schemas.SelfAlerts;
import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.avro.AlertSource;
import dev.firebreak.schemas.avro.AlertSourceKind;
import dev.firebreak.schemas.avro.AlertStatus;

/**
 * When a heartbeat is overdue, and the alert that says so. Pure: {@link HeartbeatWatch}
 * keeps the last beat of each heartbeat series and the silences it raised.
 */
public final class DeadMansSwitch {

	private DeadMansSwitch() {
	}

	/**
	 * The silence to raise for a heartbeat series whose last beat is {@code lastBeat}, if
	 * it is overdue at {@code now}. Silence is counted from the last beat or from when
	 * the watch started, whichever is later, so that a restart first reads the beats that
	 * arrived meanwhile.
	 */
	public static Optional<AlertEvent> overdue(Heartbeat heartbeat, AlertEvent lastBeat, Instant watchedSince,
			Instant now) {
		Instant from = lastBeat.getReceivedAt().isAfter(watchedSince) ? lastBeat.getReceivedAt() : watchedSince;
		if (Duration.between(from, now).compareTo(heartbeat.silentAfter()) < 0) {
			return Optional.empty();
		}
		return Optional.of(silence(heartbeat, lastBeat, now));
	}

	/** The silence resolved: its heartbeat arrived again at {@code at}. */
	public static AlertEvent cleared(AlertEvent silence, Instant at) {
		return AlertEvent.newBuilder(silence)
			.setStatus(AlertStatus.RESOLVED)
			.setEndsAt(at)
			.setReceivedAt(at)
			.setAnnotations(Map.of("summary", "Alerting pipeline heartbeat is back", "description",
					silence.getAnnotations().getOrDefault("description", "")))
			.build();
	}

	/**
	 * The heartbeat's identity (its labels but alertname and severity), named
	 * {@code AlertingPipelineSilent}, critical, SEV1 by the priority label, and marked as
	 * Firebreak's own alert.
	 */
	static AlertEvent silence(Heartbeat heartbeat, AlertEvent lastBeat, Instant now) {
		Map<String, String> labels = new TreeMap<>(lastBeat.getLabels());
		labels.put("alertname", SelfAlerts.PIPELINE_SILENT);
		labels.put("severity", "critical");
		if (heartbeat.priorityLabel() != null) {
			labels.put(heartbeat.priorityLabel(), "SEV1");
		}
		labels.put(SelfAlerts.LABEL, SelfAlerts.SELF);
		labels.put(SelfAlerts.HEARTBEAT_LABEL, heartbeat.alertname());
		String description = "Firebreak has not received the " + heartbeat.alertname() + " heartbeat"
				+ identity(lastBeat.getLabels()) + " since " + lastBeat.getReceivedAt() + " (expected at least every "
				+ Words.of(heartbeat.silentAfter()) + "). Alerts may not be reaching Firebreak: check that Prometheus "
				+ "evaluates its rules, that Alertmanager is up and its webhook to alert-ingest succeeds, "
				+ "and alert-ingest's health.";
		return AlertEvent.newBuilder()
			.setFingerprint(AlertFingerprint.of(labels))
			.setStatus(AlertStatus.FIRING)
			.setLabels(labels)
			.setAnnotations(Map.of("summary",
					"alerting pipeline silent, no " + heartbeat.alertname() + " heartbeat for "
							+ Words.of(heartbeat.silentAfter()),
					"description", description))
			.setStartsAt(now)
			.setEndsAt(null)
			.setGeneratorURL(lastBeat.getGeneratorURL())
			.setSource(AlertSource.newBuilder().setKind(AlertSourceKind.DEAD_MANS_SWITCH).build())
			.setReceivedAt(now)
			.build();
	}

	private static String identity(Map<String, String> labels) {
		Map<String, String> identity = new TreeMap<>(labels);
		identity.remove("alertname");
		identity.remove("severity");
		return identity.isEmpty() ? "" : " " + identity;
	}

}
