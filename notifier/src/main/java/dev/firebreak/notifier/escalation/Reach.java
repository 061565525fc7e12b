package dev.firebreak.notifier.escalation;

import dev.firebreak.schemas.avro.Channel;

/**
 * One message a target needs, resolved at the moment of notification.
 *
 * @param stage the level ({@code L2}) or the severity's audience ({@code SEV1}) it is for
 * @param target the target's name
 * @param channel the channel
 * @param destination the destination that sends it
 * @param address where on it, for a person: an email address, or a Slack user id to
 * mention; {@code null} for the destination's own
 * @param recipient who is told: the person on call, or the target's name
 */
public record Reach(String stage, String target, Channel channel, String destination, String address,
		String recipient) {

}
