package dev.firebreak.notifier;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.CommandType;
import dev.firebreak.schemas.avro.IncidentCommand;
import dev.firebreak.schemas.avro.NotificationOutcome;
import dev.firebreak.testkit.Eventually;
import dev.firebreak.testkit.KafkaFixture;
import dev.firebreak.testkit.KafkaRecords;

/**
 * What the notifier reported to an incident's timeline: its NOTIFICATION_OUTCOME
 * commands.
 */
final class NotificationOutcomes {

	private NotificationOutcomes() {
	}

	static List<NotificationOutcome> of(KafkaFixture kafka, String incidentId) {
		return KafkaRecords.readAll(kafka, Topics.INCIDENT_COMMANDS, Duration.ofSeconds(10))
			.stream()
			.filter((record) -> incidentId.equals(record.key()))
			.map(ConsumerRecord::value)
			.filter((command) -> command.getType() == CommandType.NOTIFICATION_OUTCOME)
			.map(IncidentCommand::getNotification)
			.toList();
	}

	/** At least {@code count} of them, waiting up to a minute. */
	static List<NotificationOutcome> await(KafkaFixture kafka, String incidentId, int count) {
		return Eventually.within(Duration.ofSeconds(60))
			.until(() -> of(kafka, incidentId), (outcomes) -> outcomes.size() >= count);
	}

}
