package dev.firebreak.notifier.route;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.firebreak.schemas.SelfAlerts;
import dev.firebreak.schemas.avro.Channel;
import dev.firebreak.schemas.avro.EscalationLevel;
import dev.firebreak.schemas.avro.IncidentEventType;
import dev.firebreak.schemas.avro.Severity;

/**
 * A route: which incident events go to which channels. An empty set matches everything.
 *
 * @param name for the timeline and the logs
 * @param events the event types it takes (of those that deserve a message)
 * @param severities the incident's severity
 * @param labels label values that must all equal the incident's (correlation labels and
 * the event's alert)
 * @param escalationLevels the incident's escalation level
 * @param channels where its messages go
 * @param duringMaintenance whether it still notifies while the incident is in maintenance
 * @param whileFlapping whether it still notifies while the incident flaps
 */
public record Route(String name, Set<IncidentEventType> events, Set<Severity> severities, Map<String, String> labels,
		Set<EscalationLevel> escalationLevels, List<Channel> channels, boolean duringMaintenance,
		boolean whileFlapping) {

	public Route {
		events = Set.copyOf(events);
		severities = Set.copyOf(severities);
		labels = Map.copyOf(labels);
		escalationLevels = Set.copyOf(escalationLevels);
		channels = List.copyOf(channels);
		if (channels.isEmpty()) {
			throw new IllegalArgumentException("route " + name + " names no channel");
		}
	}

	/**
	 * The dead man's switch's incident goes to every channel that is configured, beside
	 * whatever the other routes say: when alerts stop reaching Firebreak, everyone who
	 * hears from it should know. It is not held by maintenance (a window on a service
	 * would otherwise hide that every service has gone unwatched).
	 */
	public static Route pipelineSilent(Collection<Channel> configured) {
		return new Route("alerting-pipeline-silent", Set.of(), Set.of(),
				Map.of("alertname", SelfAlerts.PIPELINE_SILENT, SelfAlerts.LABEL, SelfAlerts.SELF), Set.of(),
				List.copyOf(configured), true, false);
	}

	/**
	 * Seeds 002 and 003: Slack for every incident, email for SEV3 and above, PagerDuty
	 * for SEV1–SEV2 and any escalation. With an escalation policy, PagerDuty is its
	 * levels' business: each level pages its own people rather than the same service
	 * again.
	 */
	public static List<Route> defaults(boolean escalationPolicy) {
		List<Route> routes = new ArrayList<>(List.of(
				new Route("slack-all", Set.of(), Set.of(), Map.of(), Set.of(), List.of(Channel.SLACK), false, false),
				new Route("email-sev1-3", Set.of(), Set.of(Severity.SEV1, Severity.SEV2, Severity.SEV3), Map.of(),
						Set.of(), List.of(Channel.EMAIL), false, false)));
		if (!escalationPolicy) {
			routes.add(new Route("pagerduty-sev1-2", Set.of(), Set.of(Severity.SEV1, Severity.SEV2), Map.of(), Set.of(),
					List.of(Channel.PAGERDUTY), false, false));
			routes.add(new Route("pagerduty-escalations", Set.of(IncidentEventType.ESCALATED), Set.of(), Map.of(),
					Set.of(), List.of(Channel.PAGERDUTY), false, false));
		}
		return List.copyOf(routes);
	}

}
