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
public final class LocalInfrastructure {

	private LocalInfrastructure() {
	}

	public static void main(String[] args) throws Exception {
		Path data = Path.of(args[0]);
		int kafkaPort = Integer.parseInt(args[1]);
		int controllerPort = Integer.parseInt(args[2]);
		int postgresPort = Integer.parseInt(args[3]);
		Path ready = Path.of(args[4]);
		Files.deleteIfExists(ready);
		PostgresServer postgres = PostgresServer.open(Files.createDirectories(data.resolve("postgres")), postgresPort);
		KafkaBroker broker = KafkaBroker.open(Files.createDirectories(data.resolve("kafka")), kafkaPort,
				controllerPort);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			broker.stop();
			postgres.stop();
		}, "local-infrastructure-stop"));
		KafkaTopics.createAll(broker);
		createDatabase(postgres);
		Files.writeString(ready, broker.bootstrapServers() + "\n" + postgres.jdbcUrl("firebreak") + "\n");
		System.out.println("Kafka " + broker.bootstrapServers() + ", PostgreSQL " + postgres.jdbcUrl("firebreak")
				+ " ready; data in " + data.toAbsolutePath());
		Thread.currentThread().join();
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
