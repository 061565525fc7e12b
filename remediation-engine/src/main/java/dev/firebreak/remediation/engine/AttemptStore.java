package dev.firebreak.remediation.engine;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import dev.firebreak.platform.CommandOutbox;
import dev.firebreak.schemas.avro.IncidentCommand;

/**
 * The engine's durable memory in PostgreSQL: every remediation, written and committed
 * before its action runs, its outcomes put in the {@link CommandOutbox} in the same
 * transaction; open circuit breakers; the kill switch. Shared by every engine instance:
 * an attempt that runs is leased to its engine (on PostgreSQL's clock), the end of a run
 * is recorded only by the engine that holds it, and runs are admitted under one lock.
 */
public class AttemptStore {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<Map<String, String>> VALUES = new TypeReference<>() {
	};

	private static final String COLUMNS = """
			remediation_id, incident_id, event_sequence, runbook_id, alert_fingerprint, target, attempt, retries, status,
			dry_run, template_values::text AS template_values, owner, reason, action_summary, created_at, started_at,
			finished_at, verify_deadline, resolved_at""";

	private static final String KILL_SWITCH = "kill-switch";

	/**
	 * The key of the advisory lock every engine takes to admit a run ("FBREMADM"): what
	 * one engine counts and records under it, the next one sees before it counts.
	 */
	static final long ADMISSION_LOCK = 0x4642_5245_4D41_444DL;

	/** A fresh lease, on PostgreSQL's clock. */
	private static final String NEW_LEASE = "clock_timestamp() + :leaseMillis * interval '1 millisecond'";

	/**
	 * A row's lease as it changes: set when it enters STARTED or GATHERING (an approval,
	 * a retry after a failed verification), kept otherwise.
	 */
	private static final String LEASE_ON_ENTRY = "CASE WHEN :status IN ('STARTED', 'GATHERING') "
			+ "AND status NOT IN ('STARTED', 'GATHERING') THEN " + NEW_LEASE + " ELSE lease_until END";

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final CommandOutbox outbox;

	private final Duration lease;

	/**
	 * @param lease how long an engine holds an attempt it runs without renewing it
	 */
	public AttemptStore(DataSource dataSource, CommandOutbox outbox, Duration lease) {
		this.jdbc = JdbcClient.create(dataSource);
		this.outbox = outbox;
		this.lease = lease;
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
	}

	/** A change to a remediation, with the outcomes that report it, oldest first. */
	record Change(Attempt next, List<IncidentCommand> outcomes) {

		Change(Attempt next, IncidentCommand outcome) {
			this(next, (outcome != null) ? List.of(outcome) : List.of());
		}

	}

	boolean exists(String remediationId) {
		return this.jdbc.sql("SELECT count(*) FROM attempt WHERE remediation_id = ?")
			.param(remediationId)
			.query(Integer.class)
			.single() > 0;
	}

