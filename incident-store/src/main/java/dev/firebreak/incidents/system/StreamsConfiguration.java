package dev.firebreak.incidents.system;

import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.annotation.KafkaStreamsDefaultConfiguration;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;
import org.springframework.kafka.core.KafkaAdmin;

import dev.firebreak.incidents.api.MaintenanceWindows;
import dev.firebreak.incidents.correlation.DeadLetterHandler;
import dev.firebreak.incidents.correlation.Grouping;
import dev.firebreak.incidents.correlation.IncidentTopology;
import dev.firebreak.incidents.inhibition.Inhibitions;
import dev.firebreak.platform.TopicsProperties;
import dev.firebreak.schemas.Topics;

/**
 * Runs {@link IncidentTopology} in Spring's Kafka Streams lifecycle. Exactly-once
 * processing and the dead-letter handler are fixed here, not left to configuration: the
 * topology's guarantees depend on them. Everything else comes from
 * {@code spring.kafka.streams.*}.
 */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
class StreamsConfiguration {

	private static final Logger LOGGER = LoggerFactory.getLogger(StreamsConfiguration.class);

	@Bean(KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_CONFIG_BEAN_NAME)
	KafkaStreamsConfiguration kafkaStreamsConfiguration(KafkaProperties kafka) {
		Map<String, Object> properties = kafka.buildStreamsProperties();
		properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
		properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
		return new KafkaStreamsConfiguration(properties);
	}

	@Bean
	IncidentTopology.Settings incidentSettings(IncidentsProperties incidents, TopicsProperties topics) {
		return incidents.settings(topics.partitions());
	}

	@Bean
	IncidentTopology incidentTopology(StreamsBuilder builder, IncidentTopology.Settings settings) {
		IncidentTopology topology = new IncidentTopology(settings);
		topology.build(builder);
		return topology;
	}

	/**
	 * The JSON mirror's topics, created when missing with the catalogue's settings, where
	 * the mirror is enabled; nothing otherwise.
	 */
	@Bean
	KafkaAdmin.NewTopics jsonMirrorTopics(IncidentsProperties incidents, TopicsProperties topics) {
		if (!incidents.jsonMirror().enabled()) {
			return new KafkaAdmin.NewTopics();
		}
		return new KafkaAdmin.NewTopics(Topics.jsonMirrors()
			.stream()
			.map((topic) -> topic.withPartitions(topics.partitions())
				.newTopic(Optional.ofNullable(topics.replicationFactor())))
			.toArray(NewTopic[]::new));
	}

	/** For the API's {@code explain}: the grouping rules as they stand. */
	@Bean
	Grouping grouping(IncidentTopology.Settings settings) {
		return settings.grouping();
	}

	/** For the API's {@code explain}: the inhibition rules as they stand. */
	@Bean
	Inhibitions inhibitions(IncidentTopology.Settings settings) {
		return settings.policy().inhibitions();
	}

	/**
	 * Leaves the group on close, so that a restarted instance gets its tasks back at once
	 * instead of after the session timeout; replaces a stream thread that died of an
	 * unexpected error (records the topology cannot use go to dead-letter topics first);
	 * follows what it restores, for readiness. The global thread (the causes' index)
	 * cannot be replaced: its failure shuts the client down, which readiness reports.
	 */
	@Bean
	Restoration restoration() {
		return new Restoration();
	}

	@Bean
	StreamsBuilderFactoryBeanConfigurer incidentStreamsLifecycle(Restoration restoration) {
		return (factoryBean) -> {
			factoryBean.setLeaveGroupOnClose(true);
			factoryBean.setStateRestoreListener(restoration);
			factoryBean.setStreamsUncaughtExceptionHandler((exception) -> {
				if (Thread.currentThread().getName().endsWith("-GlobalStreamThread")) {
					LOGGER.atError().setCause(exception).log("The global stream thread failed; shutting down");
					return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
				}
				LOGGER.atError().setCause(exception).log("Stream thread failed; replacing it");
				return StreamThreadExceptionResponse.REPLACE_THREAD;
			});
		};
	}

	/** For the API: configured windows, and those the topology holds. */
	@Bean
	MaintenanceWindows maintenanceWindows(IncidentTopology.Settings settings, StreamsBuilderFactoryBean factoryBean) {
		return new MaintenanceWindows(settings.maintenanceWindows(), factoryBean::getKafkaStreams);
	}

	@Bean
	StreamsHealthIndicator streamsHealthIndicator(StreamsBuilderFactoryBean factoryBean, Restoration restoration) {
		return new StreamsHealthIndicator(factoryBean, restoration);
	}

}
