package dev.firebreak.notifier.route;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
