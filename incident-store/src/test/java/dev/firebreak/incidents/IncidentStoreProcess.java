package dev.firebreak.incidents;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.firebreak.testkit.ForkedProcess;
import dev.firebreak.testkit.KafkaBroker;
import dev.firebreak.testkit.PostgresFixture;
import dev.firebreak.testkit.TestInfrastructure;

/**
 * incident-store in a JVM of its own, so that a test can kill it the way an operating
 * system does ({@code SIGKILL}): no shutdown hook, no commit, no leaving the group.
 */
final class IncidentStoreProcess implements AutoCloseable {

	/** A viewer's token: health shows its details to authenticated callers only. */
	private static final String TOKEN = "viewer-token-0123456789";

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static final PostgresFixture POSTGRES = TestInfrastructure.postgres();

	/**
	 * One database for every instance of a test run: they share it as they share Kafka.
	 */
	private static final String DATABASE = POSTGRES.createDatabase("incident_store");

	private final ForkedProcess process;

	private final String readiness;

	private IncidentStoreProcess(ForkedProcess process, int port) {
		this.process = process;
		this.readiness = "http://127.0.0.1:" + port + "/actuator/health/readiness";
	}

	/** Starts the service and waits until it is ready. */
	static IncidentStoreProcess start(String bootstrapServers, Path stateDir, String... properties) {
		int port = KafkaBroker.freePort();
		List<String> arguments = new ArrayList<>(List.of("--server.port=" + port,
				"--spring.kafka.bootstrap-servers=" + bootstrapServers,
				"--spring.kafka.streams.state-dir=" + stateDir.toAbsolutePath(),
				"--spring.datasource.url=" + POSTGRES.jdbcUrl(DATABASE),
				"--spring.datasource.username=" + POSTGRES.username(),
				"--spring.datasource.password=" + POSTGRES.password(), "--firebreak.security.tokens[0].name=test",
				"--firebreak.security.tokens[0].token=" + TOKEN, "--firebreak.security.tokens[0].role=viewer",
				"--logging.structured.format.console=", "--logging.level.org.apache.kafka=WARN"));
		arguments.addAll(List.of(properties));
		IncidentStoreProcess store = new IncidentStoreProcess(ForkedProcess.start(
				"incident-store", ForkedProcess.java(IncidentStoreApplication.class,
						List.of("-Xmx512m", "-XX:TieredStopAtLevel=1"), arguments),
				Path.of("target", "incident-store-" + port + ".log")), port);
		store.process.awaitReady(store.readiness, Duration.ofSeconds(90));
		return store;
	}

	/**
	 * The readiness group's answer with its details, or empty while the service does not
	 * answer.
	 */
	String health() {
		try {
			HttpRequest request = HttpRequest.newBuilder(URI.create(this.readiness))
				.timeout(Duration.ofSeconds(2))
				.header("Authorization", "Bearer " + TOKEN)
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
		this.process.kill();
	}

	/** Graceful stop (SIGTERM), as an orchestrator does. */
	@Override
	public void close() {
		this.process.close();
	}

}
