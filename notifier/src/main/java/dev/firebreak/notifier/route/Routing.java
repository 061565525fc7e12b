package dev.firebreak.notifier.route;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.firebreak.schemas.avro.AutomationState;
import dev.firebreak.schemas.avro.Channel;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.IncidentEventType;
import dev.firebreak.schemas.avro.IncidentStatus;
import dev.firebreak.schemas.avro.Severity;

/**
 * Which events deserve a message, what kind, and where they go. Pure.
 */
public final class Routing {

	/** The events people hear about; the rest would make a storm into a flood. */
	public static final Set<IncidentEventType> NOTABLE = EnumSet.of(IncidentEventType.OPENED,
			IncidentEventType.SEVERITY_CHANGED, IncidentEventType.ESCALATED, IncidentEventType.REMEDIATION_FAILED,
			IncidentEventType.REMEDIATION_AWAITING_APPROVAL, IncidentEventType.REMEDIATION_OUTCOME_UNKNOWN,
			IncidentEventType.ACKNOWLEDGED, IncidentEventType.RESOLVED, IncidentEventType.REOPENED,
			IncidentEventType.AUTOMATION_ENDED, IncidentEventType.MAINTENANCE_ENDED,
			IncidentEventType.INHIBITION_ENDED);

	/**
	 * The moments an escalation policy's targets may be due: the incident opens or
	 * reopens, reaches a level or a severity, or is handed to people (automation over,
	 * maintenance ended).
	 */
	private static final Set<IncidentEventType> PAGING = EnumSet.of(IncidentEventType.OPENED,
			IncidentEventType.REOPENED, IncidentEventType.ESCALATED, IncidentEventType.SEVERITY_CHANGED,
			IncidentEventType.AUTOMATION_ENDED, IncidentEventType.MAINTENANCE_ENDED,
			IncidentEventType.INHIBITION_ENDED);

	/** Why PagerDuty waits while a runbook has its turn (seed 003's level 1). */
	static final String AUTOMATION_FIRST = "held: automation first, a runbook has its turn before anyone is paged";

	/**
	 * Events that make no message of their own but change what the incident's first
	 * message shows (a decided remediation takes its Approve and Reject buttons away);
	 * never the outcomes of notifications, which would loop.
	 */
	public static final Set<IncidentEventType> UPDATES = EnumSet.of(IncidentEventType.ALERT_ADDED,
			IncidentEventType.ALERT_UPDATED, IncidentEventType.ALERT_RESOLVED, IncidentEventType.ASSIGNED,
			IncidentEventType.FLAPPING_STARTED, IncidentEventType.FLAPPING_STOPPED,
			IncidentEventType.REMEDIATION_STARTED, IncidentEventType.REMEDIATION_SUCCEEDED,
			IncidentEventType.REMEDIATION_APPROVED, IncidentEventType.REMEDIATION_REJECTED);

	private Routing() {
	}

	/** The kind of message an event makes, or empty when it deserves none. */
	public static Optional<Kind> kind(IncidentEvent event) {
		if (!NOTABLE.contains(event.getType())) {
			return Optional.empty();
		}
		if (event.getType() == IncidentEventType.SEVERITY_CHANGED && !raised(event)) {
			return Optional.empty();
		}
		if (event.getType() != IncidentEventType.RESOLVED
				&& event.getIncident().getStatus() == IncidentStatus.RESOLVED) {
			// A resolved incident's last message is its resolution: a remediation outcome
			// that arrives after it (a run taken over from a crashed engine, an outcome
			// recorded once PostgreSQL was back) or the end of a maintenance window would
			// trigger PagerDuty again, and reopen what was resolved.
			return Optional.empty();
		}
		return Optional.of(switch (event.getType()) {
			case ACKNOWLEDGED -> Kind.ACKNOWLEDGE;
			case RESOLVED -> Kind.RESOLVE;
			default -> Kind.TRIGGER;
		});
	}

	/** Whether automation first holds paging: a runbook answers, or may yet. */
	public static boolean automationHolds(Incident incident) {
		return incident.getAutomation() == AutomationState.WAITING
				|| incident.getAutomation() == AutomationState.RUNNING;
	}

