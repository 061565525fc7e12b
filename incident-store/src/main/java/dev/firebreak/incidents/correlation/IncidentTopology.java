package dev.firebreak.incidents.correlation;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import dev.firebreak.incidents.heartbeat.Heartbeat;
import dev.firebreak.incidents.heartbeat.HeartbeatWatch;
import dev.firebreak.incidents.incident.IncidentPolicy;
import dev.firebreak.schemas.AvroCodec;
import dev.firebreak.schemas.AvroJson;
import dev.firebreak.schemas.AvroSerde;
import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentCommand;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.IncidentState;
import dev.firebreak.schemas.avro.MaintenanceWindow;
import dev.firebreak.schemas.avro.TrackedAlert;

/**
 * The topology that turns alerts and commands into incidents, the only writer of incident
 * state. Alerts are repartitioned by correlation key and commands by the partition their
 * incident id names, so that one task holds an incident, its alerts and its timers;
 * {@link IncidentProcessor} applies the rules there and emits one event per change to
 * {@code firebreak.incident-events} and the incident's new state to the compacted
 * {@code firebreak.incidents}, and, when its JSON mirror is enabled, both again as JSON
 * to {@code firebreak.incident-events.json} and {@code firebreak.incidents.json}.
 */
public final class IncidentTopology {

	static final String ALERTS_BY_KEY = "alerts-by-correlation-key";

	static final String COMMANDS_BY_INCIDENT = "commands-by-incident";

	static final String INCIDENTS = "incident-store-incidents";

	static final String CORRELATION_KEYS = "incident-store-correlation-keys";

	static final String ALERTS = "incident-store-alerts";

	static final String MEMBERS = "incident-store-members";

	static final String TIMERS = "incident-store-timers";

	static final String APPLIED_COMMANDS = "incident-store-applied-commands";

	static final String MAINTENANCE_WINDOWS = "incident-store-maintenance-windows";

	static final String SEQUENCES = "incident-store-sequences";

	static final String ALERT_KEYS = "incident-store-alert-keys";

	static final String CAUSES = "incident-store-causes";

	static final String HEARTBEATS = "heartbeats";

	/**
	 * What the topology is built with.
	 *
	 * @param grouping how alerts are grouped into incidents
	 * @param policy the incident rules
	 * @param partitions partitions of the repartition topics; incident ids depend on it,
	 * so it must not change once incidents exist
	 * @param reviewTick how often (wall-clock) due timers are looked for
	 * @param commandRetention how long command ids are remembered, to apply each once
	 * @param maintenanceWindows windows from configuration, beside those added by command
	 * @param heartbeat the heartbeat alert the dead man's switch expects
	 * @param jsonMirror whether incidents and events are also written as JSON, to
	 * {@code firebreak.incidents.json} and {@code firebreak.incident-events.json}
	 * @param sweepBatch how many tracked alerts a tick looks at for an incident that is
	 * gone, while a sweep goes round
	 */
	public record Settings(Grouping grouping, IncidentPolicy policy, int partitions, Duration reviewTick,
			Duration commandRetention, List<MaintenanceWindow> maintenanceWindows, Heartbeat heartbeat,
			boolean jsonMirror, int sweepBatch) {

		static final int DEFAULT_SWEEP_BATCH = 1000;

		public Settings {
			maintenanceWindows = List.copyOf(maintenanceWindows);
			if (partitions < 1) {
				throw new IllegalArgumentException("partitions must be at least 1");
			}
			if (sweepBatch < 1) {
				throw new IllegalArgumentException("sweepBatch must be at least 1");
			}
		}

		public Settings(Grouping grouping, IncidentPolicy policy, int partitions, Duration reviewTick,
				Duration commandRetention, List<MaintenanceWindow> maintenanceWindows, Heartbeat heartbeat,
				boolean jsonMirror) {
			this(grouping, policy, partitions, reviewTick, commandRetention, maintenanceWindows, heartbeat, jsonMirror,
					DEFAULT_SWEEP_BATCH);
		}

		public static Settings defaults(int partitions) {
			return new Settings(Grouping.DEFAULT_GROUPING, IncidentPolicy.DEFAULT, partitions, Duration.ofSeconds(5),
					Duration.ofDays(7), List.of(), Heartbeat.DEFAULT, false);
		}

		/** The same settings, with the JSON mirror enabled or not. */
		public Settings withJsonMirror(boolean jsonMirror) {
			return new Settings(this.grouping, this.policy, this.partitions, this.reviewTick, this.commandRetention,
					this.maintenanceWindows, this.heartbeat, jsonMirror, this.sweepBatch);
		}

		/** The same settings, with another sweep batch. */
		Settings withSweepBatch(int sweepBatch) {
			return new Settings(this.grouping, this.policy, this.partitions, this.reviewTick, this.commandRetention,
					this.maintenanceWindows, this.heartbeat, this.jsonMirror, sweepBatch);
		}

	}

