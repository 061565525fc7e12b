package dev.firebreak.incidents.system;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

class StreamsHealthIndicatorTest {

	private static final TopicPartition CHANGELOG = new TopicPartition("firebreak-incident-store-incidents-changelog",
			3);

	@Test
	void readyOnlyWhenRunningWithNothingLeftToRestore() {
		assertThat(StreamsHealthIndicator.status(State.RUNNING, 0)).isEqualTo(Status.UP);
		assertThat(StreamsHealthIndicator.status(State.REBALANCING, 0)).isEqualTo(Status.UP);
		assertThat(StreamsHealthIndicator.status(State.RUNNING, 2)).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(StreamsHealthIndicator.status(State.REBALANCING, 1)).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(StreamsHealthIndicator.status(State.CREATED, 0)).isEqualTo(Status.DOWN);
		assertThat(StreamsHealthIndicator.status(State.ERROR, 3)).isEqualTo(Status.DOWN);
		assertThat(StreamsHealthIndicator.status(State.PENDING_SHUTDOWN, 0)).isEqualTo(Status.DOWN);
	}

	@Test
	void restorationFollowsEachStoresChangelogUntilItEndsOrMovesAway() {
		Restoration restoration = new Restoration();
		restoration.onRestoreStart(CHANGELOG, "incidents", 100, 1100);
		restoration.onRestoreStart(CHANGELOG, "timers", 0, 50);
		assertThat(restoration.partitions()).isEqualTo(2);
		assertThat(restoration.records()).isEqualTo(1050);

		restoration.onBatchRestored(CHANGELOG, "incidents", 600, 500);
		assertThat(restoration.records()).isEqualTo(550);
		restoration.onRestoreEnd(CHANGELOG, "incidents", 1000);
		assertThat(restoration.partitions()).isEqualTo(1);
		restoration.onRestoreSuspended(CHANGELOG, "timers", 0);

		assertThat(restoration.partitions()).isZero();
		assertThat(restoration.records()).isZero();
		assertThat(restoration.restored()).as("since the start").isEqualTo(500);
	}

}