	Optional<Attempt> find(String remediationId) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM attempt WHERE remediation_id = ?")
			.param(remediationId)
			.query(AttemptStore::attempt)
			.optional();
	}

	/**
	 * Records a new remediation and its outcome, unless one with its id exists.
	 * @return whether it was new
	 */
	boolean create(Attempt attempt, IncidentCommand outcome) {
		Boolean created = this.transactions.execute((status) -> {
			int rows = this.jdbc
				.sql("""
						INSERT INTO attempt (remediation_id, incident_id, event_sequence, runbook_id, alert_fingerprint,
						    target, attempt, retries, status, dry_run, template_values, owner, reason, action_summary, created_at,
						    started_at, finished_at, verify_deadline, resolved_at, lease_until)
						VALUES (:remediationId, :incidentId, :eventSequence, :runbookId, :alertFingerprint, :target, :attempt,
						    :retries, :status, :dryRun, CAST(:values AS jsonb), :owner, :reason, :actionSummary, :createdAt, :startedAt,
						    :finishedAt, :verifyDeadline, :resolvedAt,
						    CASE WHEN :status IN ('STARTED', 'GATHERING') THEN %s END)
						ON CONFLICT (remediation_id) DO NOTHING"""
					.formatted(NEW_LEASE))
				.params(columns(attempt))
				.param("leaseMillis", this.lease.toMillis())
				.update();
			if (rows == 1 && outcome != null) {
				this.outbox.enqueue(outcome);
			}
			return rows == 1;
		});
		return Boolean.TRUE.equals(created);
	}

	/**
	 * Changes a remediation under a row lock, so that an action finishing and its alert
	 * resolving at the same moment see each other.
	 * @param change the change for the locked row, or empty for none
	 * @return the row as it is after the call, if there is one
	 */
	Optional<Attempt> update(String remediationId, Function<Attempt, Optional<Change>> change) {
		return update(remediationId, null, change);
	}

	/**
	 * The same, fenced: only while {@code owner} owns the row. A row another engine took
	 * over (the lease ran out) is left as it is and nothing is reported.
	 * @param owner the engine that must own the row, or {@code null} for any
	 * @return the row as it is after the call; empty when there is none, or another
	 * engine owns it
	 */
	Optional<Attempt> update(String remediationId, String owner, Function<Attempt, Optional<Change>> change) {
		return this.transactions.execute((status) -> {
			Optional<Attempt> current = this.jdbc
				.sql("SELECT " + COLUMNS + " FROM attempt WHERE remediation_id = :remediationId "
						+ "AND (CAST(:fence AS text) IS NULL OR owner = :fence) FOR UPDATE")
				.param("remediationId", remediationId)
				.param("fence", owner)
				.query(AttemptStore::attempt)
				.optional();
			if (current.isEmpty()) {
				return current;
			}
			Optional<Change> next = change.apply(current.get());
			if (next.isEmpty()) {
				return current;
			}
			int rows = this.jdbc
				.sql("""
						UPDATE attempt SET target = :target, attempt = :attempt, retries = :retries, status = :status, owner = :owner,
						    reason = :reason, action_summary = :actionSummary, started_at = :startedAt,
						    finished_at = :finishedAt, verify_deadline = :verifyDeadline, resolved_at = :resolvedAt,
						    lease_until = %s
						WHERE remediation_id = :remediationId AND (CAST(:fence AS text) IS NULL OR owner = :fence)"""
					.formatted(LEASE_ON_ENTRY))
				.params(columns(next.get().next()))
				.param("leaseMillis", this.lease.toMillis())
				.param("fence", owner)
				.update();
			if (rows == 0) {
				return Optional.<Attempt>empty();
			}
			next.get().outcomes().forEach(this.outbox::enqueue);
			return Optional.of(next.get().next());
		});
	}

	/**
	 * Runs {@code admission} in one transaction that holds the engines' admission lock (a
	 * PostgreSQL advisory lock, the same for every engine on the database): what it
	 * counts ({@link #running()}, {@link #lastStart}) stays true until what it records is
	 * committed, so that two engines never both pass a cluster-wide limit.
	 */
	<T> T admitting(Supplier<T> admission) {
		return this.transactions.execute((status) -> {
			this.jdbc.sql("SELECT 1 FROM pg_advisory_xact_lock(?)").param(ADMISSION_LOCK).query(Integer.class).single();
			return admission.get();
		});
	}

	/** Attempts running now on any engine: STARTED or GATHERING, their lease live. */
	int running() {
		return this.jdbc
			.sql("SELECT count(*) FROM attempt "
					+ "WHERE status IN ('STARTED', 'GATHERING') AND lease_until >= clock_timestamp()")
			.query(Integer.class)
			.single();
	}

	/**
	 * Renews the lease of a remediation the engine runs.
	 * @return whether the engine still holds it: false once another engine took it over
	 * or it is no longer running
	 */
	boolean renew(String remediationId, String owner) {
		return renew(owner, List.of(remediationId)) == 1;
	}

	/**
	 * Renews the leases of the remediations the engine runs.
	 * @return how many of them it still holds
	 */
	int renew(String owner, Collection<String> remediationIds) {
		if (remediationIds.isEmpty()) {
			return 0;
		}
		return this.jdbc
			.sql("UPDATE attempt SET lease_until = " + NEW_LEASE
					+ " WHERE remediation_id IN (:ids) AND owner = :owner AND status IN ('STARTED', 'GATHERING')")
			.param("leaseMillis", this.lease.toMillis())
			.param("ids", List.copyOf(remediationIds))
			.param("owner", owner)
			.update();
	}

	/**
	 * Takes over, in one statement, the remediations whose engine stopped renewing their
	 * lease (or that have none, from before leases): they become the owner's, leased
	 * anew. Two engines taking over at the same moment never take the same row; a row
	 * whose lease is live, or that its engine is changing right now, is left alone.
	 * @param owner the engine taking them over
	 * @param running what that engine runs itself now: never taken from itself
	 * @return the rows taken over, as they are now
	 */
	List<Attempt> takeOver(String owner, Collection<String> running) {
		// IN () is no SQL, and no remediation id is empty.
		List<String> excluded = new ArrayList<>(running);
		excluded.add("");
		return this.jdbc
			.sql("""
					WITH expired AS (
					    SELECT remediation_id AS expired_id FROM attempt
					    WHERE status IN ('STARTED', 'GATHERING') AND (lease_until IS NULL OR lease_until < clock_timestamp())
					      AND remediation_id NOT IN (:running)
					    FOR UPDATE SKIP LOCKED)
					UPDATE attempt SET owner = :owner, lease_until = %s
					FROM expired WHERE remediation_id = expired_id
					RETURNING %s"""
				.formatted(NEW_LEASE, COLUMNS))
			.param("running", excluded)
			.param("owner", owner)
			.param("leaseMillis", this.lease.toMillis())
			.query(AttemptStore::attempt)
			.list();
	}

	/**
	 * The ids of the remediations not yet final that answer this alert of this incident.
	 */
	List<String> open(String incidentId, String alertFingerprint) {
		return this.jdbc
			.sql("""
					SELECT remediation_id FROM attempt
					WHERE incident_id = ? AND alert_fingerprint = ? AND status IN ('AWAITING_APPROVAL', 'STARTED', 'VERIFYING')
					ORDER BY created_at""")
			.params(incidentId, alertFingerprint)
			.query(String.class)
			.list();
	}

	/** The ids of the remediations whose alert did not resolve in time. */
	List<String> verificationExpired(Instant now) {
		return this.jdbc
			.sql("SELECT remediation_id FROM attempt WHERE status = 'VERIFYING' AND verify_deadline <= ? "
					+ "ORDER BY verify_deadline LIMIT 1000")
			.param(Timestamp.from(now))
			.query(String.class)
			.list();
	}

	/** How many times the runbook has run for the incident. */
	int attempts(String incidentId, String runbookId) {
		return this.jdbc
			.sql("SELECT coalesce(max(attempt), 0) FROM attempt "
					+ "WHERE incident_id = ? AND runbook_id = ? AND started_at IS NOT NULL")
			.params(incidentId, runbookId)
			.query(Integer.class)
			.single();
	}

	/** When the runbook last ran on the target, for any incident. */
	Instant lastStart(String runbookId, String target) {
		Timestamp last = this.jdbc
			.sql("SELECT max(started_at) FROM attempt WHERE runbook_id = ? AND target = ? AND NOT dry_run")
			.params(runbookId, target)
			.query((row, number) -> row.getTimestamp(1))
			.list()
			.get(0);
		return (last != null) ? last.toInstant() : null;
	}

	/** Failed and unknown outcomes of the runbook since then. */
	int failuresSince(String runbookId, Instant since) {
		return this.jdbc
			.sql("""
					SELECT count(*) FROM attempt
					WHERE runbook_id = ? AND status IN ('FAILED', 'OUTCOME_UNKNOWN') AND finished_at > ?
					  AND finished_at > coalesce((SELECT changed_at FROM circuit WHERE runbook_id = ? AND NOT open), '-infinity')""")
			.params(runbookId, Timestamp.from(since), runbookId)
			.query(Integer.class)
			.single();
	}

	/** Why each open circuit breaker opened, by runbook. */
	Map<String, String> openCircuits() {
		Map<String, String> open = new LinkedHashMap<>();
		this.jdbc.sql("SELECT runbook_id, reason FROM circuit WHERE open ORDER BY runbook_id").query((row) -> {
			open.put(row.getString(1), row.getString(2));
		});
		return open;
	}

	void setCircuit(String runbookId, boolean open, String reason, String by) {
		this.jdbc.sql("""
				INSERT INTO circuit (runbook_id, open, reason, changed_at, changed_by) VALUES (?, ?, ?, now(), ?)
				ON CONFLICT (runbook_id) DO UPDATE SET open = EXCLUDED.open, reason = EXCLUDED.reason,
				    changed_at = EXCLUDED.changed_at, changed_by = EXCLUDED.changed_by""")
			.params(runbookId, open, reason, by)
			.update();
	}

	boolean killSwitch() {
		return this.jdbc.sql("SELECT enabled FROM control WHERE name = ?")
			.param(KILL_SWITCH)
			.query(Boolean.class)
			.optional()
			.orElse(false);
	}

	/** Who flipped the kill switch last, if anyone did at run time. */
	Optional<String> killSwitchChangedBy() {
		return this.jdbc.sql("SELECT changed_by FROM control WHERE name = ?")
			.param(KILL_SWITCH)
			.query(String.class)
			.optional();
	}

	void setKillSwitch(boolean on, String by) {
		this.jdbc.sql("""
				INSERT INTO control (name, enabled, changed_at, changed_by) VALUES (?, ?, now(), ?)
				ON CONFLICT (name) DO UPDATE SET enabled = EXCLUDED.enabled, changed_at = EXCLUDED.changed_at,
				    changed_by = EXCLUDED.changed_by""").params(KILL_SWITCH, on, by).update();
	}

	private static Map<String, Object> columns(Attempt attempt) {
		Map<String, Object> columns = new LinkedHashMap<>();
		columns.put("remediationId", attempt.remediationId());
		columns.put("incidentId", attempt.incidentId());
		columns.put("eventSequence", attempt.eventSequence());
		columns.put("runbookId", attempt.runbookId());
		columns.put("alertFingerprint", attempt.alertFingerprint());
		columns.put("target", attempt.target());
		columns.put("attempt", attempt.attempt());
		columns.put("retries", attempt.retries());
		columns.put("status", attempt.status().name());
		columns.put("dryRun", attempt.dryRun());
		columns.put("values", JSON.writeValueAsString(attempt.values()));
		columns.put("owner", attempt.owner());
		columns.put("reason", attempt.reason());
		columns.put("actionSummary", attempt.actionSummary());
		columns.put("createdAt", timestamp(attempt.createdAt()));
		columns.put("startedAt", timestamp(attempt.startedAt()));
		columns.put("finishedAt", timestamp(attempt.finishedAt()));
		columns.put("verifyDeadline", timestamp(attempt.verifyDeadline()));
		columns.put("resolvedAt", timestamp(attempt.resolvedAt()));
		return columns;
	}

	private static Attempt attempt(ResultSet row, int number) throws SQLException {
		return new Attempt(row.getString("remediation_id"), row.getString("incident_id"), row.getLong("event_sequence"),
				row.getString("runbook_id"), row.getString("alert_fingerprint"), row.getString("target"),
				row.getInt("attempt"), row.getInt("retries"), Attempt.Status.valueOf(row.getString("status")),
				row.getBoolean("dry_run"), JSON.readValue(row.getString("template_values"), VALUES),
				row.getString("owner"), row.getString("reason"), row.getString("action_summary"),
				instant(row, "created_at"), instant(row, "started_at"), instant(row, "finished_at"),
				instant(row, "verify_deadline"), instant(row, "resolved_at"));
	}

	private static Timestamp timestamp(Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

	private static Instant instant(ResultSet row, String column) throws SQLException {
		Timestamp timestamp = row.getTimestamp(column);
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

}