	/**
	 * Whether the event is a moment to tell an escalation policy's targets: the incident
	 * is unresolved, not in maintenance, not flapping, and automation no longer holds it.
	 */
	public static boolean pages(IncidentEvent event) {
		Incident incident = event.getIncident();
		return PAGING.contains(event.getType()) && kind(event).isPresent()
				&& incident.getStatus() != IncidentStatus.RESOLVED && !incident.getInMaintenance()
				&& !incident.getFlapping() && !automationHolds(incident) && inhibited(incident) == null;
	}

	/**
	 * Why the incident is told nobody as a symptom: inhibited by another incident's
	 * cause, or waiting to learn whether it is one; {@code null} when it is not.
	 */
	static String inhibited(Incident incident) {
		return switch (incident.getInhibition()) {
			case INHIBITED -> "inhibited by " + incident.getInhibitedBy() + " (rule " + incident.getInhibitionRule()
					+ "): a symptom of its cause";
			case PENDING ->
				"held: it may be a symptom of a cause not seen yet (rule " + incident.getInhibitionRule() + ")";
			default -> null;
		};
	}

	/** Whether the change went up: by its own details, whatever else the update did. */
	private static boolean raised(IncidentEvent event) {
		try {
			Severity previous = Severity.valueOf(event.getDetails().getOrDefault("previous", ""));
			Severity severity = Severity
				.valueOf(event.getDetails().getOrDefault("severity", event.getIncident().getSeverity().name()));
			return severity.ordinal() < previous.ordinal();
		}
		catch (IllegalArgumentException ex) {
			return true;
		}
	}

	/**
	 * The channels an event goes to, each with the route that chose it, or why it is
	 * suppressed there (maintenance, flapping).
	 */
	public static Map<Channel, Decision> route(List<Route> routes, IncidentEvent event) {
		Map<Channel, Decision> decisions = new LinkedHashMap<>();
		Incident incident = event.getIncident();
		Map<String, String> labels = labels(event);
		for (Route route : routes) {
			if (!matches(route, event, labels)) {
				continue;
			}
			String suppressed = null;
			if (incident.getInMaintenance() && !route.duringMaintenance()) {
				suppressed = "the incident is in maintenance" + ((incident.getMaintenanceWindowId() != null)
						? " window " + incident.getMaintenanceWindowId() : "");
			}
			else if (incident.getFlapping() && !route.whileFlapping()) {
				suppressed = "the incident is flapping";
			}
			else if (inhibited(incident) != null) {
				suppressed = inhibited(incident);
			}
			for (Channel channel : route.channels()) {
				boolean held = suppressed == null && channel == Channel.PAGERDUTY && automationHolds(incident);
				Decision decision = new Decision(route.name(), held ? AUTOMATION_FIRST : suppressed);
				// A route that sends wins over one that suppresses.
				decisions.merge(channel, decision, (a, b) -> (a.suppressed() == null) ? a : b);
			}
		}
		return decisions;
	}

	/**
	 * Where a route sent an event.
	 *
	 * @param route the route's name
	 * @param suppressed why it is not sent, or {@code null}
	 */
	public record Decision(String route, String suppressed) {
	}

	private static boolean matches(Route route, IncidentEvent event, Map<String, String> labels) {
		Incident incident = event.getIncident();
		return (route.events().isEmpty() || route.events().contains(event.getType()))
				&& (route.severities().isEmpty() || route.severities().contains(incident.getSeverity()))
				&& (route.escalationLevels().isEmpty()
						|| route.escalationLevels().contains(incident.getEscalationLevel()))
				&& route.labels()
					.entrySet()
					.stream()
					.allMatch((label) -> label.getValue().equals(labels.get(label.getKey())));
	}

	private static Map<String, String> labels(IncidentEvent event) {
		Map<String, String> labels = new HashMap<>();
		if (!event.getIncident().getRecentAlerts().isEmpty()) {
			labels.putAll(event.getIncident().getRecentAlerts().get(0).getLabels());
		}
		if (event.getAlert() != null) {
			labels.putAll(event.getAlert().getLabels());
		}
		labels.putAll(event.getIncident().getCorrelationLabels());
		return labels;
	}

	/** Every channel named by a route, in order. */
	public static List<Channel> channels(List<Route> routes) {
		List<Channel> channels = new ArrayList<>();
		routes.forEach((route) -> route.channels()
			.stream()
			.filter((channel) -> !channels.contains(channel))
			.forEach(channels::add));
		return channels;
	}

}
