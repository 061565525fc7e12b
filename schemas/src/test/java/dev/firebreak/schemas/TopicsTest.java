package dev.firebreak.schemas;

import java.time.Duration;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TopicsTest {

	@Test
	void listsEveryTopicOfTheContract() {
		assertThat(Topics.all()).extracting(Topic::name)
			.containsExactlyInAnyOrder("firebreak.alerts", "firebreak.incident-commands", "firebreak.incidents",
					"firebreak.incident-events", "firebreak.alerts.dlt", "firebreak.incident-commands.dlt",
					"firebreak.incidents.dlt", "firebreak.incident-events.dlt", "firebreak.notifications.dlt");
	}

	@Test
	void createsTopicsWithTheContractsCleanupAndRetention() {
		assertThat(Topics.ALERTS.newTopic((short) 1).configs()).containsEntry("cleanup.policy", "delete")
			.containsEntry("retention.ms", Long.toString(Duration.ofDays(7).toMillis()));
		assertThat(Topics.INCIDENT_EVENTS.newTopic((short) 1).configs()).containsEntry("retention.ms",
				Long.toString(Duration.ofDays(30).toMillis()));
		assertThat(Topics.INCIDENTS.newTopic((short) 1).configs()).containsEntry("cleanup.policy", "compact")
			.doesNotContainKey("retention.ms");
	}

	@Test
	void mirrorsTheIncidentTopicsAsJsonWithTheirCleanupAndPartitions() {
		assertThat(Topics.jsonMirrors()).extracting(Topic::name)
			.containsExactly("firebreak.incidents.json", "firebreak.incident-events.json");
		assertThat(Topics.all()).doesNotContainAnyElementsOf(Topics.jsonMirrors());
		assertThat(Topics.INCIDENTS_JSON.newTopic((short) 1).configs()).containsEntry("cleanup.policy", "compact")
			.doesNotContainKey("retention.ms");
		assertThat(Topics.INCIDENT_EVENTS_JSON.newTopic((short) 1).configs()).containsEntry("cleanup.policy", "delete")
			.containsEntry("retention.ms", Long.toString(Duration.ofDays(30).toMillis()));
		assertThat(Topics.jsonMirrors()).extracting(Topic::partitions).containsOnly(Topics.INCIDENTS.partitions());
	}

	@Test
	void coPartitionsTheIncidentTopics() {
		assertThat(Topics.INCIDENT_COMMANDS.partitions()).isEqualTo(Topics.INCIDENTS.partitions())
			.isEqualTo(Topics.INCIDENT_EVENTS.partitions());
	}

	@Test
	void deadLetterTopicKeepsThePartitionsAndHoldsRawBytesForThirtyDays() {
		Topic<byte[], byte[]> deadLetter = Topics.ALERTS.withPartitions(3).deadLetter();

		assertThat(deadLetter.name()).isEqualTo("firebreak.alerts.dlt");
		assertThat(deadLetter.partitions()).isEqualTo(3);
		assertThat(deadLetter.retention()).isEqualTo(Duration.ofDays(30));
	}

	@Test
	void newTopicCarriesPartitionsAndReplication() {
		NewTopic topic = Topics.INCIDENTS.withPartitions(12).newTopic((short) 3);

		assertThat(topic.numPartitions()).isEqualTo(12);
		assertThat(topic.replicationFactor()).isEqualTo((short) 3);
	}

	@Test
	void refusesADeleteTopicWithoutRetention() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Topic<>("t", org.apache.kafka.common.serialization.Serdes.String(),
					org.apache.kafka.common.serialization.Serdes.String(), Topic.Cleanup.DELETE, null, 1))
			.withMessageContaining("positive retention");
	}

}
