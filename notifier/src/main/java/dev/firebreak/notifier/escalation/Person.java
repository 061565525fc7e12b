package dev.firebreak.notifier.escalation;

/**
 * Someone a schedule or a level can name, and how to reach them.
 *
 * @param name how messages and the timeline name them
 * @param email their address, for email
 * @param slack their Slack user id ({@code U…}), mentioned in Slack messages
 * @param pagerduty the destination that pages them on PagerDuty (a routing key of their
 * own service)
 */
public record Person(String name, String email, String slack, String pagerduty) {

}