	private final Settings settings;

	public IncidentTopology(Settings settings) {
		this.settings = settings;
	}

	/** The production topology, on its own builder. */
	public Topology build() {
		StreamsBuilder builder = new StreamsBuilder();
		build(builder);
		return builder.build();
	}

	/** Adds the topology to a builder (Spring's, in the service). */
	public void build(StreamsBuilder builder) {
		for (StoreBuilder<?> store : stores()) {
			builder.addStateStore(store);
		}
		// Cached: an alert and the repeat of it that follows are one changelog record.
		builder.addStateStore(Stores
			.keyValueStoreBuilder(Stores.persistentKeyValueStore(ALERT_KEYS), Serdes.String(), Serdes.String())
			.withCachingEnabled());
		if (!this.settings.policy().inhibitions().rules().isEmpty()) {
			// Causes are looked up across partitions: every instance indexes them all.
			builder.addGlobalStore(
					Stores
						.keyValueStoreBuilder(Stores.persistentKeyValueStore(CAUSES), Serdes.String(),
								AvroSerde.of(Incident.class))
						.withLoggingDisabled(),
					Topics.INCIDENTS.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("causes"),
					() -> new CauseIndex(this.settings.policy().inhibitions()));
		}
		Heartbeat heartbeat = this.settings.heartbeat();
		KStream<String, AlertEvent> decoded = builder
			.stream(Topics.ALERTS.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("alerts"))
			.mapValues(AvroCodec.of(AlertEvent.class)::decode, Named.as("decode-alert"));
		// The heartbeat is never an incident, watched or not.
		KStream<String, Input> alerts = decoded
			.filterNot((key, alert) -> heartbeat.isHeartbeat(alert), Named.as("not-heartbeats"))
			.process(() -> new KeyAssigner(this.settings.grouping()), Named.as("correlation-key"), ALERT_KEYS)
			.repartition(Repartitioned.<String, AlertEvent>as(ALERTS_BY_KEY)
				.withKeySerde(Serdes.String())
				.withValueSerde(AvroSerde.of(AlertEvent.class))
				.withNumberOfPartitions(this.settings.partitions()))
			.mapValues(Input::alert, Named.as("alert-input"));
		KStream<String, Input> commands = builder
			.stream(Topics.INCIDENT_COMMANDS.name(),
					Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("commands"))
			.mapValues(AvroCodec.of(IncidentCommand.class)::decode, Named.as("decode-command"))
			// Keyed by what the command says, not by what its producer keyed it by: a
			// repartition drops records without a key.
			.selectKey((key, command) -> command.getIncidentId(), Named.as("command-incident-id"))
			.repartition(Repartitioned.<String, IncidentCommand>as(COMMANDS_BY_INCIDENT)
				.withKeySerde(Serdes.String())
				.withValueSerde(AvroSerde.of(IncidentCommand.class))
				.withNumberOfPartitions(this.settings.partitions())
				.withStreamPartitioner(new CommandPartitioner()))
			.mapValues(Input::command, Named.as("command-input"));
		KStream<String, Emitted> emitted = alerts.merge(commands, Named.as("inputs"))
			.process(() -> new IncidentProcessor(this.settings), Named.as("incidents"), INCIDENTS, CORRELATION_KEYS,
					ALERTS, MEMBERS, TIMERS, APPLIED_COMMANDS, MAINTENANCE_WINDOWS, SEQUENCES);
		KStream<String, IncidentEvent> events = emitted.mapValues(Emitted::event, Named.as("events"));
		events.to(Topics.INCIDENT_EVENTS.name(),
				Produced.with(Serdes.String(), AvroSerde.of(IncidentEvent.class)).withName("incident-events"));
		// One record per change, not per event: its last event's incident.
		KStream<String, Incident> incidents = emitted.filter((id, change) -> change.last(), Named.as("last-of-change"))
			.mapValues((change) -> change.event().getIncident(), Named.as("incident-state"));
		incidents.to(Topics.INCIDENTS.name(),
				Produced.with(Serdes.String(), Topics.INCIDENTS.valueSerde()).withName("incidents-out"));
		if (this.settings.jsonMirror()) {
			// Sinks only, after the Avro ones: the same records in the same transaction,
			// keyed and partitioned alike, and no sub-topology renumbered.
			events.to(Topics.INCIDENT_EVENTS_JSON.name(),
					Produced.with(Serdes.String(), AvroJson.<IncidentEvent>serde()).withName("incident-events-json"));
			incidents.to(Topics.INCIDENTS_JSON.name(),
					Produced.with(Serdes.String(), AvroJson.<Incident>serde()).withName("incidents-json-out"));
		}
		// Last, so that the sub-topologies before it keep their numbers (and tasks their
		// state).
		if (heartbeat.watch()) {
			watch(builder, decoded.filter((key, alert) -> heartbeat.isHeartbeat(alert), Named.as("heartbeats")));
		}
	}

