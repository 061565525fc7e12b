package dev.firebreak.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL 17 from embedded binaries, nothing to install. Its port and data
 * directory are fixed at creation, so it can be stopped and started again with its data
 * (a database outage in the middle of a test). Durability settings are off: tests do not
 * survive power loss, and run faster for it.
 */
public final class PostgresServer implements PostgresFixture, AutoCloseable {

	private static final String USER = "postgres";

	private final Path dataDirectory;

	private final int port;

	private final boolean durable;

	private EmbeddedPostgres postgres;

	private PostgresServer(Path dataDirectory, int port, boolean durable) {
		this.dataDirectory = dataDirectory;
		this.port = port;
		this.durable = durable;
	}

	/**
	 * A server on a fixed port whose data lives in {@code dataDirectory}, written durably
	 * and kept across starts. For the local run.
	 */
	public static PostgresServer open(Path dataDirectory, int port) {
		PostgresServer server = new PostgresServer(dataDirectory, port, true);
		server.start();
		return server;
	}

	public static PostgresServer startNew() {
		try {
			PostgresServer server = new PostgresServer(Files.createTempDirectory("firebreak-postgres-"),
					KafkaBroker.freePort(), false);
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Starts the server, again on the same port with the same data after a
	 * {@link #stop()}.
	 */
	public synchronized void start() {
		if (this.postgres != null) {
			return;
		}
		try {
			EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
				.setPort(this.port)
				.setDataDirectory(this.dataDirectory)
				.setCleanDataDirectory(false)
				.setServerConfig("max_connections", "200");
			if (!this.durable) {
				// Tests throw their data away: no need to wait for the disk.
				builder.setServerConfig("fsync", "off")
					.setServerConfig("synchronous_commit", "off")
					.setServerConfig("full_page_writes", "off");
			}
			this.postgres = builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start the embedded PostgreSQL", ex);
		}
	}

	/** Stops the server, keeping its data; clients see connection refused. */
	public synchronized void stop() {
		if (this.postgres == null) {
			return;
		}
		try {
			this.postgres.close();
			this.postgres = null;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public synchronized boolean isRunning() {
		return this.postgres != null;
	}

	public int port() {
		return this.port;
	}

	@Override
	public String jdbcUrl(String database) {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/" + database;
	}

	@Override
	public String username() {
		return USER;
	}

	@Override
	public String password() {
		return "";
	}

	@Override
	public String adminDatabase() {
		return "postgres";
	}

	/** Stops the server and deletes its data. */
	@Override
	public void close() {
		stop();
		KafkaBroker.deleteRecursively(this.dataDirectory);
	}

}
