package dev.firebreak.notifier.route;

/**
 * What a message does to the incident's conversation: PagerDuty triggers, acknowledges
 * and resolves; every other channel posts the news.
 */
public enum Kind {

	TRIGGER, ACKNOWLEDGE, RESOLVE

}
