package dev.firebreak.incidents.projection;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.firebreak.schemas.avro.AlertSummary;
import dev.firebreak.schemas.avro.Finding;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentEvent;

/**
 * Writes incidents and their events into the projection's tables, in one transaction per
 * batch. Every statement is an upsert guarded by the incident's version or the event's
 * sequence: an older version never overwrites a newer one, a repeated record changes
 * nothing, and replaying the topics rebuilds the same rows in any interleaving.
 */
@Component
public class ProjectionWriter {

	private static final String UPSERT_INCIDENT = """
			INSERT INTO incident (id, version, correlation_key, correlation_labels, title, severity, status,
			    flapping, in_maintenance, maintenance_window_id, escalation_level, assignee, acknowledged_by,
			    resolved_by, opened_at, acknowledged_at, resolved_at, updated_at, reopen_count, alert_count,
			    firing_count, resolved_count, instance_count, service_count, delivery_count, response_policy,
			    respond_by, next_escalation_at, snoozed_until, automation, grouping_rule, inhibition, inhibited_by,
			    inhibition_rule, findings)
			VALUES (:id, :version, :correlationKey, CAST(:correlationLabels AS jsonb), :title, :severity, :status,
			    :flapping, :inMaintenance, :maintenanceWindowId, :escalationLevel, :assignee, :acknowledgedBy,
			    :resolvedBy, :openedAt, :acknowledgedAt, :resolvedAt, :updatedAt, :reopenCount, :alertCount,
			    :firingCount, :resolvedCount, :instanceCount, :serviceCount, :deliveryCount, :responsePolicy,
			    :respondBy, :nextEscalationAt, :snoozedUntil, :automation, :groupingRule, :inhibition, :inhibitedBy,
			    :inhibitionRule, CAST(:findings AS jsonb))
			ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, correlation_key = EXCLUDED.correlation_key,
			    correlation_labels = EXCLUDED.correlation_labels, title = EXCLUDED.title,
			    severity = EXCLUDED.severity, status = EXCLUDED.status, flapping = EXCLUDED.flapping,
			    in_maintenance = EXCLUDED.in_maintenance, maintenance_window_id = EXCLUDED.maintenance_window_id,
			    escalation_level = EXCLUDED.escalation_level, assignee = EXCLUDED.assignee,
			    acknowledged_by = EXCLUDED.acknowledged_by, resolved_by = EXCLUDED.resolved_by,
			    opened_at = EXCLUDED.opened_at, acknowledged_at = EXCLUDED.acknowledged_at,
			    resolved_at = EXCLUDED.resolved_at, updated_at = EXCLUDED.updated_at,
			    reopen_count = EXCLUDED.reopen_count, alert_count = EXCLUDED.alert_count,
			    firing_count = EXCLUDED.firing_count, resolved_count = EXCLUDED.resolved_count,
			    instance_count = EXCLUDED.instance_count, service_count = EXCLUDED.service_count,
			    delivery_count = EXCLUDED.delivery_count, response_policy = EXCLUDED.response_policy,
			    respond_by = EXCLUDED.respond_by, next_escalation_at = EXCLUDED.next_escalation_at,
			    snoozed_until = EXCLUDED.snoozed_until, automation = EXCLUDED.automation,
			    grouping_rule = EXCLUDED.grouping_rule, inhibition = EXCLUDED.inhibition,
			    inhibited_by = EXCLUDED.inhibited_by, inhibition_rule = EXCLUDED.inhibition_rule,
			    findings = EXCLUDED.findings
			WHERE incident.version < EXCLUDED.version
			""";

	private static final String UPSERT_ALERT = """
			INSERT INTO incident_alert (incident_id, fingerprint, sequence, alertname, status, severity, labels,
			    annotations, starts_at, ends_at, generator_url, last_received_at)
			VALUES (:incidentId, :fingerprint, :sequence, :alertname, :status, :severity, CAST(:labels AS jsonb),
			    CAST(:annotations AS jsonb), :startsAt, :endsAt, :generatorUrl, :lastReceivedAt)
			ON CONFLICT (incident_id, fingerprint) DO UPDATE SET sequence = EXCLUDED.sequence,
			    alertname = EXCLUDED.alertname, status = EXCLUDED.status, severity = EXCLUDED.severity,
			    labels = EXCLUDED.labels, annotations = EXCLUDED.annotations, starts_at = EXCLUDED.starts_at,
			    ends_at = EXCLUDED.ends_at, generator_url = EXCLUDED.generator_url,
			    last_received_at = EXCLUDED.last_received_at
			WHERE incident_alert.sequence < EXCLUDED.sequence
			""";

