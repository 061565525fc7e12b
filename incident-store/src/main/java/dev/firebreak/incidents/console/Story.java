package dev.firebreak.incidents.console;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import dev.firebreak.incidents.api.IncidentViews.TimelineEntry;

/**
 * An incident's timeline told as a story, one line an event: what happened, who or what
 * did it, and why (or why something was not done: suppressed, skipped, a dry run, a
 * guardrail). Pure: the page only lays the lines out.
 *
 * @param at when
 * @param what what happened, in words
 * @param who the person, or the part of Firebreak, that did it
 * @param why the reason recorded with it, if any
 * @param tone how it reads at a glance: {@code good}, {@code bad}, {@code held} or
 * {@code plain}
 */
record Story(Instant at, String what, String who, String why, String tone) {

	static Story of(TimelineEntry entry) {
		Map<String, String> details = (entry.details() != null) ? entry.details() : Map.of();
		String alert = (entry.alertname() != null) ? entry.alertname() : "an alert";
		String runbook = remediation(details) + dryRun(details);
		String channel = channel(details);
		String what = switch (entry.type()) {
			case "OPENED" -> "Opened: " + alert;
			case "ALERT_ADDED" -> alert + " joined";
			case "ALERT_UPDATED" -> alert + " changed";
			case "ALERT_RESOLVED" -> alert + " resolved";
			case "SEVERITY_CHANGED" -> "Severity changed";
			case "ACKNOWLEDGED" -> "Acknowledged";
			case "ASSIGNED" -> "Assigned";
			case "COMMENTED" -> "Comment";
			case "ESCALATED" -> "Escalated";
			case "FLAPPING_STARTED" -> "Started flapping: notifications held";
			case "FLAPPING_STOPPED" -> "Stopped flapping";
			case "MAINTENANCE_SUPPRESSED" -> "In a maintenance window: not paged, not remediated";
			case "MAINTENANCE_ENDED" -> "Maintenance window over";
			case "REMEDIATION_STARTED" -> "Started " + runbook + target(details);
			case "REMEDIATION_SUCCEEDED" -> capitalised(runbook) + " succeeded" + target(details);
			case "REMEDIATION_FAILED" -> capitalised(runbook) + " failed" + target(details);
			case "REMEDIATION_SKIPPED" -> capitalised(runbook) + " not run";
			case "REMEDIATION_AWAITING_APPROVAL" -> capitalised(runbook) + " waits for approval" + target(details);
			case "REMEDIATION_APPROVED" -> capitalised(runbook) + " approved";
			case "REMEDIATION_REJECTED" -> capitalised(runbook) + " rejected";
			case "REMEDIATION_OUTCOME_UNKNOWN" -> capitalised(runbook) + ": outcome unknown" + target(details);
			case "NOTIFICATION_SENT" -> "Notified " + channel + target(details);
			case "NOTIFICATION_SUPPRESSED" -> "Not notified on " + channel;
			case "NOTIFICATION_FAILED" -> "Could not notify " + channel + target(details);
			case "RESOLVED" -> "Resolved";
			case "REOPENED" -> "Reopened";
			case "ESCALATION_CLOCK_SET" -> "Escalation clock set";
			case "ESCALATION_SNOOZED" -> "Escalation snoozed";
			case "AUTOMATION_ENDED" -> "Automation is over: people are paged";
			case "INHIBITION_PENDING" -> "Waiting: may be a symptom of a cause not seen yet";
			case "INHIBITED" -> "A symptom of another incident: not paged, not remediated";
			case "INHIBITION_ENDED" -> "No longer held as a symptom";
			default -> capitalised(entry.type().toLowerCase(Locale.ROOT).replace('_', ' '));
		};
		return new Story(entry.at(), what, who(entry), entry.reason(), tone(entry.type()));
	}

	private static String who(TimelineEntry entry) {
		String kind = (entry.actorKind() != null) ? entry.actorKind() : "";
		return switch (kind) {
			case "OPERATOR", "ALERT_SOURCE" -> entry.actor();
			case "REMEDIATION" -> "remediation-engine";
			case "NOTIFIER" -> "notifier";
			default -> "Firebreak";
		};
	}

	private static String tone(String type) {
		return switch (type) {
			case "RESOLVED", "ALERT_RESOLVED", "REMEDIATION_SUCCEEDED", "ACKNOWLEDGED", "REMEDIATION_APPROVED" ->
				"good";
			case "REMEDIATION_FAILED", "NOTIFICATION_FAILED", "ESCALATED", "REOPENED", "REMEDIATION_OUTCOME_UNKNOWN",
					"AUTOMATION_ENDED" ->
				"bad";
			case "NOTIFICATION_SUPPRESSED", "REMEDIATION_SKIPPED", "MAINTENANCE_SUPPRESSED", "INHIBITED",
					"INHIBITION_PENDING", "FLAPPING_STARTED", "REMEDIATION_AWAITING_APPROVAL", "REMEDIATION_REJECTED" ->
				"held";
			default -> "plain";
		};
	}

	/** A remediation by its runbook, or by its id where the event names only that. */
	private static String remediation(Map<String, String> details) {
		if (details.containsKey("runbook")) {
			return "runbook " + details.get("runbook");
		}
		return "remediation " + details.getOrDefault("remediationId", "?");
	}

	private static String dryRun(Map<String, String> details) {
		return "true".equals(details.get("dryRun")) ? " (dry run: nothing changed)" : "";
	}

	private static String target(Map<String, String> details) {
		String target = details.get("target");
		return (target != null && !target.isBlank()) ? " on " + target : "";
	}

	private static String channel(Map<String, String> details) {
		String channel = details.get("channel");
		if (channel == null) {
			return "a channel";
		}
		return "PAGERDUTY".equals(channel) ? "PagerDuty" : capitalised(channel.toLowerCase(Locale.ROOT));
	}

	private static String capitalised(String text) {
		return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

}
