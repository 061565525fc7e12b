package dev.firebreak.ingest.system;

import java.time.Clock;

import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;

import dev.firebreak.schemas.Topics;

/**
 * The producer writes the catalogue's key and the value {@code AlertPublisher} encoded;
 * its settings come from {@code spring.kafka.producer}.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {

	@Bean
	@SuppressWarnings("unchecked")
	DefaultKafkaProducerFactoryCustomizer alertSerializers() {
		return (factory) -> {
			DefaultKafkaProducerFactory<String, byte[]> alerts = (DefaultKafkaProducerFactory<String, byte[]>) factory;
			alerts.setKeySerializer(Topics.ALERTS.keySerde().serializer());
			alerts.setValueSerializer(new ByteArraySerializer());
		};
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
