package dev.firebreak.incidents.api;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;

import dev.firebreak.incidents.api.IncidentViews.Alert;
import dev.firebreak.incidents.api.IncidentViews.IncidentDetail;
import dev.firebreak.incidents.api.IncidentViews.Remediation;
import dev.firebreak.incidents.api.IncidentViews.TimelineEntry;

/**
 * A post-incident report in Markdown, after the templates of seeds 000 and 004, filled
 * from the incident and its timeline; what only people know (root cause, lessons, action
 * items) is left as placeholders. Every value that came from an alert is escaped, so a
 * label cannot change the report's structure.
 */
public final class PostIncidentReport {

	private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
		.withZone(ZoneOffset.UTC);

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

	private static final String TO_FILL = "_To be filled in._";

	private PostIncidentReport() {
	}

	public static String of(IncidentDetail incident, List<TimelineEntry> timeline, List<Remediation> remediations) {
		StringBuilder report = new StringBuilder();
		report.append("# Incident Report: ").append(incident.id()).append("\n\n");
		report.append("**Title**: ").append(md(incident.title())).append("  \n");
		report.append("**Date/Time**: ").append(DATE_TIME.format(incident.openedAt())).append("  \n");
		report.append("**Severity**: ")
			.append(incident.severity())
			.append(" (escalation level ")
			.append(incident.escalationLevel())
			.append(")  \n");
		report.append("**Status**: ").append(incident.status()).append("  \n");
		report.append("**Duration**: ").append(duration(incident)).append("  \n");
		report.append("**Time to acknowledge**: ")
			.append((incident.acknowledgedAt() != null)
					? minutes(Duration.between(incident.openedAt(), incident.acknowledgedAt())) + " (by "
							+ md(incident.acknowledgedBy()) + ")"
					: "not acknowledged")
			.append("\n\n");

		report.append("## Summary\n\n")
			.append(md(incident.title()))
			.append(". ")
			.append(incident.counts().alerts())
			.append(" alert(s) grouped by ")
			.append(md(incident.correlationKey()))
			.append(": ")
			.append(md(String.join(", ", new TreeSet<>(incident.alerts().stream().map(Alert::alertname).toList()))))
			.append(".");
		if (incident.reopenCount() > 0) {
			report.append(" Reopened ").append(incident.reopenCount()).append(" time(s).");
		}
		if (incident.flapping()) {
			report.append(" Flapping.");
		}
		report.append("\n\n");

		report.append("## Impact\n\n");
		report.append("- **Alerts**: ")
			.append(incident.counts().alerts())
			.append(" (")
			.append(incident.counts().firing())
			.append(" firing, ")
			.append(incident.counts().resolved())
			.append(" resolved; ")
			.append(incident.counts().deliveries())
			.append(" deliveries)\n");
		report.append("- **Services**: ")
			.append(incident.counts().services())
			.append(labelValues(incident.alerts(), "service"))
			.append('\n');
		report.append("- **Instances**: ")
			.append(incident.counts().instances())
			.append(labelValues(incident.alerts(), "instance"))
			.append('\n');
		report.append("- **Users affected**: ").append(TO_FILL).append('\n');
		report.append("- **Business impact**: ").append(TO_FILL).append("\n\n");

		report.append("## Timeline (UTC)\n\n");
		for (TimelineEntry entry : timeline) {
			report.append("- ")
				.append(TIME.format(entry.at()))
				.append(" — **")
				.append(label(entry.type()))
				.append("**");
			if (entry.reason() != null) {
				report.append(": ").append(md(entry.reason()));
			}
			report.append(" _(").append(md(entry.actor())).append(")_\n");
		}
		report.append('\n');

		report.append("## What was done\n\n### Automatically\n\n");
		if (remediations.isEmpty()) {
			report.append("- No remediation ran.\n");
		}
		for (Remediation remediation : remediations) {
			report.append("- Runbook `")
				.append(code(remediation.runbook()))
				.append("`")
				.append((remediation.action() != null) ? " (" + md(remediation.action()) + ")" : "")
				.append((remediation.target() != null) ? " on " + md(remediation.target()) : "")
				.append(": **")
				.append(remediation.status())
				.append("**")
				.append(remediation.dryRun() ? " (dry run)" : "")
				.append((remediation.reason() != null) ? " — " + md(remediation.reason()) : "")
				.append('\n');
		}
		Map<String, Long> notifications = timeline.stream()
			.filter((entry) -> entry.type().startsWith("NOTIFICATION_"))
			.collect(Collectors.groupingBy(
					(entry) -> entry.type().substring("NOTIFICATION_".length()) + " via "
							+ entry.details().getOrDefault("channel", "?"),
					java.util.TreeMap::new, Collectors.counting()));
		if (notifications.isEmpty()) {
			report.append("- No notification recorded.\n");
		}
		notifications.forEach((what, count) -> report.append("- Notifications ")
			.append(md(what.toLowerCase(java.util.Locale.ROOT)))
			.append(": ")
			.append(count)
			.append('\n'));
		report.append("\n### By people\n\n");
		List<TimelineEntry> human = timeline.stream().filter((entry) -> "OPERATOR".equals(entry.actorKind())).toList();
		if (human.isEmpty()) {
			report.append("- Nothing.\n");
		}
		for (TimelineEntry entry : human) {
			report.append("- ")
				.append(TIME.format(entry.at()))
				.append(" ")
				.append(md(entry.actor()))
				.append(": ")
				.append(label(entry.type()))
				.append((entry.reason() != null) ? " — " + md(entry.reason()) : "")
				.append('\n');
		}
		report.append('\n');

		report.append("## Root Cause\n\n").append(TO_FILL).append("\n\n");
		report.append("## Resolution\n\n")
			.append((incident.resolvedAt() != null)
					? "Resolved at " + DATE_TIME.format(incident.resolvedAt()) + " by "
							+ md(Objects.requireNonNullElse(incident.resolvedBy(), "the alerts resolving")) + "."
					: "Not resolved yet.")
			.append(' ')
			.append(TO_FILL)
			.append("\n\n");
		report.append("## Lessons Learned\n\n").append(TO_FILL).append("\n\n");
		report.append("## Action Items\n\n- [ ] Immediate fix\n- [ ] Long-term prevention\n")
			.append("- [ ] Documentation and runbook update\n- [ ] Monitoring improvement\n");
		return report.toString();
	}

