package dev.firebreak.incidents.api;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import dev.firebreak.incidents.api.IncidentViews.Alert;
import dev.firebreak.incidents.api.IncidentViews.Counts;
import dev.firebreak.incidents.api.IncidentViews.Escalation;
import dev.firebreak.incidents.api.IncidentViews.Finding;
import dev.firebreak.incidents.api.IncidentViews.IncidentDetail;
import dev.firebreak.incidents.api.IncidentViews.Inhibition;
import dev.firebreak.incidents.api.IncidentViews.IncidentSummary;
import dev.firebreak.incidents.api.IncidentViews.OpenIncident;
import dev.firebreak.incidents.api.IncidentViews.Page;
import dev.firebreak.incidents.api.IncidentViews.Remediation;
import dev.firebreak.incidents.api.IncidentViews.Stats;
import dev.firebreak.incidents.api.IncidentViews.TimelineEntry;
import dev.firebreak.schemas.avro.LabelMatcher;
import dev.firebreak.schemas.avro.MatchOperator;

/** The API's reads from the projection's tables. */
@Component
public class IncidentQueries {

	private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
	};

	private static final TypeReference<List<Finding>> FINDINGS = new TypeReference<>() {
	};

	private static final String SUMMARY_COLUMNS = """
			i.id, i.title, i.severity, i.status, i.escalation_level, i.flapping, i.in_maintenance, i.assignee,
			i.correlation_labels, i.opened_at, i.acknowledged_at, i.resolved_at, i.updated_at, i.version,
			i.alert_count, i.firing_count, i.resolved_count, i.instance_count, i.service_count, i.delivery_count""";

	private final NamedParameterJdbcTemplate jdbc;

	private final JsonMapper json;

	/** Alerts shown with an incident; the rest are a page of {@link #alerts} away. */
	static final int ALERTS_SHOWN = 500;

	/** The most rows one page of alerts or of the timeline holds. */
	public static final int MAX_PAGE = 1000;

	IncidentQueries(DataSource dataSource, ApiProperties properties, JsonMapper json) {
		JdbcTemplate bounded = new JdbcTemplate(dataSource);
		bounded.setQueryTimeout(properties.statementTimeoutSeconds());
		this.jdbc = new NamedParameterJdbcTemplate(bounded);
		this.json = json;
	}

	public Page list(IncidentFilter filter) {
		MapSqlParameterSource parameters = new MapSqlParameterSource();
		List<String> conditions = new ArrayList<>();
		if (!filter.statuses().isEmpty()) {
			conditions.add("i.status IN (:statuses)");
			parameters.addValue("statuses", filter.statuses().stream().map(Enum::name).toList());
		}
		if (!filter.severities().isEmpty()) {
			conditions.add("i.severity IN (:severities)");
			parameters.addValue("severities", filter.severities().stream().map(Enum::name).toList());
		}
		if (filter.from() != null) {
			conditions.add("i.opened_at >= :from");
			parameters.addValue("from", Timestamp.from(filter.from()));
		}
		if (filter.to() != null) {
			conditions.add("i.opened_at < :to");
			parameters.addValue("to", Timestamp.from(filter.to()));
		}
		if (filter.text() != null) {
			conditions.add("i.title ILIKE :text");
			parameters.addValue("text",
					"%" + filter.text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
		}
		if (!filter.matchers().isEmpty()) {
			conditions.add(matcherCondition(filter.matchers(), parameters));
		}
		IncidentFilter.Cursor after = filter.after();
		if (after != null) {
			parameters.addValue("afterOpenedAt", Timestamp.from(after.openedAt()))
				.addValue("afterId", after.id())
				.addValue("afterSeverity", after.severity());
			conditions
				.add((filter.sort() == IncidentFilter.Sort.TIME) ? "(i.opened_at, i.id) < (:afterOpenedAt, :afterId)"
						: "(i.severity > :afterSeverity OR (i.severity = :afterSeverity"
								+ " AND (i.opened_at, i.id) < (:afterOpenedAt, :afterId)))");
		}
		String order = (filter.sort() == IncidentFilter.Sort.TIME) ? "i.opened_at DESC, i.id DESC"
				: "i.severity ASC, i.opened_at DESC, i.id DESC";
		parameters.addValue("limit", filter.limit() + 1);
		String sql = "SELECT " + SUMMARY_COLUMNS + " FROM incident i"
				+ (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions)) + " ORDER BY " + order
				+ " LIMIT :limit";
		List<IncidentSummary> rows = this.jdbc.query(sql, parameters, this::summary);
		if (rows.size() <= filter.limit()) {
			return new Page(rows, null);
		}
		List<IncidentSummary> page = rows.subList(0, filter.limit());
		IncidentSummary last = page.get(page.size() - 1);
		return new Page(List.copyOf(page),
				new IncidentFilter.Cursor(filter.sort(), last.severity(), last.openedAt(), last.id()).encode());
	}

	/**
	 * One of the incident's alerts satisfies every matcher. Equality matchers become one
	 * containment test, which the labels' GIN index answers without visiting every
	 * incident.
	 */
	private String matcherCondition(List<LabelMatcher> matchers, MapSqlParameterSource parameters) {
		Map<String, String> equal = new LinkedHashMap<>();
		List<String> conditions = new ArrayList<>();
		for (int i = 0; i < matchers.size(); i++) {
			LabelMatcher matcher = matchers.get(i);
			if (matcher.getOperator() == MatchOperator.EQUAL && !matcher.getValue().isEmpty()
					&& !equal.containsKey(matcher.getName())) {
				equal.put(matcher.getName(), matcher.getValue());
				continue;
			}
			String name = "matcherName" + i;
			String value = "matcherValue" + i;
			parameters.addValue(name, matcher.getName()).addValue(value, matcher.getValue());
			String label = "COALESCE(a.labels ->> :" + name + ", '')";
			conditions.add(switch (matcher.getOperator()) {
				case EQUAL -> label + " = :" + value;
				case NOT_EQUAL -> label + " <> :" + value;
				case REGEX -> label + " ~ ('^(?:' || :" + value + " || ')$')";
				case NOT_REGEX -> label + " !~ ('^(?:' || :" + value + " || ')$')";
			});
		}
		if (!equal.isEmpty()) {
			parameters.addValue("matcherLabels", this.json.writeValueAsString(equal));
			conditions.add(0, "a.labels @> CAST(:matcherLabels AS jsonb)");
		}
		return "i.id IN (SELECT a.incident_id FROM incident_alert a WHERE " + String.join(" AND ", conditions) + ")";
	}

	public Optional<IncidentDetail> find(String id) {
		List<IncidentDetail> found = this.jdbc.query("SELECT " + SUMMARY_COLUMNS
				+ ", i.maintenance_window_id, i.acknowledged_by, i.resolved_by, i.correlation_key, i.reopen_count,"
				+ " i.response_policy, i.respond_by, i.next_escalation_at, i.snoozed_until, i.automation,"
				+ " i.grouping_rule, i.inhibition, i.inhibited_by, i.inhibition_rule, i.findings"
				+ " FROM incident i WHERE i.id = :id", Map.of("id", id), (row, n) -> {
					IncidentSummary summary = summary(row, n);
					return new IncidentDetail(summary.id(), summary.title(), summary.severity(), summary.status(),
							summary.escalationLevel(), summary.flapping(), summary.inMaintenance(),
							row.getString("maintenance_window_id"), summary.assignee(),
							row.getString("acknowledged_by"), row.getString("resolved_by"),
							row.getString("correlation_key"), summary.correlationLabels(), summary.openedAt(),
							summary.acknowledgedAt(), summary.resolvedAt(), summary.updatedAt(),
							row.getInt("reopen_count"), summary.version(), summary.counts(),
							new Escalation(row.getString("response_policy"), instant(row, "respond_by"),
									instant(row, "next_escalation_at"), instant(row, "snoozed_until"),
									row.getString("automation")),
							row.getString("grouping_rule"), new Inhibition(row.getString("inhibition"),
									row.getString("inhibited_by"), row.getString("inhibition_rule"), inhibits(id)),
							findings(row), firstAlerts(id));
				});
		return found.stream().findFirst();
	}

	/** What runbooks' diagnostic steps found, newest first, as the incident keeps it. */
	private List<Finding> findings(ResultSet row) throws SQLException {
		return this.json.readValue(row.getString("findings"), FINDINGS);
	}

	/** The incidents inhibited by this one, oldest first. */
	private List<String> inhibits(String incidentId) {
		return this.jdbc.queryForList(
				"SELECT id FROM incident WHERE inhibited_by = :id ORDER BY opened_at, id LIMIT 100",
				Map.of("id", incidentId), String.class);
	}

	/** The status of an incident, if the projection has it. */
	public Optional<String> status(String id) {
		return this.jdbc.queryForList("SELECT status FROM incident WHERE id = :id", Map.of("id", id), String.class)
			.stream()
			.findFirst();
	}

	/** Whether the projection has the incident inhibited, or waiting for a cause. */
	boolean inhibited(String id) {
		return !this.jdbc
			.queryForList("SELECT 1 FROM incident WHERE id = :id AND inhibition IN ('INHIBITED', 'PENDING')",
					Map.of("id", id), Integer.class)
			.isEmpty();
	}

	/**
	 * Each unresolved incident with the labels of its most recently received alert, as
	 * the topology matches maintenance windows against them; at most {@link #MAX_PAGE},
	 * the most recently updated first.
	 */
	public List<OpenIncident> openIncidents() {
		return this.jdbc.query("""
				SELECT i.id, i.title, i.severity, i.status, latest.labels
				FROM incident i
				CROSS JOIN LATERAL (SELECT a.labels FROM incident_alert a WHERE a.incident_id = i.id
				    ORDER BY a.last_received_at DESC, a.fingerprint LIMIT 1) latest
				WHERE i.status <> 'RESOLVED' ORDER BY i.updated_at DESC LIMIT :limit
				""", Map.of("limit", MAX_PAGE), (row, n) -> new OpenIncident(row.getString("id"),
				row.getString("title"), row.getString("severity"), row.getString("status"), map(row, "labels")));
	}

	/** The incident's first alerts to start, at most {@link #ALERTS_SHOWN}. */
	private List<Alert> firstAlerts(String incidentId) {
		return this.jdbc.query("SELECT " + ALERT_COLUMNS + """
				 FROM incident_alert WHERE incident_id = :id ORDER BY starts_at, fingerprint LIMIT :limit
				""", Map.of("id", incidentId, "limit", ALERTS_SHOWN), this.alertRow);
	}

	/** A page of the incident's alerts, by fingerprint, after the one given. */
	List<Alert> alerts(String incidentId, String afterFingerprint, int limit) {
		return this.jdbc.query("SELECT " + ALERT_COLUMNS + """
				 FROM incident_alert WHERE incident_id = :id AND fingerprint > :after ORDER BY fingerprint LIMIT :limit
				""", Map.of("id", incidentId, "after", afterFingerprint, "limit", limit), this.alertRow);
	}

	private static final String ALERT_COLUMNS = """
			fingerprint, alertname, status, severity, labels, annotations, starts_at, ends_at, generator_url,
			    last_received_at""";

	private final RowMapper<Alert> alertRow = (row, n) -> new Alert(row.getString("fingerprint"),
			row.getString("alertname"), row.getString("status"), row.getString("severity"), map(row, "labels"),
			map(row, "annotations"), instant(row, "starts_at"), instant(row, "ends_at"), row.getString("generator_url"),
			instant(row, "last_received_at"));

	/** A page of the timeline: the events after a sequence, in order. */
	public List<TimelineEntry> timeline(String incidentId, long afterSequence, int limit) {
		return this.jdbc.query("""
				SELECT sequence, occurred_at, type, actor_kind, actor_name, reason, details, command_id,
				    alert_fingerprint, alertname
				FROM incident_event WHERE incident_id = :id AND sequence > :after ORDER BY sequence LIMIT :limit
				""", Map.of("id", incidentId, "after", afterSequence, "limit", limit),
				(row, n) -> new TimelineEntry(row.getLong("sequence"), instant(row, "occurred_at"),
						row.getString("type"), row.getString("actor_kind"), row.getString("actor_name"),
						row.getString("reason"), map(row, "details"), row.getString("command_id"),
						row.getString("alert_fingerprint"), row.getString("alertname")));
	}

	public Optional<Remediation> remediation(String remediationId) {
		return this.jdbc
			.query("""
					SELECT remediation_id, incident_id, status, runbook, action, target, attempt, dry_run, reason, updated_at
					FROM remediation WHERE remediation_id = :id
					""",
					Map.of("id", remediationId), REMEDIATION)
			.stream()
			.findFirst();
	}

	public List<Remediation> remediations(String incidentId) {
		return this.jdbc.query(
				"""
						SELECT remediation_id, incident_id, status, runbook, action, target, attempt, dry_run, reason, updated_at
						FROM remediation WHERE incident_id = :id ORDER BY updated_at, remediation_id LIMIT :limit
						""",
				Map.of("id", incidentId, "limit", MAX_PAGE), REMEDIATION);
	}

	private static final RowMapper<Remediation> REMEDIATION = (row, n) -> new Remediation(
			row.getString("remediation_id"), row.getString("incident_id"), row.getString("status"),
			row.getString("runbook"), row.getString("action"), row.getString("target"),
			(Integer) row.getObject("attempt"), row.getBoolean("dry_run"), row.getString("reason"),
			instant(row, "updated_at"));

	Stats stats(Instant from, Instant to) {
		MapSqlParameterSource range = new MapSqlParameterSource().addValue("from", Timestamp.from(from))
			.addValue("to", Timestamp.from(to));
		String opened = " FROM incident WHERE opened_at >= :from AND opened_at < :to";
		Map<String, Long> bySeverity = new LinkedHashMap<>();
		this.jdbc.query("SELECT severity, count(*) AS n" + opened + " GROUP BY severity ORDER BY severity", range,
				(row) -> {
					bySeverity.put(row.getString("severity"), row.getLong("n"));
				});
		Map<String, Object> incidents = this.jdbc.queryForMap("""
				SELECT count(*) AS incidents,
				    avg(EXTRACT(EPOCH FROM acknowledged_at - opened_at)) AS mtta,
				    avg(EXTRACT(EPOCH FROM resolved_at - opened_at)) AS mttr,
				    avg(alert_count) AS alerts, avg(delivery_count) AS deliveries
				""" + opened, range);
		Map<String, Object> remediations = this.jdbc.queryForMap("""
				SELECT count(*) FILTER (WHERE r.status IN ('SUCCEEDED', 'FAILED', 'OUTCOME_UNKNOWN')) AS finished,
				    count(*) FILTER (WHERE r.status = 'SUCCEEDED') AS succeeded
				FROM remediation r JOIN incident i ON i.id = r.incident_id
				WHERE i.opened_at >= :from AND i.opened_at < :to AND NOT r.dry_run
				""", range);
		Map<String, Object> notifications = this.jdbc.queryForMap("""
				SELECT count(*) FILTER (WHERE n.status = 'SENT') AS sent,
				    count(*) FILTER (WHERE n.status = 'SUPPRESSED') AS suppressed,
				    count(*) FILTER (WHERE n.status = 'FAILED') AS failed
				FROM notification n JOIN incident i ON i.id = n.incident_id
				WHERE i.opened_at >= :from AND i.opened_at < :to
				""", range);
		long finished = number(remediations.get("finished")).longValue();
		long succeeded = number(remediations.get("succeeded")).longValue();
		return new Stats(from, to, number(incidents.get("incidents")).longValue(), bySeverity,
				decimal(incidents.get("mtta")), decimal(incidents.get("mttr")), finished, succeeded,
				(finished > 0) ? (double) succeeded / finished : null, decimal(incidents.get("alerts")),
				decimal(incidents.get("deliveries")), number(notifications.get("sent")).longValue(),
				number(notifications.get("suppressed")).longValue(), number(notifications.get("failed")).longValue());
	}

	private IncidentSummary summary(ResultSet row, int n) throws SQLException {
		return new IncidentSummary(row.getString("id"), row.getString("title"), row.getString("severity"),
				row.getString("status"), row.getString("escalation_level"), row.getBoolean("flapping"),
				row.getBoolean("in_maintenance"), row.getString("assignee"), map(row, "correlation_labels"),
				instant(row, "opened_at"), instant(row, "acknowledged_at"), instant(row, "resolved_at"),
				instant(row, "updated_at"), row.getLong("version"),
				new Counts(row.getInt("alert_count"), row.getInt("firing_count"), row.getInt("resolved_count"),
						row.getInt("instance_count"), row.getInt("service_count"), row.getLong("delivery_count")));
	}

	private Map<String, String> map(ResultSet row, String column) throws SQLException {
		String value = row.getString(column);
		return (value != null) ? this.json.readValue(value, STRING_MAP) : Map.of();
	}

	private static Instant instant(ResultSet row, String column) throws SQLException {
		Timestamp timestamp = row.getTimestamp(column);
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	private static Number number(Object value) {
		return (value != null) ? (Number) value : 0;
	}

	private static Double decimal(Object value) {
		return (value != null) ? ((Number) value).doubleValue() : null;
	}

}
