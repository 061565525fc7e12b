package dev.firebreak.notifier.delivery;

import dev.firebreak.notifier.route.Kind;
import dev.firebreak.schemas.avro.Channel;

/**
 * One message to send: an incident event on one channel.
 *
 * @param id its row
 * @param incidentId the incident
 * @param sequence the event's sequence
 * @param channel the channel
 * @param kind trigger, acknowledge or resolve
 * @param route the route that chose it
 * @param event the event, Avro
 * @param attempts sends tried so far, this one included once claimed
 */
public record Delivery(long id, String incidentId, long sequence, Channel channel, Kind kind, String route,
		byte[] event, int attempts) {

}