	private static String duration(IncidentDetail incident) {
		if (incident.resolvedAt() == null) {
			return "ongoing";
		}
		return minutes(Duration.between(incident.openedAt(), incident.resolvedAt())) + " ("
				+ DATE_TIME.format(incident.openedAt()) + " to " + DATE_TIME.format(incident.resolvedAt()) + ")";
	}

	private static String minutes(Duration duration) {
		long seconds = duration.toSeconds();
		return (seconds < 60) ? seconds + " s" : (seconds / 60) + " min " + (seconds % 60) + " s";
	}

	private static String labelValues(List<Alert> alerts, String label) {
		TreeSet<String> values = alerts.stream()
			.map((alert) -> alert.labels().get(label))
			.filter(Objects::nonNull)
			.collect(Collectors.toCollection(TreeSet::new));
		return values.isEmpty() ? "" : " (" + md(String.join(", ", values)) + ")";
	}

	/** OPENED → Opened, ALERT_ADDED → Alert added. */
	private static String label(String type) {
		String words = type.replace('_', ' ').toLowerCase(java.util.Locale.ROOT);
		return Character.toUpperCase(words.charAt(0)) + words.substring(1);
	}

	/** Text from outside, on one line, with Markdown's special characters escaped. */
	static String md(String text) {
		if (text == null) {
			return "";
		}
		StringBuilder escaped = new StringBuilder(text.length());
		for (char c : text.toCharArray()) {
			if (c == '\n' || c == '\r' || c == '\t') {
				escaped.append(' ');
			}
			else if ("\\`*_{}[]()<>#+-!|~".indexOf(c) >= 0) {
				escaped.append('\\').append(c);
			}
			else if (!Character.isISOControl(c)) {
				escaped.append(c);
			}
		}
		return escaped.toString();
	}

	private static String code(String text) {
		return (text != null) ? text.replace("`", "'").replace('\n', ' ') : "?";
	}

}
