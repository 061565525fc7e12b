package dev.firebreak.remediation.action;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.firebreak.testkit.Eventually;
import dev.firebreak.testkit.PostgresFixture;
import dev.firebreak.testkit.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real backends in the embedded PostgreSQL: a long {@code pg_sleep} and a session idle in
 * a transaction, terminated by the seed runbooks' operations.
 */
class PostgresActionTest {

	private static DataSource dataSource;

	private static JdbcTemplate jdbc;

	private Connection idle;

	private CompletableFuture<Throwable> sleeper;

	@BeforeAll
	static void database() {
		PostgresFixture postgres = TestInfrastructure.postgres();
		dataSource = postgres.dataSource(postgres.createDatabase("postgres_action"));
		jdbc = new JdbcTemplate(dataSource);
		jdbc.execute("CREATE TABLE jobs (id int PRIMARY KEY, queue text, status text, created_at timestamptz)");
	}

	@AfterEach
	void close() throws Exception {
		if (this.idle != null && !this.idle.isClosed()) {
			this.idle.close();
		}
	}

	@Test
	void terminatesQueriesRunningLongerThanTheLimit() {
		this.sleeper = sleep(60);
		Eventually.within(Duration.ofSeconds(10)).until(() -> backends("active", "pg_sleep") == 1);

		ActionResult result = action(Map.of("operation", "terminate-long-running", "olderThan", "100ms"), false);

		assertThat(result.succeeded()).isTrue();
		assertThat(result.details()).containsEntry("backends", "1");
		assertThat(result.summary()).startsWith("terminated 1 backends active for over");
		assertThat(this.sleeper.join()).as("the sleeping session's error")
			.hasMessageContaining("terminating connection due to administrator command");
	}

	@Test
	void leavesQueriesYoungerThanTheLimit() {
		this.sleeper = sleep(3);
		Eventually.within(Duration.ofSeconds(10)).until(() -> backends("active", "pg_sleep") == 1);

		ActionResult result = action(Map.of("operation", "terminate-long-running", "olderThan", "10m"), false);

		assertThat(result.details()).containsEntry("backends", "0");
		assertThat(this.sleeper.join()).isNull();
	}

	@Test
	void terminatesSessionsIdleInTransactionOnlyInThatState() throws Exception {
		this.idle = dataSource.getConnection();
		this.idle.setAutoCommit(false);
		try (Statement statement = this.idle.createStatement()) {
			statement.execute("SELECT 1");
		}
		this.sleeper = sleep(3);
		Eventually.within(Duration.ofSeconds(10))
			.until(() -> backends("idle in transaction", null) == 1 && backends("active", "pg_sleep") == 1);

		ActionResult dry = action(
				Map.of("operation", "terminate-long-running", "state", "idle in transaction", "olderThan", "100ms"),
				true);
		assertThat(dry.summary()).startsWith("would terminate 1 backends idle in transaction");
		assertThat(backends("idle in transaction", null)).isEqualTo(1);

		ActionResult result = action(
				Map.of("operation", "terminate-long-running", "state", "idle in transaction", "olderThan", "100ms"),
				false);

		assertThat(result.details()).containsEntry("backends", "1").containsEntry("state", "idle in transaction");
		Eventually.within(Duration.ofSeconds(10)).until(() -> backends("idle in transaction", null) == 0);
		assertThat(this.sleeper.join()).as("the active query is not in that state").isNull();
	}

	@Test
	void runsTheRunbooksStatementWithBoundArgumentsAndReportsRows() {
		jdbc.update("DELETE FROM jobs");
		jdbc.update("INSERT INTO jobs VALUES (1, 'etl', 'processing', now() - interval '3 hours'), "
				+ "(2, 'etl', 'processing', now()), (3, 'mail', 'processing', now() - interval '3 hours')");
		String hostile = "etl' OR '1'='1";
		Map<String, String> reset = Map.of("operation", "statement", "statement",
				"UPDATE jobs SET status = 'failed' WHERE status = 'processing' AND queue = ? "
						+ "AND created_at < now() - interval '2 hours'",
				"arguments[0]", "etl");

		ActionResult dry = action(reset, true);
		assertThat(dry.summary()).isEqualTo("would change 1 rows (rolled back: dry run)");
		assertThat(jdbc.queryForObject("SELECT count(*) FROM jobs WHERE status = 'failed'", Integer.class)).isZero();

		ActionResult result = action(reset, false);
		assertThat(result.details()).containsEntry("rows", "1");
		assertThat(jdbc.queryForList("SELECT id FROM jobs WHERE status = 'failed'", Integer.class)).containsExactly(1);

		Map<String, String> injected = new java.util.HashMap<>(reset);
		injected.put("arguments[0]", hostile);
		assertThat(action(injected, false).details()).as("a bound value is only a value").containsEntry("rows", "0");
	}

