package dev.firebreak.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import dev.firebreak.testkit.KafkaBroker;
import dev.firebreak.testkit.KafkaTopics;
import dev.firebreak.testkit.PostgresServer;

/**
 * What the local run stands on, in one process: a Kafka broker (one KRaft node) and a
 * PostgreSQL (embedded binaries), both on 127.0.0.1 with their data under one directory,
 * kept across restarts. Creates the catalogue's topics and Firebreak's database and role
 * when missing, writes the ready file, and runs until stopped (SIGTERM stops both
 * cleanly).
 *
 * <p>
 * Arguments: data directory, Kafka port, Kafka controller port, PostgreSQL port, ready
 * file.
 */
public final class LocalInfrastructure implements AutoCloseable {

	private final KafkaBroker broker;

	private final PostgresServer postgres;

	private LocalInfrastructure(KafkaBroker broker, PostgresServer postgres) {
		this.broker = broker;
		this.postgres = postgres;
	}

	public static void main(String[] args) throws Exception {
		Path data = Path.of(args[0]);
		Path ready = Path.of(args[4]);
		Files.deleteIfExists(ready);
		LocalInfrastructure infrastructure = start(data, Integer.parseInt(args[1]), Integer.parseInt(args[2]),
				Integer.parseInt(args[3]));
		Runtime.getRuntime().addShutdownHook(new Thread(infrastructure::close, "local-infrastructure-stop"));
		Files.writeString(ready, infrastructure.bootstrapServers() + "\n" + infrastructure.jdbcUrl() + "\n");
		System.out.println("Kafka " + infrastructure.bootstrapServers() + ", PostgreSQL " + infrastructure.jdbcUrl()
				+ " ready; data in " + data.toAbsolutePath());
		Thread.currentThread().join();
	}

	/**
	 * Starts the broker and the database with their data under {@code data} (kept from a
	 * previous start), then creates what is missing: the catalogue's topics, Firebreak's
	 * role and database.
	 */
	public static LocalInfrastructure start(Path data, int kafkaPort, int controllerPort, int postgresPort)
			throws Exception {
		PostgresServer postgres = PostgresServer.open(Files.createDirectories(data.resolve("postgres")), postgresPort);
		KafkaBroker broker;
		try {
			broker = KafkaBroker.open(Files.createDirectories(data.resolve("kafka")), kafkaPort, controllerPort);
		}
		catch (RuntimeException ex) {
			postgres.stop();
			throw ex;
		}
		LocalInfrastructure infrastructure = new LocalInfrastructure(broker, postgres);
		try {
			KafkaTopics.createAll(broker);
			createDatabase(postgres);
		}
		catch (Exception ex) {
			infrastructure.close();
			throw ex;
		}
		return infrastructure;
	}

	public String bootstrapServers() {
		return this.broker.bootstrapServers();
	}

	/** Database firebreak; user and password firebreak. */
	public String jdbcUrl() {
		return this.postgres.jdbcUrl("firebreak");
	}

	/** The broker, for a test that stops and starts it (the fault suite). */
	public KafkaBroker broker() {
		return this.broker;
	}

	/** The database server, for a test that stops and starts it (the fault suite). */
	public PostgresServer postgres() {
		return this.postgres;
	}

	/** Stops the broker, then the database. */
	@Override
	public void close() {
		this.broker.stop();
		this.postgres.stop();
	}

	/** Role firebreak (password firebreak, local only) owning database firebreak. */
	private static void createDatabase(PostgresServer postgres) throws Exception {
		try (Connection connection = postgres.dataSource(postgres.adminDatabase()).getConnection();
				Statement statement = connection.createStatement()) {
			if (!exists(connection, "SELECT 1 FROM pg_roles WHERE rolname = ?", "firebreak")) {
				statement.execute("CREATE ROLE firebreak LOGIN PASSWORD 'firebreak'");
			}
			if (!exists(connection, "SELECT 1 FROM pg_database WHERE datname = ?", "firebreak")) {
				statement.execute("CREATE DATABASE firebreak OWNER firebreak");
			}
		}
	}

	private static boolean exists(Connection connection, String query, String name) throws Exception {
		try (PreparedStatement statement = connection.prepareStatement(query)) {
			statement.setString(1, name);
			try (ResultSet rows = statement.executeQuery()) {
				return rows.next();
			}
		}
	}

}
