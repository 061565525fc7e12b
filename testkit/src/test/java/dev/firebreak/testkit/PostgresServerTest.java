package dev.firebreak.testkit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class PostgresServerTest {

	@Test
	void flywayMigratesASchemaInTheEmbeddedPostgres() throws SQLException {
		PostgresFixture postgres = TestInfrastructure.postgres();
		DataSource dataSource = postgres.dataSource(postgres.createDatabase("flyway"));

		MigrateResult result = Flyway.configure()
			.dataSource(dataSource)
			.locations("classpath:db/testkit")
			.load()
			.migrate();

		assertThat(result.migrationsExecuted).isEqualTo(2);
		execute(dataSource,
				"INSERT INTO incident (id, severity, opened_at) VALUES ('INC-20261122-0001', 'SEV2', now())");
		assertThat(query(dataSource, "SELECT status FROM incident WHERE id = 'INC-20261122-0001'")).isEqualTo("OPEN");
		assertThat(query(dataSource, "SHOW server_version")).startsWith("17.");
	}

	@Test
	void restartsOnTheSamePortWithItsData() throws SQLException {
		try (PostgresServer server = PostgresServer.startNew()) {
			DataSource dataSource = server.dataSource(server.createDatabase("restart"));
			execute(dataSource, "CREATE TABLE kept (value text); INSERT INTO kept VALUES ('still here')");

			server.stop();
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> query(dataSource, "SELECT 1"));
			server.start();

			assertThat(query(dataSource, "SELECT value FROM kept")).isEqualTo("still here");
		}
	}

	@Test
	void givesEachCallerItsOwnDatabase() {
		PostgresFixture postgres = TestInfrastructure.postgres();

		assertThat(postgres.createDatabase("same")).isNotEqualTo(postgres.createDatabase("same"));
	}

	private static void execute(DataSource dataSource, String sql) throws SQLException {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private static String query(DataSource dataSource, String sql) throws SQLException {
		try (Connection connection = dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(sql)) {
			rows.next();
			return rows.getString(1);
		}
	}

}