	@Test
	void aQueryReadsBoundedRowsAndCannotWrite() {
		jdbc.update("DELETE FROM jobs");
		for (int i = 1; i <= 25; i++) {
			jdbc.update("INSERT INTO jobs VALUES (?, 'etl', 'processing', now() - interval '3 hours')", i);
		}
		Map<String, String> stuck = Map.of("operation", "query", "statement",
				"SELECT id, queue, status FROM jobs WHERE queue = ? ORDER BY id", "arguments[0]", "etl");

		ActionResult result = action(stuck, false);

		assertThat(result.succeeded()).as(result.summary()).isTrue();
		assertThat(result.summary()).isEqualTo("more than 20 rows (the first 20 shown)");
		assertThat(result.details().get("result").lines()).hasSize(PostgresAction.MAX_ROWS)
			.startsWith("id=1, queue=etl, status=processing", "id=2, queue=etl, status=processing");
		assertThat(action(stuck, true).summary()).as("it only reads: a dry run runs it too")
			.isEqualTo("more than 20 rows (the first 20 shown)");

		ActionResult write = action(Map.of("operation", "query", "statement",
				"WITH gone AS (DELETE FROM jobs RETURNING id) SELECT count(*) FROM gone"), false);
		assertThat(write.succeeded()).isFalse();
		assertThat(write.summary())
			.isEqualTo("query on primary failed: ERROR: cannot execute SELECT in a read-only transaction");
		assertThat(jdbc.queryForObject("SELECT count(*) FROM jobs", Integer.class)).isEqualTo(25);
	}

	@Test
	void theShippedRunbookShowsTheLongestQueriesBeforeItTerminatesThem() {
		this.sleeper = sleep(30);
		Eventually.within(Duration.ofSeconds(10)).until(() -> backends("active", "pg_sleep") == 1);
		dev.firebreak.remediation.runbook.Runbook shipped = dev.firebreak.remediation.runbook.RunbookLoader.defaults()
			.stream()
			.filter((runbook) -> runbook.id().equals("terminate-long-queries"))
			.findFirst()
			.orElseThrow();

		ActionResult longest = new PostgresAction(Map.of("primary", dataSource))
			.run(shipped.prepare(Map.of(), true).get(0));

		assertThat(longest.succeeded()).as(longest.summary()).isTrue();
		assertThat(longest.details().get("result").lines())
			.anySatisfy((line) -> assertThat(line).contains("state=active").contains("query=SELECT pg_sleep(30)"));
		assertThat(this.sleeper).as("it only looked").isNotDone();
		jdbc.queryForList("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)'");
		assertThat(this.sleeper.join()).hasMessageContaining("canceling statement due to user request");
	}

	@Test
	void anUnknownDataSourceOrABrokenStatementIsAFailure() {
		PreparedAction unknown = new PreparedAction("postgres", Duration.ofSeconds(5),
				Map.of("datasource", "reporting", "operation", "statement", "statement", "SELECT 1"), false);
		assertThat(new PostgresAction(Map.of("primary", dataSource)).run(unknown).summary())
			.isEqualTo("no data source named reporting is configured");

		ActionResult broken = action(Map.of("operation", "statement", "statement", "UPDATE nowhere SET x = 1"), false);
		assertThat(broken.succeeded()).isFalse();
		assertThat(broken.details()).containsEntry("sqlState", "42P01");
	}

	private static ActionResult action(Map<String, String> values, boolean dryRun) {
		Map<String, String> all = new java.util.HashMap<>(values);
		all.put("datasource", "primary");
		return new PostgresAction(Map.of("primary", dataSource))
			.run(new PreparedAction("postgres", Duration.ofSeconds(10), all, dryRun));
	}

	/** A session running {@code pg_sleep}; completes with its error, or null. */
	private static CompletableFuture<Throwable> sleep(int seconds) {
		return CompletableFuture.supplyAsync(() -> {
			try (Connection connection = dataSource.getConnection();
					Statement statement = connection.createStatement()) {
				statement.execute("SELECT pg_sleep(" + seconds + ")");
				return null;
			}
			catch (Exception ex) {
				return ex;
			}
		});
	}

	/**
	 * Backends in that state for at least 200 ms (longer than the limit the tests give).
	 */
	private static int backends(String state, String query) {
		return jdbc.queryForObject("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
				+ "AND state = ? AND query LIKE ? AND pid <> pg_backend_pid() "
				+ "AND now() - CASE WHEN state = 'active' THEN query_start ELSE state_change END > interval '200 ms'",
				Integer.class, state, (query != null) ? "%" + query + "%" : "%");
	}

}
