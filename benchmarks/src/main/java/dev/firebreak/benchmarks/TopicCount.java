package dev.firebreak.benchmarks;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Prints how many records a topic holds (the sum of its partitions' end offsets). */
public final class TopicCount {

	private TopicCount() {
	}

	public static void main(String[] args) {
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0],
				ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
				new ByteArrayDeserializer())) {
			List<TopicPartition> partitions = consumer.partitionsFor(args[1])
				.stream()
				.map((info) -> new TopicPartition(info.topic(), info.partition()))
				.toList();
			long records = consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
			System.out.println(args[1] + " holds " + records + " records");
		}
	}

}
