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
	 * @param thread the channel's id for the incident's first message on it (Slack's
	 * {@code ts}, the email Message-ID), or {@code null} when this is the first
	 */
	SendResult send(Notice notice, String thread);

}
