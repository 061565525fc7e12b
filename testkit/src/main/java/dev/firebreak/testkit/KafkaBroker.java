package dev.firebreak.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Kafka broker in this JVM: one KRaft node acting as broker and controller, on
 * loopback ports chosen once, so that it can be stopped and started again at the same
 * address with its data kept (a broker outage in the middle of a test). Set up for
 * transactions and {@code exactly_once_v2} on a single node (STACK.md, pitfall 1).
 */
public final class KafkaBroker implements KafkaFixture, AutoCloseable {

	private static final int NODE_ID = 1;

	private static final String CONTROLLER_LISTENER = "CONTROLLER";

	private final Path dataDirectory;

	private final int brokerPort;

	private final int controllerPort;

	private final Map<String, String> overrides;

	private KafkaRaftServer server;

	private KafkaBroker(Path dataDirectory, int brokerPort, int controllerPort, Map<String, String> overrides) {
		this.dataDirectory = dataDirectory;
		this.brokerPort = brokerPort;
		this.controllerPort = controllerPort;
		this.overrides = Map.copyOf(overrides);
		if (!Files.exists(logDirectory().resolve("meta.properties"))) {
			format();
		}
	}

	/**
	 * A broker on fixed ports whose data lives in {@code dataDirectory} and survives it:
	 * formatted the first time, reopened afterwards. For the local run.
	 */
	public static KafkaBroker open(Path dataDirectory, int brokerPort, int controllerPort) {
		KafkaBroker broker = new KafkaBroker(dataDirectory, brokerPort, controllerPort,
				Map.of("log.flush.interval.messages", "10000"));
		broker.start();
		return broker;
	}

	/** A new broker, formatted and started, with broker settings overridden as given. */
	public static KafkaBroker startNew(Map<String, String> overrides) {
		try {
			KafkaBroker broker = new KafkaBroker(Files.createTempDirectory("firebreak-kafka-"), freePort(), freePort(),
					overrides);
			broker.start();
			return broker;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static KafkaBroker startNew() {
		return startNew(Map.of());
	}

	@Override
	public String bootstrapServers() {
		return "127.0.0.1:" + this.brokerPort;
	}

	/**
	 * Starts the broker, again at the same address with the same data after a
	 * {@link #stop()}.
	 */
	public synchronized void start() {
		if (this.server != null) {
			return;
		}
		KafkaRaftServer starting = new KafkaRaftServer(new KafkaConfig(config(), false), Time.SYSTEM);
		starting.startup();
		this.server = starting;
	}

	/** Stops the broker cleanly, keeping its data; clients see it as unreachable. */
	public synchronized void stop() {
		if (this.server == null) {
			return;
		}
		this.server.shutdown();
		this.server.awaitShutdown();
		this.server = null;
	}

	public synchronized boolean isRunning() {
		return this.server != null;
	}

	/** Stops the broker and deletes its data. */
	@Override
	public void close() {
		stop();
		deleteRecursively(this.dataDirectory);
	}

	private Map<String, String> config() {
		Map<String, String> config = new HashMap<>();
		config.put("process.roles", "broker,controller");
		config.put("node.id", Integer.toString(NODE_ID));
		config.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + this.controllerPort);
		config.put("listeners", "PLAINTEXT://127.0.0.1:" + this.brokerPort + "," + CONTROLLER_LISTENER + "://127.0.0.1:"
				+ this.controllerPort);
		config.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + this.brokerPort);
		config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
		config.put("controller.listener.names", CONTROLLER_LISTENER);
		config.put("inter.broker.listener.name", "PLAINTEXT");
		config.put("log.dirs", logDirectory().toString());
		// One node: every internal topic has one replica, or transactions never
		// initialise.
		config.put("offsets.topic.replication.factor", "1");
		config.put("offsets.topic.num.partitions", "5");
		config.put("transaction.state.log.replication.factor", "1");
		config.put("transaction.state.log.min.isr", "1");
		config.put("transaction.state.log.num.partitions", "5");
		config.put("share.coordinator.state.topic.replication.factor", "1");
		config.put("share.coordinator.state.topic.min.isr", "1");
		config.put("group.initial.rebalance.delay.ms", "0");
		// Services create their topics from the catalogue; a typo must not create one.
		config.put("auto.create.topics.enable", "false");
		config.put("num.partitions", "1");
		config.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
		config.putAll(this.overrides);
		return config;
	}

	private void format() {
		try {
			new Formatter().setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
				.setNodeId(NODE_ID)
				.setClusterId(Uuid.randomUuid().toString())
				.setDirectories(List.of(logDirectory().toString()))
				.setMetadataLogDirectory(logDirectory().toString())
				.setControllerListenerName(CONTROLLER_LISTENER)
				.setReleaseVersion(MetadataVersion.latestProduction())
				.setSupportedFeatures(Feature.PRODUCTION_FEATURES)
				.run();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot format the Kafka log directory " + logDirectory(), ex);
		}
	}

	private Path logDirectory() {
		return this.dataDirectory.resolve("logs");
	}

	/** A port on the loopback address that nothing listens on right now. */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Deletes the directory and all in it; what vanishes meanwhile is fine. */
	static void deleteRecursively(Path directory) {
		if (!Files.exists(directory)) {
			return;
		}
		try {
			Files.walkFileTree(directory, new SimpleFileVisitor<>() {

				@Override
				public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
					Files.deleteIfExists(file);
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult visitFileFailed(Path file, IOException ex) throws IOException {
					if (ex instanceof NoSuchFileException) {
						return FileVisitResult.CONTINUE;
					}
					throw ex;
				}

				@Override
				public FileVisitResult postVisitDirectory(Path dir, IOException ex) throws IOException {
					Files.deleteIfExists(dir);
					return FileVisitResult.CONTINUE;
				}

			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot delete " + directory, ex);
		}
	}

}
