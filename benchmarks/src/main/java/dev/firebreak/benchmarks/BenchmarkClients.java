package dev.firebreak.benchmarks;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.firebreak.schemas.AlertFingerprint;
import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.avro.AlertSource;
import dev.firebreak.schemas.avro.AlertSourceKind;
import dev.firebreak.schemas.avro.AlertStatus;

/** What the incident-store benchmarks share: their alerts, clients and percentiles. */
final class BenchmarkClients {

	private BenchmarkClients() {
	}

	/**
	 * A firing alert with these labels, as alert-ingest would publish it at {@code at}.
	 */
	static AlertEvent alert(Map<String, String> labels, long at) {
		return AlertEvent.newBuilder()
			.setFingerprint(AlertFingerprint.of(labels))
			.setStatus(AlertStatus.FIRING)
			.setLabels(labels)
			.setAnnotations(Map.of("summary", "p99 above 500ms"))
			.setStartsAt(Instant.ofEpochMilli(at))
			.setSource(AlertSource.newBuilder().setKind(AlertSourceKind.ALERTMANAGER_WEBHOOK).build())
			.setReceivedAt(Instant.ofEpochMilli(at))
			.build();
	}

	static KafkaProducer<String, AlertEvent> alertProducer(String bootstrap) {
		return new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
						ProducerConfig.LINGER_MS_CONFIG, 1),
				Topics.ALERTS.keySerde().serializer(), Topics.ALERTS.valueSerde().serializer());
	}

	/**
	 * A consumer of {@code firebreak.incident-events} that reads only committed events,
	 * in a group of its own.
	 */
	static <V> KafkaConsumer<String, V> eventConsumer(String bootstrap, String offsetReset,
			Deserializer<V> deserializer) {
		KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
				bootstrap, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.GROUP_ID_CONFIG,
				"bench-" + System.nanoTime(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset,
				ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), deserializer);
		consumer.subscribe(List.of(Topics.INCIDENT_EVENTS.name()));
		return consumer;
	}

	/** The nearest-rank percentile of sorted values; -1 if there are none. */
	static long percentile(long[] sorted, int p) {
		if (sorted.length == 0) {
			return -1;
		}
		return sorted[percentileIndex(sorted.length, p)];
	}

	static int percentileIndex(int length, int p) {
		return (int) Math.min(length - 1, Math.ceil(p / 100.0 * length) - 1);
	}

}
