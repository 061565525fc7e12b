package dev.firebreak.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import dev.firebreak.schemas.Topic;

/**
 * Produces and reads records of catalogue topics with their serdes. Reads are
 * {@code read_committed}: a test sees what a downstream consumer would see, never the
 * records of aborted transactions.
 */
public final class KafkaRecords {

	private static final Duration POLL = Duration.ofMillis(100);

	private KafkaRecords() {
	}

	/**
	 * Writes records and waits until the broker has acknowledged all of them
	 * ({@code acks=all}).
	 */
	@SafeVarargs
	@SuppressWarnings("varargs") // List.of copies the array; nothing keeps a reference to
									// it.
	public static <K, V> void produce(KafkaFixture kafka, Topic<K, V> topic, Map.Entry<K, V>... records) {
		produce(kafka, topic, List.of(records));
	}

	/**
	 * Writes records and waits until the broker has acknowledged all of them
	 * ({@code acks=all}).
	 */
	public static <K, V> void produce(KafkaFixture kafka, Topic<K, V> topic, List<Map.Entry<K, V>> records) {
		Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
				ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		try (KafkaProducer<K, V> producer = new KafkaProducer<>(config, topic.keySerde().serializer(),
				topic.valueSerde().serializer())) {
			List<java.util.concurrent.Future<?>> sends = new ArrayList<>();
			for (Map.Entry<K, V> record : records) {
				sends.add(producer.send(new ProducerRecord<>(topic.name(), record.getKey(), record.getValue())));
			}
			for (java.util.concurrent.Future<?> send : sends) {
				send.get();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Cannot produce to " + topic.name(), ex.getCause());
		}
	}

	/**
	 * Reads the topic from the beginning until at least {@code count} records have
	 * arrived, or fails when the timeout passes first.
	 */
	public static <K, V> List<ConsumerRecord<K, V>> consume(KafkaFixture kafka, Topic<K, V> topic, int count,
			Duration timeout) {
		List<ConsumerRecord<K, V>> records = new ArrayList<>();
		long deadline = System.nanoTime() + timeout.toNanos();
		try (KafkaConsumer<K, V> consumer = consumer(kafka, topic)) {
			consumer.subscribe(List.of(topic.name()));
			while (records.size() < count) {
				if (System.nanoTime() > deadline) {
					throw new AssertionError("Expected " + count + " records on " + topic.name() + " within " + timeout
							+ " but got " + records.size());
				}
				consumer.poll(POLL).forEach(records::add);
			}
		}
		return records;
	}

	/**
	 * Reads every committed record the topic holds now: from the beginning up to each
	 * partition's last stable offset. To prove that nothing was lost and nothing
	 * duplicated, compare this with the expected set after the producer has finished.
	 */
	public static <K, V> List<ConsumerRecord<K, V>> readAll(KafkaFixture kafka, Topic<K, V> topic, Duration timeout) {
		List<ConsumerRecord<K, V>> records = new ArrayList<>();
		long deadline = System.nanoTime() + timeout.toNanos();
		try (KafkaConsumer<K, V> consumer = consumer(kafka, topic)) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic.name())
				.stream()
				.map((info) -> new TopicPartition(info.topic(), info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
			while (partitions.stream().anyMatch((partition) -> consumer.position(partition) < end.get(partition))) {
				if (System.nanoTime() > deadline) {
					throw new AssertionError("Could not read " + topic.name() + " to its end within " + timeout);
				}
				consumer.poll(POLL).forEach(records::add);
			}
		}
		return records;
	}

	private static <K, V> KafkaConsumer<K, V> consumer(KafkaFixture kafka, Topic<K, V> topic) {
		Map<String, Object> config = new HashMap<>();
		config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
		config.put(ConsumerConfig.GROUP_ID_CONFIG, "testkit-" + UUID.randomUUID());
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		return new KafkaConsumer<>(config, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
	}

}
