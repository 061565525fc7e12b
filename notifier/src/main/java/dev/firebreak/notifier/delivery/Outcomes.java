package dev.firebreak.notifier.delivery;

import java.time.Instant;

import dev.firebreak.schemas.avro.Actor;
import dev.firebreak.schemas.avro.ActorKind;
import dev.firebreak.schemas.avro.Channel;
import dev.firebreak.schemas.avro.CommandType;
import dev.firebreak.schemas.avro.EscalationLevel;
import dev.firebreak.schemas.avro.IncidentCommand;
import dev.firebreak.schemas.avro.NotificationOutcome;
import dev.firebreak.schemas.avro.NotificationStatus;

/**
 * The {@code NOTIFICATION_OUTCOME} command that puts a send, a suppression or a failure
 * in the incident's timeline, naming who was told. Its id is the delivery's (incident,
 * sequence, channel, target) and status, so publishing it twice changes the incident
 * once.
 */
final class Outcomes {

	private static final Actor NOTIFIER = Actor.newBuilder().setKind(ActorKind.NOTIFIER).setName("notifier").build();

	private Outcomes() {
	}

	/**
	 * @param where the destination's (or route's) name for the timeline; never a secret
	 */
	static IncidentCommand of(String incidentId, long sequence, Channel channel, Delivery.Addressee to,
			NotificationStatus status, String where, String reason, String messageId, int attempts, Instant now) {
		String target = (to != null) ? to.target() : "";
		return IncidentCommand.newBuilder()
			.setCommandId("notification:" + incidentId + ":" + sequence + ":" + channel
					+ (target.isEmpty() ? "" : ":" + target) + ":" + status)
			.setIncidentId(incidentId)
			.setType(CommandType.NOTIFICATION_OUTCOME)
			.setActor(NOTIFIER)
			.setIssuedAt(now)
			.setNotification(NotificationOutcome.newBuilder()
				.setChannel(channel)
				.setStatus(status)
				.setEventSequence(sequence)
				.setTarget(where)
				.setReason(reason)
				.setMessageId(messageId)
				.setAttempts(Math.max(1, attempts))
				.setLevel(level(to))
				.setRecipient((to != null) ? to.recipient() : null)
				.build())
			.build();
	}

	private static EscalationLevel level(Delivery.Addressee to) {
		if (to == null || to.stage() == null || !to.stage().matches("L[1-4]")) {
			return null;
		}
		return EscalationLevel.valueOf(to.stage());
	}

}
