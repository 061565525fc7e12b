package dev.firebreak.incidents.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the API answers with: plain JSON shapes, apart from the Avro records. */
public final class IncidentViews {

	private IncidentViews() {
	}

	public record Counts(int alerts, int firing, int resolved, int instances, int services, long deliveries) {
	}

	/** An incident in a list. */
	public record IncidentSummary(String id, String title, String severity, String status, String escalationLevel,
			boolean flapping, boolean inMaintenance, String assignee, Map<String, String> correlationLabels,
			Instant openedAt, Instant acknowledgedAt, Instant resolvedAt, Instant updatedAt, long version,
			Counts counts) {
	}

	/** One page of a list, and the cursor of the next (null on the last). */
	public record Page(List<IncidentSummary> items, String nextCursor) {
	}

	public record Alert(String fingerprint, String alertname, String status, String severity,
			Map<String, String> labels, Map<String, String> annotations, Instant startsAt, Instant endsAt,
			String generatorUrl, Instant lastReceivedAt) {
	}

	/** An unresolved incident and the labels of its latest alert. */
	public record OpenIncident(String id, String title, String severity, String status, Map<String, String> labels) {
	}

	/** One incident with everything the projection knows of it. */
	public record IncidentDetail(String id, String title, String severity, String status, String escalationLevel,
			boolean flapping, boolean inMaintenance, String maintenanceWindowId, String assignee, String acknowledgedBy,
			String resolvedBy, String correlationKey, Map<String, String> correlationLabels, Instant openedAt,
			Instant acknowledgedAt, Instant resolvedAt, Instant updatedAt, int reopenCount, long version, Counts counts,
			Escalation escalation, String groupingRule, Inhibition inhibition, List<Finding> findings,
			List<Alert> alerts) {
	}

	/**
	 * What a runbook's diagnostic step found: evidence, never a change.
	 *
	 * @param remediationId the remediation whose step it was
	 * @param runbook the runbook
	 * @param step the step's name in its runbook
	 * @param succeeded whether the look itself worked; what it saw is in summary and
	 * output
	 * @param summary one line: what it looked at and what it saw
	 * @param output what it read, cut to length
	 * @param collectedAt when
	 */
	public record Finding(String remediationId, String runbook, String step, boolean succeeded, String summary,
			String output, Instant collectedAt) {
	}

	/**
	 * Whether the incident is a symptom of another's cause, and which it explains itself.
	 *
	 * @param state NONE, PENDING (waiting for a cause within the grace period) or
	 * INHIBITED
	 * @param inhibitedBy the cause's incident, while INHIBITED
	 * @param rule the inhibition rule (or dependency) that applies
	 * @param inhibits the incidents this one's cause explains (or explained), oldest
	 * first, at most 100
	 */
	public record Inhibition(String state, String inhibitedBy, String rule, List<String> inhibits) {
	}

	/**
	 * Where the incident stands on its response policy's clock.
	 *
	 * @param policy the response policy it runs on
	 * @param respondBy by when a person must acknowledge it
	 * @param nextEscalationAt when it escalates next unless someone acts (null: nothing
	 * due)
	 * @param snoozedUntil an operator holds escalation until then
	 * @param automation automation first: NONE, WAITING, RUNNING or ENDED
	 */
	public record Escalation(String policy, Instant respondBy, Instant nextEscalationAt, Instant snoozedUntil,
			String automation) {
	}

	/** One event of the timeline: when, what, who, and why. */
	public record TimelineEntry(long sequence, Instant at, String type, String actorKind, String actor, String reason,
			Map<String, String> details, String commandId, String alertFingerprint, String alertname) {
	}

	public record Remediation(String remediationId, String incidentId, String status, String runbook, String action,
			String target, Integer attempt, boolean dryRun, String reason, Instant updatedAt) {
	}

	/** Figures over the incidents opened in a time range. */
	public record Stats(Instant from, Instant to, long incidents, Map<String, Long> bySeverity,
			Double meanTimeToAcknowledgeSeconds, Double meanTimeToResolveSeconds, long remediations,
			long remediationsSucceeded, Double remediationSuccessRate, Double alertsPerIncident,
			Double deliveriesPerIncident, long notificationsSent, long notificationsSuppressed,
			long notificationsFailed) {
	}

}
