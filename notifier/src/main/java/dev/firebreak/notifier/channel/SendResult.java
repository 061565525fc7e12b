package dev.firebreak.notifier.channel;

import java.time.Duration;

/**
 * What a channel said to one message.
 *
 * @param status sent, worth retrying, or never going to work
 * @param messageId the channel's id for it, when sent
 * @param error what went wrong, when not sent (secrets are removed before it is kept)
 * @param retryAfter how long the channel asked us to wait, if it said
 */
public record SendResult(Status status, String messageId, String error, Duration retryAfter) {

	public static SendResult sent(String messageId) {
		return new SendResult(Status.SENT, messageId, null, null);
	}

	public static SendResult retry(String error, Duration retryAfter) {
		return new SendResult(Status.RETRY, null, error, retryAfter);
	}

	public static SendResult permanent(String error) {
		return new SendResult(Status.PERMANENT, null, error, null);
	}

	/**
	 * Sent, retryable (timeouts, 5xx, 429, SMTP 4xx), or permanent (other 4xx, SMTP 5xx,
	 * bad configuration).
	 */
	public enum Status {

		SENT, RETRY, PERMANENT

	}

}
