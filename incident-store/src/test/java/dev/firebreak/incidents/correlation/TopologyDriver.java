package dev.firebreak.incidents.correlation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.test.TestRecord;

import dev.firebreak.schemas.AvroSerde;
import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentCommand;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.fixtures.Alerts;

/**
 * The production topology on a {@link TopologyTestDriver}, with record time and wall
 * clock both starting at {@link Alerts#T0} and moved by the test.
 */
public final class TopologyDriver implements AutoCloseable {

	private final TopologyTestDriver driver;

	private final Path stateDir;

	private final TestInputTopic<String, AlertEvent> alerts;

	private final TestInputTopic<String, IncidentCommand> commands;

	private final TestInputTopic<byte[], byte[]> rawAlerts;

	private final TestInputTopic<byte[], byte[]> rawCommands;

	private final TestOutputTopic<String, IncidentEvent> events;

	private final TestOutputTopic<String, Incident> incidents;

	private final TestOutputTopic<byte[], byte[]> alertsDeadLetter;

	private final TestOutputTopic<byte[], byte[]> commandsDeadLetter;

	private final Map<String, Incident> latestIncidents = new TreeMap<>();

	private Instant wallClock = Alerts.T0;

	TopologyDriver(IncidentTopology.Settings settings) {
		try {
			this.stateDir = Files.createTempDirectory("incident-topology");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Properties config = new Properties();
		config.put(StreamsConfig.APPLICATION_ID_CONFIG, "firebreak-incident-store");
		config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
		config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
		config.put(StreamsConfig.STATE_DIR_CONFIG, this.stateDir.toString());
		config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
		this.driver = new TopologyTestDriver(new IncidentTopology(settings).build(), config, Alerts.T0);
		this.alerts = this.driver.createInputTopic(Topics.ALERTS.name(), new StringSerializer(),
				AvroSerde.of(AlertEvent.class).serializer());
		this.commands = this.driver.createInputTopic(Topics.INCIDENT_COMMANDS.name(), new StringSerializer(),
				AvroSerde.of(IncidentCommand.class).serializer());
		this.rawAlerts = this.driver.createInputTopic(Topics.ALERTS.name(), new ByteArraySerializer(),
				new ByteArraySerializer());
		this.rawCommands = this.driver.createInputTopic(Topics.INCIDENT_COMMANDS.name(), new ByteArraySerializer(),
				new ByteArraySerializer());
		this.events = this.driver.createOutputTopic(Topics.INCIDENT_EVENTS.name(), new StringDeserializer(),
				AvroSerde.of(IncidentEvent.class).deserializer());
		this.incidents = this.driver.createOutputTopic(Topics.INCIDENTS.name(), new StringDeserializer(),
				AvroSerde.of(Incident.class).deserializer());
		this.alertsDeadLetter = this.driver.createOutputTopic(Topics.ALERTS.deadLetter().name(),
				new ByteArrayDeserializer(), new ByteArrayDeserializer());
		this.commandsDeadLetter = this.driver.createOutputTopic(Topics.INCIDENT_COMMANDS.deadLetter().name(),
				new ByteArrayDeserializer(), new ByteArrayDeserializer());
	}

	public static TopologyDriver withDefaults() {
		return new TopologyDriver(IncidentTopology.Settings.defaults(6));
	}

	/** Sends an alert, stamped with the time it was received. */
	public TopologyDriver send(AlertEvent alert) {
		this.alerts.pipeInput(alert.getFingerprint(), alert, alert.getReceivedAt());
		return this;
	}

	public TopologyDriver send(Alerts... alerts) {
		for (Alerts alert : alerts) {
			send(alert.build());
		}
		return this;
	}

	public TopologyDriver send(IncidentCommand command) {
		this.commands.pipeInput(command.getIncidentId(), command, command.getIssuedAt());
		return this;
	}

	void sendRawAlert(byte[] key, byte[] value) {
		this.rawAlerts.pipeInput(key, value, this.wallClock);
	}

	void sendRawCommand(byte[] key, byte[] value) {
		this.rawCommands.pipeInput(key, value, this.wallClock);
	}

	/** Moves the wall clock, firing the punctuations that fall due. */
	public TopologyDriver advanceWallClock(Duration duration) {
		this.wallClock = this.wallClock.plus(duration);
		this.driver.advanceWallClockTime(duration);
		return this;
	}

	/** Moves the wall clock to an instant, in steps of the review tick. */
	TopologyDriver wallClockAt(Instant at) {
		while (this.wallClock.isBefore(at)) {
			Duration step = Duration.between(this.wallClock, at);
			advanceWallClock(step.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : step);
		}
		return this;
	}

	/** The events emitted since the last call. */
	public List<IncidentEvent> events() {
		return this.events.readValuesToList();
	}

	/**
	 * The latest state per incident, of all published so far (as compaction keeps it).
	 */
	public List<Incident> incidents() {
		this.latestIncidents.putAll(this.incidents.readKeyValuesToMap());
		return new ArrayList<>(this.latestIncidents.values());
	}

	/** The records written to {@code firebreak.incidents} since the last call. */
	List<Incident> incidentRecords() {
		List<TestRecord<String, Incident>> records = this.incidents.readRecordsToList();
		records.forEach((record) -> this.latestIncidents.put(record.key(), record.value()));
		return records.stream().map(TestRecord::value).toList();
	}

	/** The latest state of one incident. */
	public Incident incident(String id) {
		return incidents().stream()
			.filter((incident) -> incident.getId().equals(id))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no incident " + id));
	}

	/**
	 * The records written to a topic of UTF-8 keys and values (a JSON mirror) since the
	 * last call.
	 */
	List<TestRecord<String, String>> texts(String topic) {
		return this.driver.createOutputTopic(topic, new StringDeserializer(), new StringDeserializer())
			.readRecordsToList();
	}

	/** The keys a key-value store of the topology holds, in order. */
	List<String> storeKeys(String store) {
		List<String> keys = new ArrayList<>();
		try (KeyValueIterator<String, Object> all = this.driver.<String, Object>getKeyValueStore(store).all()) {
			all.forEachRemaining((entry) -> keys.add(entry.key));
		}
		return keys;
	}

	/** The topics the topology has written to. */
	Set<String> producedTopicNames() {
		return this.driver.producedTopicNames();
	}

	List<TestRecord<byte[], byte[]>> alertsDeadLetters() {
		return this.alertsDeadLetter.readRecordsToList();
	}

	List<TestRecord<byte[], byte[]>> commandsDeadLetters() {
		return this.commandsDeadLetter.readRecordsToList();
	}

	@Override
	public void close() {
		this.driver.close();
		try (Stream<Path> files = Files.walk(this.stateDir)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// Only a temporary directory left behind.
		}
	}

}
