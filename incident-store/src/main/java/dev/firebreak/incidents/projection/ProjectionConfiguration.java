package dev.firebreak.incidents.projection;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The projection's Kafka plumbing: raw bytes in and out (decoding is the listener's, so
 * that an undecodable record is dead-lettered rather than retried), committed records
 * only, and a retry of a failed batch that never gives up.
 */
@Configuration(proxyBeanMethods = false)
class ProjectionConfiguration {

	static final String CONTAINER_FACTORY = "projectionContainerFactory";

	@Bean(CONTAINER_FACTORY)
	ConcurrentKafkaListenerContainerFactory<byte[], byte[]> projectionContainerFactory(KafkaProperties kafka,
			ProjectionProperties projection) {
		Map<String, Object> consumer = new HashMap<>(kafka.buildConsumerProperties());
		consumer.put(ConsumerConfig.GROUP_ID_CONFIG, projection.groupId());
		consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, projection.maxPollRecords());
		ConcurrentKafkaListenerContainerFactory<byte[], byte[]> factory = new ConcurrentKafkaListenerContainerFactory<>();
		factory.setConsumerFactory(
				new DefaultKafkaConsumerFactory<>(consumer, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
		factory.setBatchListener(true);
		ExponentialBackOff backOff = new ExponentialBackOff(200, 2);
		backOff.setMaxInterval(projection.maxBackoff().toMillis());
		// Until the database is back: skipping a batch would leave a gap for good.
		backOff.setMaxElapsedTime(Long.MAX_VALUE);
		factory.setCommonErrorHandler(new DefaultErrorHandler(backOff));
		return factory;
	}

	/** Raw records: dead letters here, and the API's encoded commands. */
	@Bean
	KafkaTemplate<byte[], byte[]> kafkaTemplate(KafkaProperties kafka) {
		Map<String, Object> producer = new HashMap<>(kafka.buildProducerProperties());
		producer.put(ProducerConfig.ACKS_CONFIG, "all");
		producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		return new KafkaTemplate<>(
				new DefaultKafkaProducerFactory<>(producer, new ByteArraySerializer(), new ByteArraySerializer()));
	}

}