	/**
	 * An alert an incident keeps, for a row no event wrote: sequence 0, so that any event
	 * of the alert overwrites it, whichever comes first.
	 */
	private static final String FILL_ALERT = """
			INSERT INTO incident_alert (incident_id, fingerprint, sequence, alertname, status, severity, labels,
			    annotations, starts_at, ends_at, generator_url, last_received_at)
			VALUES (:incidentId, :fingerprint, :sequence, :alertname, :status, :severity, CAST(:labels AS jsonb),
			    CAST(:annotations AS jsonb), :startsAt, :endsAt, :generatorUrl, :lastReceivedAt)
			ON CONFLICT (incident_id, fingerprint) DO NOTHING
			""";

	private static final String INSERT_EVENT = """
			INSERT INTO incident_event (incident_id, sequence, event_id, type, occurred_at, actor_kind, actor_name,
			    reason, details, command_id, alert_fingerprint, alertname)
			VALUES (:incidentId, :sequence, :eventId, :type, :occurredAt, :actorKind, :actorName, :reason,
			    CAST(:details AS jsonb), :commandId, :alertFingerprint, :alertname)
			ON CONFLICT (incident_id, sequence) DO NOTHING
			""";

	private static final String UPSERT_REMEDIATION = """
			INSERT INTO remediation (remediation_id, incident_id, sequence, status, runbook, action, target, attempt,
			    dry_run, reason, updated_at)
			VALUES (:remediationId, :incidentId, :sequence, :status, :runbook, :action, :target, :attempt, :dryRun,
			    :reason, :updatedAt)
			ON CONFLICT (remediation_id) DO UPDATE SET
			    sequence = GREATEST(remediation.sequence, EXCLUDED.sequence),
			    status = CASE WHEN EXCLUDED.sequence > remediation.sequence
			        THEN EXCLUDED.status ELSE remediation.status END,
			    reason = CASE WHEN EXCLUDED.sequence > remediation.sequence
			        THEN EXCLUDED.reason ELSE remediation.reason END,
			    updated_at = CASE WHEN EXCLUDED.sequence > remediation.sequence
			        THEN EXCLUDED.updated_at ELSE remediation.updated_at END,
			    runbook = COALESCE(remediation.runbook, EXCLUDED.runbook),
			    action = COALESCE(remediation.action, EXCLUDED.action),
			    target = COALESCE(remediation.target, EXCLUDED.target),
			    attempt = COALESCE(remediation.attempt, EXCLUDED.attempt),
			    dry_run = remediation.dry_run OR EXCLUDED.dry_run
			""";

	private static final String INSERT_NOTIFICATION = """
			INSERT INTO notification (incident_id, sequence, status, channel, event_sequence, target, message_id,
			    reason, occurred_at)
			VALUES (:incidentId, :sequence, :status, :channel, :eventSequence, :target, :messageId, :reason,
			    :occurredAt)
			ON CONFLICT (incident_id, sequence) DO NOTHING
			""";

	private static final String REMEDIATION_PREFIX = "REMEDIATION_";

	private static final String NOTIFICATION_PREFIX = "NOTIFICATION_";

	private final NamedParameterJdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final JsonMapper json;

	/** Alerts known to have a row: an incident's record need not fill them in. */
	private final KnownAlerts known = new KnownAlerts(KnownAlerts.DEFAULT_CAPACITY);

