package dev.firebreak.incidents.projection;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import dev.firebreak.platform.RawRecords;

/**
 * The projection's Kafka plumbing: raw bytes in and out (decoding is the listener's, so
 * that an undecodable record is dead-lettered rather than retried), committed records
 * only, and a retry of a batch the database fails on for a while that never gives up.
 */
@Configuration(proxyBeanMethods = false)
class ProjectionConfiguration {

	static final String CONTAINER_FACTORY = "projectionContainerFactory";

	@Bean(CONTAINER_FACTORY)
	ConcurrentKafkaListenerContainerFactory<byte[], byte[]> projectionContainerFactory(KafkaProperties kafka,
			ProjectionProperties projection, KafkaTemplate<byte[], byte[]> kafkaTemplate, MeterRegistry meters) {
		// Batches, retried until the database is back: skipping one would leave a gap.
		return RawRecords.listenerFactory(kafka, projection.groupId(), projection.maxPollRecords(),
				projection.maxBackoff(), true, kafkaTemplate, meters);
	}

	/** Raw records: dead letters here, and the API's encoded commands. */
	@Bean
	KafkaTemplate<byte[], byte[]> kafkaTemplate(KafkaProperties kafka) {
		return RawRecords.template(kafka);
	}

}
