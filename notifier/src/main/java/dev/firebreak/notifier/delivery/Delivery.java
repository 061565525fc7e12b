package dev.firebreak.notifier.delivery;

import dev.firebreak.notifier.route.Kind;
import dev.firebreak.schemas.avro.Channel;

/**
 * One message to send: an incident event on one destination.
 *
 * @param id its row
 * @param incidentId the incident
 * @param sequence the event's sequence
 * @param channel the channel
 * @param kind trigger, acknowledge or resolve
 * @param route the route that chose it, or the escalation stage's
 * @param event the event, Avro
 * @param attempts sends tried so far, this one included once claimed
 * @param to where, and for whom
 * @param claim this sender's claim on it: no other claim ever has the number, and every
 * write that ends or puts back the delivery names it (0 before it is claimed)
 */
public record Delivery(long id, String incidentId, long sequence, Channel channel, Kind kind, String route,
		byte[] event, int attempts, Addressee to, long claim) {

	/**
	 * Where a message goes on its channel, and for whom.
	 *
	 * @param destination the destination that sends it
	 * @param target the escalation target it is for; empty for a route's message
	 * @param address a person's place on the destination (an email address, a Slack user
	 * id), or {@code null}
	 * @param recipient who it is for, or {@code null}
	 * @param stage the level or severity of the target, or {@code null}
	 * @param paged who the event paged, in a line, or {@code null}
	 */
	public record Addressee(String destination, String target, String address, String recipient, String stage,
			String paged) {

		/** A route's message on a destination. */
		public static Addressee of(String destination, String paged) {
			return new Addressee(destination, "", null, null, null, paged);
		}

	}

}
