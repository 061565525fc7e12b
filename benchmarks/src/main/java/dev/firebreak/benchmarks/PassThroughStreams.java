package dev.firebreak.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

import dev.firebreak.schemas.AvroCodec;
import dev.firebreak.schemas.AvroSerde;
import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.AlertEvent;

/**
 * The least a Kafka Streams application of incident-store's shape costs: reads
 * {@code firebreak.alerts}, decodes each alert, keys it as incident-store's default
 * grouping rule would ({@code cluster} if the alert has it, plus the first of
 * {@code service}, {@code job}, {@code alertname}: the same keys, so the same
 * cardinality), repartitions it by that key and writes it, one record per delivery, to
 * {@link #OUTPUT} — with no state, no incident and no projection. Exactly-once, with
 * incident-store's commit interval and standby replicas.
 * <ul>
 * <li>{@code create <bootstrap> <partitions>}: creates {@link #OUTPUT}, so that a reader
 * can wait on it before the application starts.</li>
 * <li>{@code run <bootstrap> <state dir> <stream threads> <partitions>} (of the
 * repartition topic and the output, as {@code firebreak.topics.partitions} for
 * incident-store): prints each state it enters, {@code RUNNING} among them, and runs
 * until killed.</li>
 * </ul>
 */
public final class PassThroughStreams {

	/** Where each delivery ends up, keyed by its correlation key. */
	static final String OUTPUT = "firebreak.benchmark.pass-through";

	private PassThroughStreams() {
	}

	public static void main(String[] args) throws Exception {
		switch (args[0]) {
			case "create" -> createOutput(args[1], Integer.parseInt(args[2]));
			case "run" -> run(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
			default -> throw new IllegalArgumentException("create or run");
		}
	}

	private static void run(String bootstrap, String stateDir, int threads, int partitions) throws Exception {
		createOutput(bootstrap, partitions);
		AvroCodec<AlertEvent> codec = AvroCodec.of(AlertEvent.class);
		StreamsBuilder builder = new StreamsBuilder();
		builder.stream(Topics.ALERTS.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
			.mapValues(codec::decode)
			.selectKey((fingerprint, alert) -> correlationKey(alert.getLabels()))
			.repartition(Repartitioned.<String, AlertEvent>as("alerts-by-key")
				.withKeySerde(Serdes.String())
				.withValueSerde(AvroSerde.of(AlertEvent.class))
				.withNumberOfPartitions(partitions))
			.to(OUTPUT, Produced.with(Serdes.String(), AvroSerde.of(AlertEvent.class)));
		Properties config = new Properties();
		config.put(StreamsConfig.APPLICATION_ID_CONFIG, "firebreak-benchmark-pass-through");
		config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
		config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
		config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
		// As incident-store's StreamsConfiguration and application.yml have them.
		config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
		config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
		config.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
		config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
		KafkaStreams streams = new KafkaStreams(builder.build(), config);
		streams.setStateListener((now, before) -> {
			System.out.println(now);
			if (now == KafkaStreams.State.ERROR) {
				Runtime.getRuntime().halt(1);
			}
		});
		Runtime.getRuntime().addShutdownHook(new Thread(() -> streams.close(Duration.ofSeconds(10))));
		streams.start();
		Thread.currentThread().join();
	}

	/**
	 * incident-store's default key: cluster if present, then service, job or alertname.
	 */
	static String correlationKey(Map<String, String> labels) {
		StringBuilder key = new StringBuilder();
		String cluster = labels.get("cluster");
		if (cluster != null && !cluster.isEmpty()) {
			key.append("cluster=").append(cluster).append(',');
		}
		for (String anchor : List.of("service", "job", "alertname")) {
			String value = labels.get(anchor);
			if (value != null && !value.isEmpty()) {
				return key.append(anchor).append('=').append(value).toString();
			}
		}
		// incident-store keys such an alert by its whole label set.
		return key.append(new TreeMap<>(labels)).toString();
	}

	private static void createOutput(String bootstrap, int partitions) throws InterruptedException {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
			admin.createTopics(List.of(new NewTopic(OUTPUT, partitions, (short) 1))).all().get();
		}
		catch (ExecutionException ex) {
			if (!(ex.getCause() instanceof TopicExistsException)) {
				throw new IllegalStateException("cannot create " + OUTPUT, ex.getCause());
			}
		}
	}

}
