package dev.firebreak.remediation.action;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.boot.convert.DurationStyle;

/**
 * Named statements on a configured PostgreSQL data source, with bound parameters only.
 * <ul>
 * <li>{@code terminate-long-running} / {@code cancel-long-running}: end (or cancel the
 * query of) the client backends of the data source's database that have been in
 * {@code state} (default {@code active}) for longer than {@code olderThan}: measured from
 * the query's start when active, from the last state change otherwise (seed 001's
 * {@code idle in transaction} rule).</li>
 * <li>{@code statement}: the runbook's own statement, its {@code ?} bound to
 * {@code arguments} in order, as text (cast in SQL: {@code ?::int}; seed 002's stuck-job
 * reset).</li>
 * <li>{@code query}: the runbook's own query, bound the same way, in a read-only
 * transaction: the first {@value #MAX_ROWS} rows, a line each
 * ({@code pid=42, state=active,
 * …}). It only reads, so it may be a diagnostic step, and it runs in dry-run too.</li>
 * </ul>
 * In dry-run the backends are only counted, and the statement runs in a transaction that
 * is rolled back, so the count of rows it would change is exact.
 */
public final class PostgresAction implements Action {

	private static final String LONG_RUNNING = """
			SELECT pid, %s
			FROM pg_stat_activity
			WHERE datname = current_database()
			  AND pid <> pg_backend_pid()
			  AND backend_type = 'client backend'
			  AND state = ?
			  AND now() - CASE WHEN state = 'active' THEN query_start ELSE state_change END > ?::interval
			""";

	/** Rows of a query kept. */
	static final int MAX_ROWS = 20;

	/** Columns of a row shown. */
	private static final int MAX_COLUMNS = 12;

	/** Characters of a value kept. */
	private static final int MAX_VALUE = 200;

	private final Map<String, DataSource> dataSources;

	/**
	 * @param dataSources the data sources runbooks may name
	 */
	public PostgresAction(Map<String, DataSource> dataSources) {
		this.dataSources = Map.copyOf(dataSources);
	}

	@Override
	public String type() {
		return "postgres";
	}

	@Override
	public ActionResult run(PreparedAction action) {
		long start = System.nanoTime();
		String name = action.value("datasource");
		DataSource dataSource = this.dataSources.get(name);
		if (dataSource == null) {
			return ActionResult.since(start, false, "no data source named " + name + " is configured",
					Map.of("datasource", name));
		}
		String operation = action.value("operation");
		try (Connection connection = dataSource.getConnection()) {
			try (Statement statement = connection.createStatement()) {
				statement.execute("SET statement_timeout = " + Math.max(1, action.timeout().toMillis()));
			}
			if (operation.equals("statement")) {
				return statement(connection, action, start);
			}
			if (operation.equals("query")) {
				return query(connection, action, start);
			}
			return backends(connection, action, operation.startsWith("terminate"), start);
		}
		catch (SQLException ex) {
			return ActionResult.since(start, false, operation + " on " + name + " failed: " + ex.getMessage(),
					Map.of("datasource", name, "sqlState", String.valueOf(ex.getSQLState())));
		}
	}

	private ActionResult backends(Connection connection, PreparedAction action, boolean terminate, long start)
			throws SQLException {
		String state = action.value("state", "active");
		Duration olderThan = DurationStyle.detectAndParse(action.value("olderThan"));
		String verb = terminate ? "terminate" : "cancel";
		String call = action.dryRun() ? "true" : (terminate ? "pg_terminate_backend(pid)" : "pg_cancel_backend(pid)");
		List<Integer> pids = new ArrayList<>();
		int ended = 0;
		try (PreparedStatement statement = connection.prepareStatement(LONG_RUNNING.formatted(call))) {
			statement.setString(1, state);
			statement.setString(2, olderThan.toMillis() + " milliseconds");
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					pids.add(rows.getInt(1));
					ended += rows.getBoolean(2) ? 1 : 0;
				}
			}
		}
		Map<String, String> details = new LinkedHashMap<>();
		details.put("datasource", action.value("datasource"));
		details.put("state", state);
		details.put("olderThan", olderThan.toString());
		details.put("backends", Integer.toString(ended));
		details.put("pids", pids.toString());
		String what = "backends " + state + " for over " + DurationStyle.SIMPLE.print(olderThan);
		String summary = action.dryRun() ? "would " + verb + " " + pids.size() + " " + what
				: verb + (terminate ? "d " : "led ") + ended + " " + what;
		return ActionResult.since(start, true, summary, details);
	}

	private ActionResult query(Connection connection, PreparedAction action, long start) throws SQLException {
		connection.setAutoCommit(false);
		connection.setReadOnly(true);
		List<String> lines = new ArrayList<>();
		int rows = 0;
		try (PreparedStatement statement = bound(connection, action)) {
			statement.setMaxRows(MAX_ROWS + 1);
			try (ResultSet result = statement.executeQuery()) {
				ResultSetMetaData columns = result.getMetaData();
				while (result.next()) {
					rows++;
					if (lines.size() < MAX_ROWS) {
						lines.add(line(result, columns));
					}
				}
			}
		}
		finally {
			connection.rollback();
		}
		Map<String, String> details = new LinkedHashMap<>();
		details.put("datasource", action.value("datasource"));
		details.put("result", String.join("\n", lines));
		String counted = (rows > MAX_ROWS) ? "more than " + MAX_ROWS + " rows (the first " + MAX_ROWS + " shown)"
				: rows + " rows";
		details.put("rows", (rows > MAX_ROWS) ? "more than " + MAX_ROWS : Integer.toString(rows));
		return ActionResult.since(start, true, counted, details);
	}

	/** {@code pid=42, state=active, query=SELECT …}. */
	private static String line(ResultSet row, ResultSetMetaData columns) throws SQLException {
		List<String> values = new ArrayList<>();
		for (int i = 1; i <= Math.min(columns.getColumnCount(), MAX_COLUMNS); i++) {
			String value = String.valueOf(row.getString(i)).replaceAll("\\s+", " ");
			values.add(columns.getColumnLabel(i) + "="
					+ ((value.length() > MAX_VALUE) ? value.substring(0, MAX_VALUE - 1) + "…" : value));
		}
		return String.join(", ", values);
	}

	private static PreparedStatement bound(Connection connection, PreparedAction action) throws SQLException {
		PreparedStatement statement = connection.prepareStatement(action.value("statement"));
		List<String> arguments = action.list("arguments");
		for (int i = 0; i < arguments.size(); i++) {
			statement.setString(i + 1, arguments.get(i));
		}
		return statement;
	}

	private ActionResult statement(Connection connection, PreparedAction action, long start) throws SQLException {
		connection.setAutoCommit(false);
		int rows;
		try (PreparedStatement statement = bound(connection, action)) {
			rows = statement.executeUpdate();
			if (action.dryRun()) {
				connection.rollback();
			}
			else {
				connection.commit();
			}
		}
		catch (SQLException ex) {
			connection.rollback();
			throw ex;
		}
		Map<String, String> details = Map.of("datasource", action.value("datasource"), "rows", Integer.toString(rows));
		String summary = action.dryRun() ? "would change " + rows + " rows (rolled back: dry run)"
				: "changed " + rows + " rows";
		return ActionResult.since(start, true, summary, details);
	}

}
