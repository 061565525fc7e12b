package dev.firebreak.notifier.delivery;

import java.time.Instant;

import dev.firebreak.schemas.avro.Actor;
import dev.firebreak.schemas.avro.ActorKind;
import dev.firebreak.schemas.avro.Channel;
import dev.firebreak.schemas.avro.CommandType;
import dev.firebreak.schemas.avro.IncidentCommand;
import dev.firebreak.schemas.avro.NotificationOutcome;
import dev.firebreak.schemas.avro.NotificationStatus;

/**
 * The {@code NOTIFICATION_OUTCOME} command that puts a send, a suppression or a failure
 * in the incident's timeline. Its id is the delivery's (incident, sequence, channel) and
 * status, so publishing it twice changes the incident once.
 */
final class Outcomes {

	private static final Actor NOTIFIER = Actor.newBuilder().setKind(ActorKind.NOTIFIER).setName("notifier").build();

	private Outcomes() {
	}

	static IncidentCommand of(String incidentId, long sequence, Channel channel, NotificationStatus status,
			String target, String reason, String messageId, int attempts, Instant now) {
		return IncidentCommand.newBuilder()
			.setCommandId("notification:" + incidentId + ":" + sequence + ":" + channel + ":" + status)
			.setIncidentId(incidentId)
			.setType(CommandType.NOTIFICATION_OUTCOME)
			.setActor(NOTIFIER)
			.setIssuedAt(now)
			.setNotification(NotificationOutcome.newBuilder()
				.setChannel(channel)
				.setStatus(status)
				.setEventSequence(sequence)
				.setTarget(target)
				.setReason(reason)
				.setMessageId(messageId)
				.setAttempts(Math.max(1, attempts))
				.build())
			.build();
	}

}
