package dev.firebreak.remediation.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.firebreak.remediation.RemediationEngineApplication;
import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.avro.RemediationOutcome;
import dev.firebreak.schemas.avro.RemediationStatus;
import dev.firebreak.testkit.Eventually;
import dev.firebreak.testkit.ForkedProcess;
import dev.firebreak.testkit.KafkaBroker;
import dev.firebreak.testkit.PostgresFixture;
import dev.firebreak.testkit.TestInfrastructure;

import static dev.firebreak.remediation.engine.EngineFixture.alertResolved;
import static dev.firebreak.remediation.engine.EngineFixture.fired;
import static dev.firebreak.remediation.engine.EngineFixture.firing;
import static dev.firebreak.remediation.engine.EngineFixture.last;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine killed (SIGKILL) between "started" and "finished", then started again: once
 * the killed engine's leases (3 s here) have run out, the new one takes its attempts
 * over: an action that is not idempotent is not run again and is reported
 * OUTCOME_UNKNOWN; an idempotent one runs again and is verified; no event starts a second
 * attempt. Along the way, the concurrency limit skips what does not fit.
 */
class CrashSafetyTest {

	private static final KafkaBroker BROKER = KafkaBroker.startNew();

	private static final EngineFixture ENGINE = new EngineFixture(BROKER);

	private static final Duration WAIT = Duration.ofSeconds(90);

	@TempDir
	Path work;

	@AfterAll
	static void stopBroker() {
		BROKER.close();
	}

	@Test
	void anInterruptedAttemptIsSettledAtTheNextStartAndNeverRunTwiceUnlessIdempotent() throws Exception {
		Path runbooks = Files.createDirectories(this.work.resolve("runbooks"));
		Path unsafeLog = this.work.resolve("unsafe.log");
		Path idempotentLog = this.work.resolve("idempotent.log");
		Files.writeString(runbooks.resolve("unsafe.yaml"), """
				id: restart-unsafe
				match: { labels: { alertname: Unsafe } }
				action:
				  type: command
				  argv: [/bin/sh, -c, 'echo "$1" >> "$0"; exec sleep 120', "%s", "{{labels.service}}"]
				  timeout: 5m
				guardrails: { dryRun: false, cooldown: 1ms, maxAttempts: 3 }
				verification: { window: 10m }
				""".formatted(unsafeLog));
		// Appends a line on every run; sleeps (until the crash) on the first only.
		Files.writeString(runbooks.resolve("idempotent.yaml"),
				"""
						id: restart-idempotent
						match: { labels: { alertname: Idempotent } }
						action:
						  type: command
						  argv: [/bin/sh, -c, 'echo "$1" >> "$0"; [ -e "$0.once" ] && exit 0; touch "$0.once"; exec sleep 120', "%s", "{{labels.service}}"]
						  timeout: 5m
						guardrails: { dryRun: false, cooldown: 1ms, maxAttempts: 3, idempotent: true }
						verification: { window: 10m }
						"""
					.formatted(idempotentLog));
		PostgresFixture postgres = TestInfrastructure.postgres();
		String database = postgres.createDatabase("crash");
		Map<String, String> properties = Map.ofEntries(Map.entry("server.port", "0"),
				Map.entry("spring.kafka.bootstrap-servers", BROKER.bootstrapServers()),
				Map.entry("spring.datasource.url", postgres.jdbcUrl(database)),
				Map.entry("spring.datasource.username", postgres.username()),
				Map.entry("spring.datasource.password", postgres.password()),
				Map.entry("firebreak.remediation.runbooks", runbooks.toString()),
				Map.entry("firebreak.remediation.max-concurrent", "2"),
				Map.entry("firebreak.remediation.sweep-interval", "200ms"),
				Map.entry("firebreak.remediation.lease", "3s"), Map.entry("firebreak.security.tokens[0].name", "adam"),
				Map.entry("firebreak.security.tokens[0].token", "admin-token-0123456789"),
				Map.entry("firebreak.security.tokens[0].role", "admin"));
		Path log = Path.of("target", "crash-safety-engine.log");
		AlertEvent unsafe = firing("Unsafe", "orders");
		AlertEvent idempotent = firing("Idempotent", "billing");

		try (ForkedProcess first = engine(properties, log)) {
			ENGINE.send(fired("INC-20261122-1001", 1, unsafe), fired("INC-20261122-1002", 1, idempotent));
			ENGINE.awaitOutcome("INC-20261122-1001", RemediationStatus.STARTED, WAIT);
			ENGINE.awaitOutcome("INC-20261122-1002", RemediationStatus.STARTED, WAIT);
			Eventually.within(WAIT).until(() -> lines(unsafeLog).size() == 1 && lines(idempotentLog).size() == 1);

			ENGINE.send(fired("INC-20261122-1003", 1, firing("Unsafe", "payments")));
			assertThat(last(ENGINE.awaitOutcome("INC-20261122-1003", RemediationStatus.SKIPPED, WAIT)).getReason())
				.isEqualTo("2 actions are running, the most allowed at once (firebreak.remediation.max-concurrent)");

			first.kill();
		}

		try (ForkedProcess second = engine(properties, log)) {
			RemediationOutcome unknown = last(
					ENGINE.awaitOutcome("INC-20261122-1001", RemediationStatus.OUTCOME_UNKNOWN, WAIT));
			assertThat(unknown.getRemediationId()).isEqualTo("INC-20261122-1001.1.restart-unsafe");
			assertThat(unknown.getReason()).startsWith("the engine stopped while the action ran")
				.endsWith("not run again: the runbook does not mark its action idempotent");

			Eventually.within(WAIT).until(() -> lines(idempotentLog).size() == 2);
			ENGINE.send(alertResolved("INC-20261122-1002", 2, idempotent));
			ENGINE.awaitOutcome("INC-20261122-1002", RemediationStatus.SUCCEEDED, WAIT);

			// The second engine has read everything once it answers a later event.
			ENGINE.send(fired("INC-20261122-1004", 1, firing("Idempotent", "later")));
			ENGINE.awaitOutcome("INC-20261122-1004", RemediationStatus.STARTED, WAIT);
		}
		assertThat(lines(unsafeLog)).as("never run a second time").containsExactly("orders");
		assertThat(lines(idempotentLog)).containsExactly("billing", "billing", "later");
		List<RemediationStatus> statuses = ENGINE.outcomes("INC-20261122-1001")
			.stream()
			.map(RemediationOutcome::getStatus)
			.toList();
		assertThat(statuses).containsExactly(RemediationStatus.STARTED, RemediationStatus.OUTCOME_UNKNOWN);
		assertThat(ENGINE.outcomes("INC-20261122-1002")).extracting(RemediationOutcome::getStatus)
			.containsExactly(RemediationStatus.STARTED, RemediationStatus.SUCCEEDED);
	}

	/**
	 * The engine in a JVM of its own, on the test's classpath, so that the test can kill
	 * it the way a crash does.
	 */
	private static ForkedProcess engine(Map<String, String> properties, Path log) {
		List<String> arguments = properties.entrySet()
			.stream()
			.map((property) -> "--" + property.getKey() + "=" + property.getValue())
			.toList();
		return ForkedProcess.start("remediation-engine",
				ForkedProcess.java(RemediationEngineApplication.class, List.of("-Xmx256m"), arguments), log);
	}

	private static List<String> lines(Path file) throws IOException {
		return Files.exists(file) ? Files.readAllLines(file) : List.of();
	}

}
