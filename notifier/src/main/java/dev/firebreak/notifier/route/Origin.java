package dev.firebreak.notifier.route;

import dev.firebreak.schemas.avro.Channel;

/**
 * Where a command came from, as its id says: a command made from an inbound integration's
 * request carries an id prefixed with the integration's name and a colon
 * ({@code pagerduty:<webhook event id>}, {@code slack:<trigger id>}). The prefix is a
 * contract: it is how the notifier tells an acknowledgement that PagerDuty sent from one
 * it must tell PagerDuty about.
 */
public enum Origin {

	PAGERDUTY("pagerduty:"), SLACK("slack:");

	private final String prefix;

	Origin(String prefix) {
		this.prefix = prefix;
	}

	/** The id of a command made from this integration's event or click. */
	public String commandId(String unique) {
		return this.prefix + unique;
	}

	/** Whether the command id says it came from this integration. */
	public boolean made(String commandId) {
		return commandId != null && commandId.startsWith(this.prefix);
	}

	/**
	 * Whether a message would tell PagerDuty what PagerDuty told Firebreak: an
	 * acknowledge or resolve on PagerDuty for an event that a PagerDuty webhook's command
	 * caused. Sending it would echo the change back to where it was made (and, with a
	 * second integration doing the same, loop).
	 * @param commandId the event's command id, or {@code null}
	 */
	public static boolean echoes(String commandId, Channel channel, Kind kind) {
		return channel == Channel.PAGERDUTY && (kind == Kind.ACKNOWLEDGE || kind == Kind.RESOLVE)
				&& PAGERDUTY.made(commandId);
	}

	/**
	 * Whether telling one of the PagerDuty destinations an incident was triggered on
	 * would echo: as {@link #echoes(String, Channel, Kind)}, when that destination is the
	 * incident's only one. With several, the change came from one of them and every other
	 * must hear of it, so all are told: the one it came from takes an acknowledgement of
	 * what is acknowledged as nothing new, and the webhook PagerDuty sends for it names
	 * no person as agent, which the notifier ignores; no loop either way.
	 * @param pagerDutyDestinations how many PagerDuty destinations the incident was
	 * triggered on
	 */
	public static boolean echoes(String commandId, Channel channel, Kind kind, long pagerDutyDestinations) {
		return pagerDutyDestinations <= 1 && echoes(commandId, channel, kind);
	}

}
