package dev.firebreak.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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

	/**
	 * A throwaway server on a free port, its data in a temporary directory: stopped and
	 * deleted on {@link #close()}, or at the latest when the JVM exits.
	 */
	public static PostgresServer startNew() {
		try {
			PostgresServer server = new PostgresServer(Files.createTempDirectory("firebreak-postgres-"),
					KafkaBroker.freePort(), false);
			server.start();
			// One hook, not the embedded server's own as well: two racing hooks left the
			// data behind (one deleting while the other was still stopping the server).
			Runtime.getRuntime().addShutdownHook(new Thread(server::close, "postgres-server-shutdown"));
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
				.setServerConfig("max_connections", "200")
				.setRegisterShutdownHook(this.durable);
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
	public synchronized void close() {
		stop();
		awaitPostmasterExit();
		KafkaBroker.deleteRecursively(this.dataDirectory);
	}

	/**
	 * At JVM exit the embedded PostgreSQL's own shutdown hook may be the one stopping it:
	 * its data is deleted once the postmaster (named by its pid file) has exited.
	 */
	private void awaitPostmasterExit() {
		try {
			long pid = Long.parseLong(Files.readAllLines(this.dataDirectory.resolve("postmaster.pid")).get(0).trim());
			Optional<ProcessHandle> postmaster = ProcessHandle.of(pid);
			if (postmaster.isPresent()) {
				postmaster.get().onExit().get(30, TimeUnit.SECONDS);
			}
		}
		catch (NoSuchFileException ex) {
			// Gone: it has stopped.
		}
		catch (IOException | RuntimeException | ExecutionException | TimeoutException ex) {
			// Unreadable or still running after 30 s: delete anyway, it is throwaway
			// data.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
