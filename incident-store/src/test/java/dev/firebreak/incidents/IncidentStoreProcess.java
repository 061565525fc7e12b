package dev.firebreak.incidents;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.firebreak.testkit.Eventually;
import dev.firebreak.testkit.PostgresFixture;
import dev.firebreak.testkit.TestInfrastructure;

/**
 * incident-store in a JVM of its own, so that a test can kill it the way an operating
 * system does ({@code SIGKILL}): no shutdown hook, no commit, no leaving the group.
 */
final class IncidentStoreProcess implements AutoCloseable {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static final PostgresFixture POSTGRES = TestInfrastructure.postgres();

	/**
	 * One database for every instance of a test run: they share it as they share Kafka.
	 */
	private static final String DATABASE = POSTGRES.createDatabase("incident_store");

	private final Process process;

	private final int port;

	private final Path log;

	private IncidentStoreProcess(Process process, int port, Path log) {
		this.process = process;
		this.port = port;
		this.log = log;
	}

	/** Starts the service and waits until it is ready. */
	static IncidentStoreProcess start(String bootstrapServers, Path stateDir, String... properties) {
		int port = freePort();
		Path log = Path.of("target", "incident-store-" + port + ".log");
		List<String> command = new ArrayList<>(List.of(
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
				"-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				IncidentStoreApplication.class.getName(), "--server.port=" + port,
				"--spring.kafka.bootstrap-servers=" + bootstrapServers,
				"--spring.kafka.streams.state-dir=" + stateDir.toAbsolutePath(),
				"--spring.datasource.url=" + POSTGRES.jdbcUrl(DATABASE),
				"--spring.datasource.username=" + POSTGRES.username(),
				"--spring.datasource.password=" + POSTGRES.password(), "--firebreak.api.allow-unauthenticated=true",
				"--logging.structured.format.console=", "--logging.level.org.apache.kafka=WARN"));
		command.addAll(List.of(properties));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			IncidentStoreProcess store = new IncidentStoreProcess(process, port, log);
			store.awaitReady(Duration.ofSeconds(90));
			return store;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void awaitReady(Duration timeout) {
		Eventually.within(timeout)
			.alias("incident-store ready (log: " + this.log.toAbsolutePath() + ")")
			.failFast("incident-store exited (log: " + this.log.toAbsolutePath() + ")", () -> !this.process.isAlive())
			.until(() -> health().contains("\"status\":\"UP\""));
	}

	/** The readiness group's answer, or empty while the service does not answer. */
	String health() {
		try {
			HttpRequest request = HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/health/readiness"))
				.timeout(Duration.ofSeconds(2))
				.build();
			return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
		}
		catch (IOException ex) {
			return "";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "";
		}
	}

	/** SIGKILL, and wait until it is gone. */
	void kill() {
		this.process.destroyForcibly();
		try {
			this.process.waitFor();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Graceful stop (SIGTERM), as an orchestrator does. */
	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				kill();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
