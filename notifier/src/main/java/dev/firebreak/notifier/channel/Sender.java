package dev.firebreak.notifier.channel;

import dev.firebreak.notifier.message.Notice;
import dev.firebreak.schemas.avro.Channel;

/**
 * Delivers notices on one channel. A sender never throws for a failure of its
 * destination: it says whether trying again can help.
 */
public interface Sender {

	Channel channel();

	/** The destination's name, for rate limits and the timeline; never a secret. */
	String destination();

	/**
	 * Whether it has recipients of its own, for a route's message (every channel but a
	 * listless email).
	 */
	default boolean broadcasts() {
		return true;
	}

	/**
	 * @param thread the channel's id for the incident's first message on it (Slack's
	 * {@code ts}, the email Message-ID), or {@code null} when this is the first
	 * @param address a person's place on the destination, or {@code null} for the
	 * destination's own: an email address to send to instead of its list, a Slack user id
	 * to mention; other channels have none
	 */
	SendResult send(Notice notice, String thread, String address);

}
