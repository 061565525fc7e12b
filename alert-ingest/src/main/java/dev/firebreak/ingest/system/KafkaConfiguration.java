package dev.firebreak.ingest.system;

import java.time.Clock;

import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;

import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.AlertEvent;

/**
 * The producer writes with the catalogue's serdes; its settings come from
 * {@code spring.kafka.producer}.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {

	@Bean
	@SuppressWarnings("unchecked")
	DefaultKafkaProducerFactoryCustomizer alertSerializers() {
		return (factory) -> {
			DefaultKafkaProducerFactory<String, AlertEvent> alerts = (DefaultKafkaProducerFactory<String, AlertEvent>) factory;
			alerts.setKeySerializer(Topics.ALERTS.keySerde().serializer());
			alerts.setValueSerializer(Topics.ALERTS.valueSerde().serializer());
		};
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
