package dev.firebreak.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.firebreak.schemas.Topic;
import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.fixtures.Alerts;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves the kit runs what incident-store will: an {@code exactly_once_v2} Kafka Streams
 * app with a RocksDB store, Avro values in and out, on the shared in-JVM broker.
 */
class ExactlyOnceStreamsRoundTripTest {

	private static final Topic<String, AlertEvent> LATEST = new Topic<>("testkit.latest-alerts", Serdes.String(),
			Topics.ALERTS.valueSerde(), Topic.Cleanup.COMPACT, null, 2);

	private final KafkaFixture kafka = TestInfrastructure.kafka();

	private KafkaStreams streams;

	@TempDir
	Path stateDirectory;

	@AfterEach
	void closeStreams() {
		if (this.streams != null) {
			this.streams.close(Duration.ofSeconds(10));
		}
	}

	@Test
	void roundTripsAvroRecordsThroughARocksDbStoreExactlyOnce() throws Exception {
		KafkaTopics.create(this.kafka, List.of(Topics.ALERTS, LATEST));
		List<AlertEvent> alerts = IntStream.range(0, 50)
			.mapToObj(
					(i) -> Alerts.firing("ServiceDown").label("service", "svc-" + (i % 10)).label("n", "" + i).build())
			.toList();

		this.streams = new KafkaStreams(topology(), properties());
		this.streams.start();
		KafkaRecords.produce(this.kafka, Topics.ALERTS,
				alerts.stream().map((alert) -> Map.entry(alert.getFingerprint(), alert)).toList());

		List<ConsumerRecord<String, AlertEvent>> output = KafkaRecords.consume(this.kafka, LATEST, alerts.size(),
				Duration.ofSeconds(60));

		assertThat(output).extracting(ConsumerRecord::value).containsExactlyInAnyOrderElementsOf(alerts);
		assertThat(KafkaTopics.names(this.kafka)).contains("testkit-roundtrip-latest-alerts-changelog");
		try (var rocksDbFiles = Files.walk(this.stateDirectory)) {
			assertThat(rocksDbFiles.map(Path::toString)).anyMatch((path) -> path.endsWith("rocksdb/latest-alerts"));
		}
	}

	private static org.apache.kafka.streams.Topology topology() {
		StreamsBuilder builder = new StreamsBuilder();
		builder.stream(Topics.ALERTS.name(), Consumed.with(Topics.ALERTS.keySerde(), Topics.ALERTS.valueSerde()))
			.groupByKey(Grouped.as("alerts-by-fingerprint"))
			.reduce((previous, latest) -> latest,
					Materialized.<String, AlertEvent, KeyValueStore<Bytes, byte[]>>as("latest-alerts")
						.withKeySerde(Topics.ALERTS.keySerde())
						.withValueSerde(Topics.ALERTS.valueSerde()))
			.toStream(Named.as("latest-alert-changes"))
			.to(LATEST.name(), Produced.with(LATEST.keySerde(), LATEST.valueSerde()));
		return builder.build();
	}

	private Properties properties() {
		Properties properties = new Properties();
		properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "testkit-roundtrip");
		properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, this.kafka.bootstrapServers());
		properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
		properties.put(StreamsConfig.STATE_DIR_CONFIG, this.stateDirectory.toString());
		properties.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
		properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
		properties.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
		return properties;
	}

}