	/**
	 * The dead man's switch: every heartbeat to one partition, where
	 * {@link HeartbeatWatch} watches them; the silences it raises and clears go to the
	 * alerts topic, keyed by fingerprint like any alert, in the same transaction.
	 */
	private void watch(StreamsBuilder builder, KStream<String, AlertEvent> heartbeats) {
		builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HeartbeatWatch.BEATS),
				Serdes.String(), AvroSerde.of(AlertEvent.class)));
		builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HeartbeatWatch.SILENCES),
				Serdes.String(), AvroSerde.of(AlertEvent.class)));
		Heartbeat heartbeat = this.settings.heartbeat();
		heartbeats.selectKey((key, alert) -> heartbeat.alertname(), Named.as("heartbeat-key"))
			.repartition(Repartitioned.<String, AlertEvent>as(HEARTBEATS)
				.withKeySerde(Serdes.String())
				.withValueSerde(AvroSerde.of(AlertEvent.class))
				.withNumberOfPartitions(1))
			.process(() -> new HeartbeatWatch(heartbeat, this.settings.reviewTick()), Named.as("dead-mans-switch"),
					HeartbeatWatch.BEATS, HeartbeatWatch.SILENCES)
			.to(Topics.ALERTS.name(),
					Produced.with(Serdes.String(), AvroSerde.of(AlertEvent.class)).withName("pipeline-silences"));
	}

	/**
	 * The maintenance windows added by command, as this instance's tasks hold them (every
	 * task has every window).
	 * @throws org.apache.kafka.streams.errors.InvalidStateStoreException while no task of
	 * this instance is running
	 */
	public static List<MaintenanceWindow> addedWindows(KafkaStreams streams) {
		ReadOnlyKeyValueStore<String, IncidentCommand> store = streams.store(StoreQueryParameters
			.fromNameAndType(MAINTENANCE_WINDOWS, QueryableStoreTypes.<String, IncidentCommand>keyValueStore()));
		// Every local task has a copy: one each, by id.
		Map<String, MaintenanceWindow> windows = new TreeMap<>();
		try (KeyValueIterator<String, IncidentCommand> all = store.all()) {
			all.forEachRemaining((entry) -> windows.put(entry.key, entry.value.getMaintenanceWindow()));
		}
		return List.copyOf(windows.values());
	}

	private List<StoreBuilder<?>> stores() {
		return List.of(
				// Cached: a busy incident is written many times between commits.
				Stores
					.keyValueStoreBuilder(Stores.persistentKeyValueStore(INCIDENTS), Serdes.String(),
							AvroSerde.of(IncidentState.class))
					.withCachingEnabled(),
				Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CORRELATION_KEYS), Serdes.String(),
						Serdes.String()),
				Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ALERTS), Serdes.String(),
						AvroSerde.of(TrackedAlert.class)),
				Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MEMBERS), Serdes.String(),
						Serdes.ByteArray()),
				Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TIMERS), Serdes.String(), Serdes.String())
					.withCachingEnabled(),
				Stores.windowStoreBuilder(Stores.persistentWindowStore(APPLIED_COMMANDS,
						this.settings.commandRetention(), this.settings.commandRetention(), false), Serdes.String(),
						Serdes.Long()),
				Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MAINTENANCE_WINDOWS), Serdes.String(),
						AvroSerde.of(IncidentCommand.class)),
				Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SEQUENCES), Serdes.String(), Serdes.Long()));
	}

}
