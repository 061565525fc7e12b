package dev.firebreak.notifier.route;

/**
 * What a message does to the incident's conversation: PagerDuty triggers, acknowledges
 * and resolves; every other channel posts the news; an update refreshes the incident's
 * first message in place where the channel allows it (Slack with a bot token).
 */
public enum Kind {

	TRIGGER, ACKNOWLEDGE, RESOLVE, UPDATE

}