	public ProjectionWriter(NamedParameterJdbcTemplate jdbc, TransactionTemplate transactions, JsonMapper json) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.json = json;
	}

	/** Writes a batch: all of it, or (on an exception) none of it. */
	public void write(List<Incident> incidents, List<IncidentEvent> events) {
		Statements statements = new Statements();
		for (IncidentEvent event : events) {
			statements.event(event);
		}
		for (Incident incident : incidents) {
			statements.incident(incident, true);
		}
		this.transactions.executeWithoutResult((status) -> {
			batch(UPSERT_INCIDENT, statements.incidents.values());
			batch(UPSERT_ALERT, statements.alerts.values());
			batch(FILL_ALERT, statements.fills.values());
			batch(INSERT_EVENT, statements.events);
			// One statement each: the driver rewrites a batch into one multi-row INSERT
			// (reWriteBatchedInserts), and one statement cannot update a remediation
			// twice.
			statements.remediations.forEach((row) -> this.jdbc.update(UPSERT_REMEDIATION, row));
			batch(INSERT_NOTIFICATION, statements.notifications);
		});
		this.known.addAll(statements.alerts.keySet());
		this.known.addAll(statements.fills.keySet());
	}

	private void batch(String sql, Collection<SqlParameterSource> rows) {
		if (!rows.isEmpty()) {
			this.jdbc.batchUpdate(sql, rows.toArray(SqlParameterSource[]::new));
		}
	}

	/**
	 * The rows of one batch, per statement. Of an incident or an alert only its newest
	 * state in the batch is written: a storm updates one incident many times a second. An
	 * alert's row is its latest event's; an incident's record only fills in a row for an
	 * alert no event wrote (its events expired before a rebuild), and not at all for one
	 * known to have a row: a record keeps up to {@code alerts-kept} alerts, and rewriting
	 * them all on every change was most of the projection's cost.
	 */
	private final class Statements {

		private final Map<String, SqlParameterSource> incidents = new HashMap<>();

		private final Map<String, Long> incidentVersions = new HashMap<>();

		private final Map<String, SqlParameterSource> alerts = new HashMap<>();

		private final Map<String, Long> alertSequences = new HashMap<>();

		private final Map<String, SqlParameterSource> fills = new HashMap<>();

		private final List<SqlParameterSource> events = new ArrayList<>();

		private final List<SqlParameterSource> remediations = new ArrayList<>();

		private final List<SqlParameterSource> notifications = new ArrayList<>();

		/**
		 * The incident's row and, with {@code withAlerts}, the rows of the alerts it
		 * keeps; each of an event's alerts comes with its own event.
		 */
		void incident(Incident incident, boolean withAlerts) {
			if (withAlerts) {
				// Whether or not an event of its version came first: that event wrote
				// its own alert only.
				for (AlertSummary alert : incident.getFirstAlerts()) {
					fill(incident.getId(), alert);
				}
				for (AlertSummary alert : incident.getRecentAlerts()) {
					fill(incident.getId(), alert);
				}
			}
			if (!newer(this.incidentVersions, incident.getId(), incident.getVersion())) {
				return;
			}
			this.incidents.put(incident.getId(),
					new MapSqlParameterSource().addValue("id", incident.getId())
						.addValue("version", incident.getVersion())
						.addValue("correlationKey", incident.getCorrelationKey())
						.addValue("correlationLabels", json(incident.getCorrelationLabels()))
						.addValue("title", incident.getTitle())
						.addValue("severity", incident.getSeverity().name())
						.addValue("status", incident.getStatus().name())
						.addValue("flapping", incident.getFlapping())
						.addValue("inMaintenance", incident.getInMaintenance())
						.addValue("maintenanceWindowId", incident.getMaintenanceWindowId())
						.addValue("escalationLevel", incident.getEscalationLevel().name())
						.addValue("assignee", incident.getAssignee())
						.addValue("acknowledgedBy", incident.getAcknowledgedBy())
						.addValue("resolvedBy", incident.getResolvedBy())
						.addValue("openedAt", timestamp(incident.getOpenedAt()))
						.addValue("acknowledgedAt", timestamp(incident.getAcknowledgedAt()))
						.addValue("resolvedAt", timestamp(incident.getResolvedAt()))
						.addValue("updatedAt", timestamp(incident.getUpdatedAt()))
						.addValue("reopenCount", incident.getReopenCount())
						.addValue("alertCount", incident.getCounts().getAlerts())
						.addValue("firingCount", incident.getCounts().getFiring())
						.addValue("resolvedCount", incident.getCounts().getResolved())
						.addValue("instanceCount", incident.getCounts().getInstances())
						.addValue("serviceCount", incident.getCounts().getServices())
						.addValue("deliveryCount", incident.getCounts().getDeliveries())
						.addValue("responsePolicy", incident.getResponsePolicy())
						.addValue("respondBy", timestamp(incident.getRespondBy()))
						.addValue("nextEscalationAt", timestamp(incident.getNextEscalationAt()))
						.addValue("snoozedUntil", timestamp(incident.getSnoozedUntil()))
						.addValue("automation", incident.getAutomation().name())
						.addValue("groupingRule", incident.getGroupingRule())
						.addValue("inhibition", incident.getInhibition().name())
						.addValue("inhibitedBy", incident.getInhibitedBy())
						.addValue("inhibitionRule", incident.getInhibitionRule())
						.addValue("findings", findings(incident.getFindings())));
		}

		private void fill(String incidentId, AlertSummary alert) {
			String key = alertKey(incidentId, alert);
			if (!this.alerts.containsKey(key) && !ProjectionWriter.this.known.contains(key)) {
				this.fills.computeIfAbsent(key, (unused) -> alertRow(incidentId, 0, alert));
			}
		}

		void event(IncidentEvent event) {
			incident(event.getIncident(), false);
			AlertSummary alert = event.getAlert();
			if (alert != null) {
				alert(event.getIncidentId(), event.getSequence(), alert);
			}
			this.events.add(new MapSqlParameterSource().addValue("incidentId", event.getIncidentId())
				.addValue("sequence", event.getSequence())
				.addValue("eventId", event.getEventId())
				.addValue("type", event.getType().name())
				.addValue("occurredAt", timestamp(event.getOccurredAt()))
				.addValue("actorKind", event.getActor().getKind().name())
				.addValue("actorName", event.getActor().getName())
				.addValue("reason", event.getReason())
				.addValue("details", json(event.getDetails()))
				.addValue("commandId", event.getCommandId())
				.addValue("alertFingerprint", (alert != null) ? alert.getFingerprint() : null)
				.addValue("alertname", (alert != null) ? alert.getAlertname() : null));
			String type = event.getType().name();
			Map<String, String> details = event.getDetails();
			if (type.startsWith(REMEDIATION_PREFIX) && details.get("remediationId") != null) {
				this.remediations
					.add(new MapSqlParameterSource().addValue("remediationId", details.get("remediationId"))
						.addValue("incidentId", event.getIncidentId())
						.addValue("sequence", event.getSequence())
						.addValue("status", type.substring(REMEDIATION_PREFIX.length()))
						.addValue("runbook", details.get("runbook"))
						.addValue("action", details.get("action"))
						.addValue("target", details.get("target"))
						.addValue("attempt", integer(details.get("attempt")))
						.addValue("dryRun", Boolean.parseBoolean(details.get("dryRun")))
						.addValue("reason", event.getReason())
						.addValue("updatedAt", timestamp(event.getOccurredAt())));
			}
			if (type.startsWith(NOTIFICATION_PREFIX)) {
				String eventSequence = details.get("eventSequence");
				this.notifications.add(new MapSqlParameterSource().addValue("incidentId", event.getIncidentId())
					.addValue("sequence", event.getSequence())
					.addValue("status", type.substring(NOTIFICATION_PREFIX.length()))
					.addValue("channel", details.getOrDefault("channel", "UNRECOGNIZED"))
					.addValue("eventSequence", (eventSequence != null) ? Long.valueOf(eventSequence) : null)
					.addValue("target", details.get("target"))
					.addValue("messageId", details.get("messageId"))
					.addValue("reason", event.getReason())
					.addValue("occurredAt", timestamp(event.getOccurredAt())));
			}
		}

		private void alert(String incidentId, long sequence, AlertSummary alert) {
			String key = alertKey(incidentId, alert);
			if (newer(this.alertSequences, key, sequence)) {
				this.alerts.put(key, alertRow(incidentId, sequence, alert));
			}
		}

		private SqlParameterSource alertRow(String incidentId, long sequence, AlertSummary alert) {
			return new MapSqlParameterSource().addValue("incidentId", incidentId)
				.addValue("fingerprint", alert.getFingerprint())
				.addValue("sequence", sequence)
				.addValue("alertname", alert.getAlertname())
				.addValue("status", alert.getStatus().name())
				.addValue("severity", alert.getSeverity().name())
				.addValue("labels", json(alert.getLabels()))
				.addValue("annotations", json(alert.getAnnotations()))
				.addValue("startsAt", timestamp(alert.getStartsAt()))
				.addValue("endsAt", timestamp(alert.getEndsAt()))
				.addValue("generatorUrl", alert.getGeneratorURL())
				.addValue("lastReceivedAt", timestamp(alert.getLastReceivedAt()));
		}

	}

	private static String alertKey(String incidentId, AlertSummary alert) {
		return incidentId + '/' + alert.getFingerprint();
	}

	/** Whether the version is newer than any seen for the key in this batch; notes it. */
	private static boolean newer(Map<String, Long> versions, String key, long version) {
		Long seen = versions.get(key);
		if (seen != null && seen >= version) {
			return false;
		}
		versions.put(key, version);
		return true;
	}

	private String json(Map<String, String> map) {
		return this.json.writeValueAsString(map);
	}

	/** The incident's findings as the API shows them, newest first. */
	private String findings(List<Finding> findings) {
		return this.json.writeValueAsString(findings.stream().map(FindingRow::of).toList());
	}

	/** One finding in the {@code findings} column. */
	private record FindingRow(String remediationId, String runbook, String step, boolean succeeded, String summary,
			String output, String collectedAt) {

		static FindingRow of(Finding finding) {
			return new FindingRow(finding.getRemediationId(), finding.getRunbookId(), finding.getStep(),
					finding.getSucceeded(), finding.getSummary(), finding.getOutput(),
					finding.getCollectedAt().toString());
		}

	}

	private static Timestamp timestamp(Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

	private static Integer integer(String value) {
		try {
			return (value != null) ? Integer.valueOf(value) : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
