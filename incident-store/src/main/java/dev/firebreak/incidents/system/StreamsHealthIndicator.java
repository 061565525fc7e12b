package dev.firebreak.incidents.system;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * The topology's state as health: up while running or rebalancing, out of service while
 * an active task's state is still being restored from its changelog, down before it
 * starts and once it has stopped or failed, so that readiness withholds traffic (and a
 * rolling deploy waits) and an orchestrator restarts an instance whose stream threads all
 * died.
 */
class StreamsHealthIndicator extends AbstractHealthIndicator {

	private final StreamsBuilderFactoryBean factoryBean;

	private final Restoration restoration;

	StreamsHealthIndicator(StreamsBuilderFactoryBean factoryBean, Restoration restoration) {
		super("Kafka Streams state unknown");
		this.factoryBean = factoryBean;
		this.restoration = restoration;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		KafkaStreams streams = this.factoryBean.getKafkaStreams();
		if (streams == null) {
			builder.down().withDetail("state", "NOT_STARTED");
			return;
		}
		KafkaStreams.State state = streams.state();
		int restoring = this.restoration.partitions();
		builder.status(status(state, restoring));
		builder.withDetail("state", state.name())
			.withDetail("threads", streams.metadataForLocalThreads().size())
			.withDetail("restoringPartitions", restoring)
			.withDetail("recordsToRestore", this.restoration.records())
			.withDetail("recordsRestored", this.restoration.restored());
	}

	/**
	 * Up while running or rebalancing with nothing left to restore, out of service while
	 * a task's state is still being restored, down otherwise.
	 */
	static Status status(KafkaStreams.State state, int restoringPartitions) {
		if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
			return Status.DOWN;
		}
		return (restoringPartitions > 0) ? Status.OUT_OF_SERVICE : Status.UP;
	}

}
