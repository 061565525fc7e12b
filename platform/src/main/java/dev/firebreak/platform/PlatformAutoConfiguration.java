package dev.firebreak.platform;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;

import dev.firebreak.schemas.Topics;

/**
 * What every Firebreak service gets by depending on this module: the catalogue's topics
 * created when missing, and a {@code kafka} health contributor for readiness.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@EnableConfigurationProperties(TopicsProperties.class)
public class PlatformAutoConfiguration {

	@Bean
	KafkaAdmin.NewTopics catalogueTopics(TopicsProperties properties) {
		return new KafkaAdmin.NewTopics(Topics.all()
			.stream()
			.map((topic) -> topic.withPartitions(properties.partitions()).newTopic(properties.replication()))
			.toArray(org.apache.kafka.clients.admin.NewTopic[]::new));
	}

	@Bean
	@ConditionalOnMissingBean(name = "kafkaHealthIndicator")
	KafkaReadiness kafkaHealthIndicator(KafkaAdmin kafkaAdmin) {
		return new KafkaReadiness(kafkaAdmin.getConfigurationProperties());
	}

}
