package dev.firebreak.incidents.system;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * The topology's state as health: up while running or rebalancing, down before it starts
 * and once it has stopped or failed, so that readiness withholds traffic and an
 * orchestrator restarts an instance whose stream threads all died.
 */
class StreamsHealthIndicator extends AbstractHealthIndicator {

	private final StreamsBuilderFactoryBean factoryBean;

	StreamsHealthIndicator(StreamsBuilderFactoryBean factoryBean) {
		super("Kafka Streams state unknown");
		this.factoryBean = factoryBean;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		KafkaStreams streams = this.factoryBean.getKafkaStreams();
		if (streams == null) {
			builder.down().withDetail("state", "NOT_STARTED");
			return;
		}
		KafkaStreams.State state = streams.state();
		boolean up = state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
		(up ? builder.up() : builder.down()).withDetail("state", state.name())
			.withDetail("threads", streams.metadataForLocalThreads().size());
	}

}
