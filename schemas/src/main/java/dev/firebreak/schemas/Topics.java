package dev.firebreak.schemas;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import dev.firebreak.schemas.Topic.Cleanup;
import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentCommand;
import dev.firebreak.schemas.avro.IncidentEvent;

/**
 * The topic catalogue of ARCHITECTURE.md. Keys are UTF-8 strings (an alert fingerprint or
 * an incident id); values are Avro single-object encoded, but for the JSON mirrors. The
 * three incident topics share their partition count, so that one incident's command,
 * state and events are co-partitioned.
 */
public final class Topics {

	/** Default partitions of every topic: room for six instances of a service. */
	public static final int DEFAULT_PARTITIONS = 6;

	static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(30);

	/**
	 * Every alert delivery, keyed by fingerprint. Written by alert-ingest, and by
	 * incident-store for the alert of its dead man's switch.
	 */
	public static final Topic<String, AlertEvent> ALERTS = topic("firebreak.alerts", AlertEvent.class, Cleanup.DELETE,
			Duration.ofDays(7));

	/**
	 * Requests to change an incident, keyed by incident id. Read only by incident-store.
	 */
	public static final Topic<String, IncidentCommand> INCIDENT_COMMANDS = topic("firebreak.incident-commands",
			IncidentCommand.class, Cleanup.DELETE, Duration.ofDays(7));

	/**
	 * The latest state of every incident, keyed by incident id. Written only by
	 * incident-store.
	 */
	public static final Topic<String, Incident> INCIDENTS = topic("firebreak.incidents", Incident.class,
			Cleanup.COMPACT, null);

	/**
	 * One event per incident change, keyed by incident id. Written only by
	 * incident-store.
	 */
	public static final Topic<String, IncidentEvent> INCIDENT_EVENTS = topic("firebreak.incident-events",
			IncidentEvent.class, Cleanup.DELETE, Duration.ofDays(30));

	/**
	 * {@link #INCIDENTS} as plain JSON ({@link AvroJson}, {@code schemas/json/}), same
	 * keys and partitions, written by incident-store in the same transaction when its
	 * JSON mirror is enabled. For readers without Avro.
	 */
	public static final Topic<String, String> INCIDENTS_JSON = new Topic<>("firebreak.incidents.json", Serdes.String(),
			Serdes.String(), Cleanup.COMPACT, null, DEFAULT_PARTITIONS);

	/**
	 * {@link #INCIDENT_EVENTS} as plain JSON ({@link AvroJson}, {@code schemas/json/}),
	 * same keys and partitions, written by incident-store in the same transaction when
	 * its JSON mirror is enabled. For readers without Avro.
	 */
	public static final Topic<String, String> INCIDENT_EVENTS_JSON = new Topic<>("firebreak.incident-events.json",
			Serdes.String(), Serdes.String(), Cleanup.DELETE, Duration.ofDays(30), DEFAULT_PARTITIONS);

	/**
	 * Notifications that could not be delivered for good, keyed by incident id: the
	 * message and its last error, secrets removed. Written by notifier, read by
	 * operators.
	 */
	public static final Topic<String, byte[]> NOTIFICATIONS_DEAD_LETTER = new Topic<>("firebreak.notifications.dlt",
			Serdes.String(), Serdes.ByteArray(), Cleanup.DELETE, DEAD_LETTER_RETENTION, DEFAULT_PARTITIONS);

	private Topics() {
	}

	/** The four record topics, in the order data flows through them. */
	public static List<Topic<String, ?>> records() {
		return List.of(ALERTS, INCIDENT_COMMANDS, INCIDENTS, INCIDENT_EVENTS);
	}

	/**
	 * The JSON mirrors of the incident topics. Not among {@link #all()}: they exist only
	 * where incident-store's JSON mirror is enabled, and it creates them.
	 */
	public static List<Topic<String, String>> jsonMirrors() {
		return List.of(INCIDENTS_JSON, INCIDENT_EVENTS_JSON);
	}

	/**
	 * Every topic of the catalogue but the JSON mirrors: the record topics, their
	 * dead-letter topics, and notifications.dlt.
	 */
	public static List<Topic<?, ?>> all() {
		return Stream
			.of(records().stream(), records().stream().map(Topic::deadLetter), Stream.of(NOTIFICATIONS_DEAD_LETTER))
			.flatMap((topics) -> topics.<Topic<?, ?>>map((topic) -> topic))
			.toList();
	}

	private static <V extends org.apache.avro.specific.SpecificRecord> Topic<String, V> topic(String name,
			Class<V> type, Cleanup cleanup, Duration retention) {
		Serde<V> values = AvroSerde.of(type);
		return new Topic<>(name, Serdes.String(), values, cleanup, retention, DEFAULT_PARTITIONS);
	}

}
