package dev.firebreak.remediation.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.firebreak.schemas.DeadLetter;
import dev.firebreak.schemas.Topic;
import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentEventType;
import dev.firebreak.schemas.avro.IncidentStatus;
import dev.firebreak.schemas.avro.RemediationOutcome;
import dev.firebreak.schemas.avro.RemediationStatus;
import dev.firebreak.schemas.fixtures.Alerts;
import dev.firebreak.schemas.fixtures.Incidents;
import dev.firebreak.testkit.AccessCheck;
import dev.firebreak.testkit.Eventually;
import dev.firebreak.testkit.KafkaBroker;
import dev.firebreak.testkit.KafkaRecords;
import dev.firebreak.testkit.PostgresFixture;
import dev.firebreak.testkit.TestInfrastructure;

import static dev.firebreak.remediation.engine.EngineFixture.alertResolved;
import static dev.firebreak.remediation.engine.EngineFixture.decided;
import static dev.firebreak.remediation.engine.EngineFixture.fired;
import static dev.firebreak.remediation.engine.EngineFixture.firing;
import static dev.firebreak.remediation.engine.EngineFixture.last;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole engine on a broker of its own and a real PostgreSQL: incident events in, as
 * incident-store writes them; real actions (processes, HTTP calls, files); outcomes out
 * as commands. Each test uses incidents of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class RemediationEngineTest {

	private static final KafkaBroker BROKER = KafkaBroker.startNew();

	private static final EngineFixture ENGINE = new EngineFixture(BROKER);

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static final String ADMIN = "admin-token-0123456789";

	private static final String OPERATOR = "operator-token-0123456789";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final List<String> CALLS = new CopyOnWriteArrayList<>();

	private static final List<String> AUTHORIZATIONS = new CopyOnWriteArrayList<>();

	private static final String AWX_SECRET = "AWX-S3CR3T-0123456789";

	private static HttpServer orchestrator;

	private static Path work;

	@LocalServerPort
	int port;

	@Autowired
	LatestIncidents latest;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
		work = Files.createTempDirectory("remediation-engine");
		orchestrator = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		orchestrator.createContext("/", (exchange) -> {
			CALLS.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		orchestrator.createContext("/awx", (exchange) -> {
			AUTHORIZATIONS.add(exchange.getRequestHeaders().getFirst("Authorization"));
			exchange.sendResponseHeaders(500, -1);
			exchange.close();
		});
		orchestrator.createContext("/health/", (exchange) -> {
			boolean down = exchange.getRequestURI().getPath().contains("broken");
			byte[] body = (down ? "connection pool exhausted" : "ok").getBytes(java.nio.charset.StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(down ? 503 : 200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		orchestrator.start();
		Path runbooks = Files.createDirectories(work.resolve("runbooks"));
		Files.createDirectories(work.resolve("markers"));
		Path logs = Files.createDirectories(work.resolve("logs"));
		Files.write(logs.resolve("app.log.1"), new byte[64]);
		Files.setLastModifiedTime(logs.resolve("app.log.1"), FileTime.from(Instant.now().minus(Duration.ofDays(3))));
		String scale = "http://127.0.0.1:" + orchestrator.getAddress().getPort();
		Files.writeString(runbooks.resolve("restart-service.yaml"), """
				id: restart-service
				match: { labels: { alertname: ServiceDown } }
				action:
				  type: command
				  # The label is one argument ($1) of a fixed script, never part of it.
				  argv: [/bin/sh, -c, 'echo "$1" >> "$0"', "%s", "{{labels.service}}"]
				  timeout: 10s
				guardrails: { dryRun: false, cooldown: 1h, maxAttempts: 2 }
				verification: { window: 3s }
				""".formatted(work.resolve("markers/restarts.log")));
		Files.writeString(runbooks.resolve("scale-out.yaml"), """
				id: scale-out
				match: { labels: { alertname: HighResponseTime } }
				action: { type: http, url: "%s/scale/{{labels.service}}", timeout: 5s }
				guardrails: { dryRun: false, approvalRequired: true, cooldown: 1ms, maxAttempts: 3 }
				verification: { window: 1m }
				""".formatted(scale));
		Files.writeString(runbooks.resolve("flush-cache.yaml"), """
				id: flush-cache
				match: { labels: { alertname: CacheStale } }
				action: { type: http, url: "%s/flush/{{labels.service}}", timeout: 5s }
				guardrails: { dryRun: false, cooldown: 1ms, maxAttempts: 1 }
				verification: { window: 1m }
				""".formatted(scale));
		Files.writeString(runbooks.resolve("retry-backup.yaml"),
				"""
						id: retry-backup
						match: { labels: { alertname: BackupFailed } }
						action: { type: command, argv: [/bin/false], timeout: 5s }
						target: "{{labels.service}}"
						guardrails: { dryRun: false, cooldown: 1ms, maxAttempts: 5, circuitBreaker: { failures: 2, window: 1h } }
						""");
		// Fails on its first run, succeeds on the second.
		Files.writeString(runbooks.resolve("restart-workers.yaml"), """
				id: restart-workers
				match: { labels: { alertname: TaskFailureRateHigh } }
				action:
				  type: command
				  argv: [/bin/sh, -c, 'echo "$1" >> "$0"; [ "$(wc -l < "$0")" -ge 2 ]', "%s", "{{labels.service}}"]
				guardrails: { dryRun: false, cooldown: 1h, maxAttempts: 3 }
				onFailure: { retry: 2, escalate: false }
				verification: { window: 1m }
				""".formatted(work.resolve("markers/workers.log")));
		Files.writeString(runbooks.resolve("notify-only.yaml"), """
				id: rotate-keys
				match: { labels: { alertname: KeysStale } }
				action: { type: command, argv: [/bin/false] }
				guardrails: { dryRun: false }
				onFailure: { escalate: false }
				""");
		Files.writeString(runbooks.resolve("call-awx.yaml"), """
				id: call-awx
				match: { labels: { alertname: JobStuck } }
				action:
				  type: http
				  url: "%s/awx/{{labels.service}}?token=${secret:awx-token}"
				  headers: { Authorization: "Bearer ${secret:awx-token}" }
				  timeout: 5s
				guardrails: { dryRun: false, cooldown: 1ms, maxAttempts: 1 }
				onFailure: { escalate: false }
				""".formatted(scale));
		Files.writeString(runbooks.resolve("clean-up-logs.yaml"), """
				id: clean-up-logs
				match: { labels: { alertname: DiskSpaceHigh } }
				action: { type: file-cleanup, root: "%s", glob: "**.log.*", olderThan: 1d }
				guardrails: { dryRun: true }
				""".formatted(logs));
		// Seed 001's API-down procedure: check, restart only when the check fails.
		Files.writeString(runbooks.resolve("api-down.yaml"),
				StepRunnerTest.apiDown(scale, work.resolve("markers/api-restarts.log")) + """
						guardrails: { dryRun: false, cooldown: 1ms, maxAttempts: 1 }
						verification: { window: 1m }
						""");
		Files.writeString(runbooks.resolve("collect-evidence.yaml"), """
				id: collect-evidence
				match: { labels: { alertname: SlowQueries } }
				steps:
				  - name: top-queries
				    diagnostic: true
				    action: { type: command, argv: [/bin/echo, "3 queries over 10m on {{labels.service}}"] }
				""");
		PostgresFixture postgres = TestInfrastructure.postgres();
		String database = postgres.createDatabase("remediation");
		registry.add("spring.kafka.bootstrap-servers", BROKER::bootstrapServers);
		registry.add("spring.datasource.url", () -> postgres.jdbcUrl(database));
		registry.add("spring.datasource.username", postgres::username);
		registry.add("spring.datasource.password", postgres::password);
		registry.add("firebreak.remediation.runbooks", runbooks::toString);
		registry.add("firebreak.remediation.secrets.awx-token.value", () -> AWX_SECRET);
		registry.add("firebreak.security.tokens[0].name", () -> "adam");
		registry.add("firebreak.security.tokens[0].token", () -> ADMIN);
		registry.add("firebreak.security.tokens[0].role", () -> "admin");
		registry.add("firebreak.security.tokens[1].name", () -> "olivia");
		registry.add("firebreak.security.tokens[1].token", () -> OPERATOR);
		registry.add("firebreak.security.tokens[1].role", () -> "operator");
		// Verifications that fail on purpose add up across tests: only retry-backup's own
		// breaker (2 failures) is under test.
		registry.add("firebreak.remediation.circuit-breaker.failures", () -> "1000");
		registry.add("firebreak.remediation.sweep-interval", () -> "200ms");
	}

	@AfterAll
	static void stop() {
		orchestrator.stop(0);
		BROKER.close();
	}

	@Test
	void runsTheMatchingRunbookOnceAndVerifiesThatTheAlertCleared() throws Exception {
		AlertEvent down = firing("ServiceDown", "api");
		ENGINE.send(fired("INC-20261122-0101", 1, down));
		ENGINE.send(fired("INC-20261122-0101", 1, down));
		ENGINE.awaitOutcome("INC-20261122-0101", RemediationStatus.STARTED, WAIT);

		ENGINE.send(alertResolved("INC-20261122-0101", 2, down));

		List<RemediationOutcome> outcomes = ENGINE.awaitOutcome("INC-20261122-0101", RemediationStatus.SUCCEEDED, WAIT);
		assertThat(outcomes).extracting(RemediationOutcome::getStatus)
			.containsExactly(RemediationStatus.STARTED, RemediationStatus.SUCCEEDED);
		RemediationOutcome succeeded = last(outcomes);
		assertThat(succeeded.getRemediationId()).isEqualTo("INC-20261122-0101.1.restart-service");
		assertThat(succeeded.getRunbookId()).isEqualTo("restart-service");
		assertThat(succeeded.getAction()).isEqualTo("command");
		assertThat(succeeded.getTarget()).isEqualTo("api");
		assertThat(succeeded.getDryRun()).isFalse();
		assertThat(succeeded.getReason()).satisfiesAnyOf((reason) -> assertThat(reason).startsWith("verified"),
				(reason) -> assertThat(reason).startsWith("the alert resolved while the action ran"));
		assertThat(restarts()).as("the redelivered event started nothing").containsOnlyOnce("api");
	}

	@Test
	void anAlertThatDoesNotClearWithinTheWindowFailsVerification() throws Exception {
		ENGINE.send(fired("INC-20261122-0102", 1, firing("ServiceDown", "web")));

		List<RemediationOutcome> outcomes = ENGINE.awaitOutcome("INC-20261122-0102", RemediationStatus.FAILED, WAIT);

		assertThat(outcomes).extracting(RemediationOutcome::getStatus)
			.containsExactly(RemediationStatus.STARTED, RemediationStatus.FAILED);
		assertThat(last(outcomes).getReason()).startsWith("verification: the alert still fires 3s after the action");
		assertThat(last(outcomes).getDetails()).containsEntry("verification", "failed");
		assertThat(restarts()).contains("web");
	}

	@Test
	void hostileLabelValuesNeverReachTheAction() throws Exception {
		List<String> hostile = List.of("api; id", "$(id)", "`id`", "api\nid", "--output=/etc/passwd", "../../etc",
				"api && touch " + work.resolve("markers/pwned"), "a".repeat(300), "");
		for (int i = 0; i < hostile.size(); i++) {
			String incident = "INC-20261122-02%02d".formatted(i);
			ENGINE.send(fired(incident, 1, firing("ServiceDown", hostile.get(i))));
		}
		for (int i = 0; i < hostile.size(); i++) {
			String incident = "INC-20261122-02%02d".formatted(i);
			RemediationOutcome skipped = last(ENGINE.awaitOutcome(incident, RemediationStatus.SKIPPED, WAIT));
			assertThat(skipped.getReason()).as(hostile.get(i)).startsWith("not run: labels.service ");
			assertThat(skipped.getDetails()).containsEntry("rejected", "labels.service");
			assertThat(ENGINE.outcomes(incident)).hasSize(1);
		}
		try (Stream<Path> markers = Files.list(work.resolve("markers"))) {
			assertThat(markers.map((path) -> path.getFileName().toString())).doesNotContain("pwned");
		}
		assertThat(restarts()).noneMatch((line) -> line.contains("id") || line.contains("passwd"));
	}

	@Test
	void noActionWhileAPersonIsOnItTheIncidentFlapsOrIsInMaintenance() {
		ENGINE.send(fired("INC-20261122-0301", 1, firing("ServiceDown", "acked"),
				(incident) -> incident.status(IncidentStatus.ACKNOWLEDGED)));
		ENGINE.send(fired("INC-20261122-0302", 1, firing("ServiceDown", "flappy"), (incident) -> incident.flapping()));
		ENGINE.send(
				fired("INC-20261122-0303", 1, firing("ServiceDown", "quiet"), (incident) -> incident.inMaintenance()));

		assertThat(last(ENGINE.awaitOutcome("INC-20261122-0301", RemediationStatus.SKIPPED, WAIT)).getReason())
			.contains("acknowledged by")
			.contains("a person is on it");
		assertThat(last(ENGINE.awaitOutcome("INC-20261122-0302", RemediationStatus.SKIPPED, WAIT)).getReason())
			.startsWith("the incident is flapping");
		assertThat(last(ENGINE.awaitOutcome("INC-20261122-0303", RemediationStatus.SKIPPED, WAIT)).getReason())
			.startsWith("the incident is in maintenance");
	}

	@Test
	void aStepRunbookAttachesWhatItsDiagnosticsFoundAsSoonAsItsStepsRan() throws IOException {
		AlertEvent down = firing("APIDown", "broken-api");
		ENGINE.send(fired("INC-20261122-0311", 1, down));

		Eventually.within(WAIT)
			.until(() -> ENGINE.outcomes("INC-20261122-0311")
				.stream()
				.anyMatch((outcome) -> !outcome.getFindings().isEmpty()));
		RemediationOutcome ran = last(ENGINE.outcomes("INC-20261122-0311"));
		assertThat(ran.getStatus()).isEqualTo(RemediationStatus.STARTED);
		assertThat(ran.getAction()).isEqualTo("steps");
		assertThat(ran.getReason()).startsWith("ran; the alert has until ")
			.contains("health failed: GET http://127.0.0.1:")
			.contains("; restart: /bin/sh exited with 0");
		assertThat(ran.getDetails()).containsEntry("phase", "verifying")
			.containsEntry("health.status", "503")
			.containsEntry("step.restart", "succeeded: /bin/sh exited with 0");
		assertThat(ran.getFindings()).singleElement().satisfies((finding) -> {
			assertThat(finding.getStep()).isEqualTo("health");
			assertThat(finding.getRemediationId()).isEqualTo("INC-20261122-0311.1.api-down");
			assertThat(finding.getSucceeded()).isFalse();
			assertThat(finding.getOutput()).isEqualTo("body: connection pool exhausted\nstatus: 503");
		});
		assertThat(Files.readAllLines(work.resolve("markers/api-restarts.log"))).contains("broken-api");

		ENGINE.send(alertResolved("INC-20261122-0311", 2, down));
		assertThat(ENGINE.awaitOutcome("INC-20261122-0311", RemediationStatus.SUCCEEDED, WAIT))
			.extracting(RemediationOutcome::getStatus)
			.containsExactly(RemediationStatus.STARTED, RemediationStatus.STARTED, RemediationStatus.SUCCEEDED);
	}

	@Test
	void whileAPersonIsOnItOnlyTheDiagnosticStepsRunAndADiagnosticRunbookAlwaysRuns() throws IOException {
		ENGINE.send(fired("INC-20261122-0312", 1, firing("APIDown", "broken-acked"),
				(incident) -> incident.status(IncidentStatus.ACKNOWLEDGED)));
		ENGINE.send(fired("INC-20261122-0313", 1, firing("SlowQueries", "orders"),
				(incident) -> incident.status(IncidentStatus.ACKNOWLEDGED)));

		RemediationOutcome skipped = last(ENGINE.awaitOutcome("INC-20261122-0312", RemediationStatus.SKIPPED, WAIT));
		assertThat(skipped.getReason()).startsWith("acknowledged by a person: a person is on it; its diagnostics ran: ")
			.contains("health failed: GET ");
		assertThat(skipped.getDetails()).containsEntry("step.restart", "skipped: not run: only diagnostics run now");
		assertThat(skipped.getFindings()).extracting((finding) -> finding.getStep()).containsExactly("health");
		Path restarts = work.resolve("markers/api-restarts.log");
		assertThat(Files.exists(restarts) ? Files.readAllLines(restarts) : List.of()).doesNotContain("broken-acked");

		List<RemediationOutcome> evidence = ENGINE.awaitOutcome("INC-20261122-0313", RemediationStatus.SUCCEEDED, WAIT);
		assertThat(evidence).as("gathering evidence holds no paging: no STARTED")
			.extracting(RemediationOutcome::getStatus)
			.containsExactly(RemediationStatus.SUCCEEDED);
		assertThat(last(evidence).getReason()).isEqualTo("gathered evidence: /bin/echo exited with 0");
		assertThat(last(evidence).getFindings()).singleElement()
			.satisfies((finding) -> assertThat(finding.getOutput())
				.isEqualTo("exitCode: 0\nstdout: 3 queries over 10m on orders"));
	}

	@Test
	void theCooldownHoldsPerTargetAndAttemptsPerIncidentAreBounded() {
		ENGINE.send(fired("INC-20261122-0401", 1, firing("ServiceDown", "cool")));
		ENGINE.awaitOutcome("INC-20261122-0401", RemediationStatus.STARTED, WAIT);
		ENGINE.send(fired("INC-20261122-0402", 1, firing("ServiceDown", "cool")));
		ENGINE.send(fired("INC-20261122-0403", 1, firing("ServiceDown", "warm")));

		assertThat(last(ENGINE.awaitOutcome("INC-20261122-0402", RemediationStatus.SKIPPED, WAIT)).getReason())
			.startsWith("ran on cool at ")
			.endsWith("within its cooldown of 1h");
		ENGINE.awaitOutcome("INC-20261122-0403", RemediationStatus.STARTED, WAIT);

		ENGINE.send(fired("INC-20261122-0404", 1, firing("CacheStale", "sessions")));
		ENGINE.awaitOutcome("INC-20261122-0404", RemediationStatus.STARTED, WAIT);
		ENGINE.send(fired("INC-20261122-0404", 2, firing("CacheStale", "sessions")));
		Eventually.within(WAIT)
			.until(() -> ENGINE.outcomes("INC-20261122-0404")
				.stream()
				.anyMatch((outcome) -> outcome.getStatus() == RemediationStatus.SKIPPED && outcome.getReason()
					.equals("ran 1 times for this incident, the most its guardrails allow (1)")));
		assertThat(CALLS).containsOnlyOnce("POST /flush/sessions");
	}

	@Test
	void aRunbookThatNeedsApprovalWaitsForTheOperator() {
		ENGINE.send(fired("INC-20261122-0501", 1, firing("HighResponseTime", "checkout")));
		RemediationOutcome waiting = last(
				ENGINE.awaitOutcome("INC-20261122-0501", RemediationStatus.AWAITING_APPROVAL, WAIT));
		assertThat(waiting.getRemediationId()).isEqualTo("INC-20261122-0501.1.scale-out");
		assertThat(waiting.getReason()).contains("/api/v1/remediations/INC-20261122-0501.1.scale-out/approve");
		assertThat(CALLS).doesNotContain("POST /scale/checkout");

		ENGINE.send(decided(IncidentEventType.REMEDIATION_APPROVED, "INC-20261122-0501", 2, waiting.getRemediationId(),
				"olivia"));

		RemediationOutcome started = last(ENGINE.awaitOutcome("INC-20261122-0501", RemediationStatus.STARTED, WAIT));
		assertThat(started.getRemediationId()).isEqualTo(waiting.getRemediationId());
		Eventually.within(WAIT).until(() -> CALLS.contains("POST /scale/checkout"));

		ENGINE.send(fired("INC-20261122-0502", 1, firing("HighResponseTime", "search")));
		RemediationOutcome other = last(
				ENGINE.awaitOutcome("INC-20261122-0502", RemediationStatus.AWAITING_APPROVAL, WAIT));
		ENGINE.send(decided(IncidentEventType.REMEDIATION_REJECTED, "INC-20261122-0502", 2, other.getRemediationId(),
				"olivia"));
		ENGINE.send(decided(IncidentEventType.REMEDIATION_APPROVED, "INC-20261122-0502", 3, other.getRemediationId(),
				"mallory"));
		// The engine has read both decisions once a later event's outcome is out.
		ENGINE.send(fired("INC-20261122-0502", 4, firing("ServiceDown", "search")));
		ENGINE.awaitOutcome("INC-20261122-0502", RemediationStatus.STARTED, WAIT);
		assertThat(ENGINE.outcomes("INC-20261122-0502")).extracting(RemediationOutcome::getRunbookId)
			.containsExactly("scale-out", "restart-service");
		assertThat(CALLS).doesNotContain("POST /scale/search");
	}

	@Test
	void theKillSwitchStopsEveryRunbookUntilItIsTurnedOff() throws Exception {
		// Recorded under the authenticated admin, whatever the body says.
		JsonNode switched = actuator("{\"killSwitch\": true, \"by\": \"mallory\"}");
		assertThat(switched.get("killSwitch").asBoolean()).isTrue();
		assertThat(switched.get("killSwitchChangedBy").asString()).isEqualTo("adam");
		try {
			ENGINE.send(fired("INC-20261122-0601", 1, firing("ServiceDown", "halted")));
			assertThat(last(ENGINE.awaitOutcome("INC-20261122-0601", RemediationStatus.SKIPPED, WAIT)).getReason())
				.isEqualTo("the kill switch is on: no remediation runs");
			assertThat(health().get("components").get("remediation").get("details").get("killSwitch").asBoolean())
				.isTrue();
		}
		finally {
			// A relay (the console) names the person it acts for beside itself, never
			// instead.
			JsonNode off = actuator("{\"killSwitch\": false, \"onBehalfOf\": \"alice\\u0007\\u202e\"}");
			assertThat(off.get("killSwitch").asBoolean()).isFalse();
			assertThat(off.get("killSwitchChangedBy").asString()).isEqualTo("adam for alice");
		}
		ENGINE.send(fired("INC-20261122-0602", 1, firing("ServiceDown", "resumed")));
		ENGINE.awaitOutcome("INC-20261122-0602", RemediationStatus.STARTED, WAIT);
	}

	@Test
	void repeatedFailuresOpenTheCircuitUntilAnOperatorResetsIt() throws Exception {
		ENGINE.send(fired("INC-20261122-0701", 1, firing("BackupFailed", "db-1")));
		RemediationOutcome first = last(ENGINE.awaitOutcome("INC-20261122-0701", RemediationStatus.FAILED, WAIT));
		assertThat(first.getReason()).isEqualTo("the action failed: /bin/false exited with 1");
		ENGINE.send(fired("INC-20261122-0702", 1, firing("BackupFailed", "db-2")));
		RemediationOutcome second = last(ENGINE.awaitOutcome("INC-20261122-0702", RemediationStatus.FAILED, WAIT));
		assertThat(second.getReason()).endsWith("; runbook disabled by its circuit breaker: 2 failures within 1h");
		assertThat(second.getDetails()).containsEntry("circuit", "open");

		ENGINE.send(fired("INC-20261122-0703", 1, firing("BackupFailed", "db-3")));
		assertThat(last(ENGINE.awaitOutcome("INC-20261122-0703", RemediationStatus.SKIPPED, WAIT)).getReason())
			.startsWith("runbook retry-backup is disabled by its circuit breaker");
		assertThat(runbooks().findValues("circuitOpen").stream().map(JsonNode::asString))
			.contains("2 failures within 1h");

		actuator("{\"resetCircuit\": \"retry-backup\"}");
		ENGINE.send(fired("INC-20261122-0704", 1, firing("BackupFailed", "db-4")));
		assertThat(last(ENGINE.awaitOutcome("INC-20261122-0704", RemediationStatus.FAILED, WAIT)).getReason())
			.as("one failure after the reset")
			.isEqualTo("the action failed: /bin/false exited with 1");
	}

	@Test
	void aFailedActionIsRunAgainAsTheRunbookSaysAndAFinalFailureNeedNotEscalate() {
		AlertEvent failing = firing("TaskFailureRateHigh", "queue");
		ENGINE.send(fired("INC-20261122-1101", 1, failing));
		ENGINE.awaitOutcome("INC-20261122-1101", RemediationStatus.FAILED, WAIT);
		Eventually.within(WAIT)
			.until(() -> ENGINE.outcomes("INC-20261122-1101")
				.stream()
				.filter((outcome) -> outcome.getStatus() == RemediationStatus.STARTED)
				.count() == 2);
		ENGINE.send(alertResolved("INC-20261122-1101", 2, failing));

		List<RemediationOutcome> outcomes = ENGINE.awaitOutcome("INC-20261122-1101", RemediationStatus.SUCCEEDED, WAIT);
		assertThat(outcomes).extracting(RemediationOutcome::getStatus)
			.containsExactly(RemediationStatus.STARTED, RemediationStatus.FAILED, RemediationStatus.STARTED,
					RemediationStatus.SUCCEEDED);
		assertThat(outcomes).extracting(RemediationOutcome::getAttempt).containsExactly(1, 1, 2, 2);
		assertThat(outcomes.get(1).getReason()).endsWith("; running it again (attempt 2)");
		assertThat(outcomes.get(1).getDetails()).containsEntry("retrying", "true");

		ENGINE.send(fired("INC-20261122-1102", 1, firing("KeysStale", "vault")));
		RemediationOutcome failed = last(ENGINE.awaitOutcome("INC-20261122-1102", RemediationStatus.FAILED, WAIT));
		assertThat(failed.getReason()).endsWith("; not escalated (onFailure.escalate: false)");
		assertThat(failed.getDetails()).containsEntry("escalate", "false");
	}

	@Test
	void aDryRunbookSaysWhatItWouldDoAndDoesNothing() {
		ENGINE.send(fired("INC-20261122-0801", 1, firing("DiskSpaceHigh", "disk")));

		RemediationOutcome dry = last(ENGINE.awaitOutcome("INC-20261122-0801", RemediationStatus.SKIPPED, WAIT));

		assertThat(dry.getDryRun()).isTrue();
		assertThat(dry.getReason())
			.startsWith("dry run: would delete 1 files (64 bytes) under " + work.resolve("logs"));
		assertThat(dry.getDetails()).containsEntry("paths", "app.log.1");
		assertThat(work.resolve("logs/app.log.1")).exists();
	}

	@Test
	void anUndecodableEventIsDeadLetteredAndTheNextOneHandled() {
		try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers()), new ByteArraySerializer(),
				new ByteArraySerializer())) {
			producer.send(new ProducerRecord<>(Topics.INCIDENT_EVENTS.name(), "INC-20261122-0901".getBytes(),
					"not avro at all".getBytes()));
		}
		ENGINE.send(fired("INC-20261122-0901", 1, firing("ServiceDown", "after-poison")));

		ENGINE.awaitOutcome("INC-20261122-0901", RemediationStatus.STARTED, WAIT);
		Topic<byte[], byte[]> deadLetters = Topics.INCIDENT_EVENTS.deadLetter();
		List<ConsumerRecord<byte[], byte[]>> letters = Eventually.within(WAIT)
			.until(() -> dev.firebreak.testkit.KafkaRecords.readAll(BROKER, deadLetters, WAIT),
					(all) -> !all.isEmpty());
		assertThat(new String(letters.get(0).value())).isEqualTo("not avro at all");
		assertThat(DeadLetter.header(letters.get(0).headers(), DeadLetter.REASON)).isEqualTo("BAD_MARKER");
	}

	@Test
	void aRunbookSecretReachesTheTargetAndNothingElse(CapturedOutput output) throws Exception {
		ENGINE.send(fired("INC-20261122-1201", 1, firing("JobStuck", "billing")));

		RemediationOutcome failed = last(ENGINE.awaitOutcome("INC-20261122-1201", RemediationStatus.FAILED, WAIT));
		assertThat(AUTHORIZATIONS).containsExactly("Bearer " + AWX_SECRET);
		assertThat(failed.getReason())
			.isEqualTo("the action failed: POST http://127.0.0.1:" + orchestrator.getAddress().getPort()
					+ "/awx/billing?… answered 500; not escalated (onFailure.escalate: false)");
		assertThat(ENGINE.outcomes("INC-20261122-1201")).allSatisfy(
				(outcome) -> assertThat(outcome.toString()).doesNotContain(AWX_SECRET).doesNotContain("S3CR3T"));
		String catalogue = HTTP
			.send(admin(uri("/api/v1/runbooks/call-awx")).build(), HttpResponse.BodyHandlers.ofString())
			.body();
		assertThat(catalogue).contains("Bearer ${secret:awx-token}").doesNotContain(AWX_SECRET);
		assertThat(output.getAll()).doesNotContain(AWX_SECRET);
	}

	@Test
	void anOperatorTriesARunbookOnAnAlertsLabelsAndNothingIsSent() throws Exception {
		int sent = AUTHORIZATIONS.size();
		JsonNode trial = dryRun("call-awx", """
				{"labels": {"alertname": "JobStuck", "service": "billing"}, "incidentId": "INC-20261122-1701"}""");

		assertThat(trial.get("mismatches")).isEmpty();
		assertThat(trial.get("rejected").isNull()).isTrue();
		assertThat(trial.get("wouldSucceed").asBoolean()).isTrue();
		assertThat(trial.get("summary").asString()).startsWith("would call POST http://127.0.0.1:")
			.contains("/awx/billing")
			.doesNotContain(AWX_SECRET);
		assertThat(trial.get("action").get("headers.Authorization").asString()).isEqualTo("Bearer ******");
		assertThat(trial.get("action").get("url").asString()).endsWith("/awx/billing?token=******");
		assertThat(AUTHORIZATIONS).as("nothing reached the target").hasSize(sent);

		JsonNode refused = dryRun("call-awx", """
				{"labels": {"alertname": "JobStuck2", "service": "bill ing"}}""");
		assertThat(refused.get("mismatches").get(0).asString()).isEqualTo("alertname is 'JobStuck2', not 'JobStuck'");
		assertThat(refused.get("rejected").asString()).isEqualTo("labels.service");
		assertThat(refused.get("wouldSucceed").asBoolean()).isFalse();
		assertThat(refused.get("summary").asString()).startsWith("not run: labels.service");

		HttpResponse<String> empty = HTTP.send(operator(uri("/api/v1/runbooks/call-awx/dry-run")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(empty.statusCode()).isEqualTo(400);
		for (String hostile : List.of("{\"labels\": {\"alertname\": null}}", "{\"labels\": {\"bad-name\": \"x\"}}",
				"{\"labels\": {\"service\": \"" + "x".repeat(2000) + "\"}}")) {
			HttpResponse<String> refused400 = HTTP.send(operator(uri("/api/v1/runbooks/call-awx/dry-run"))
				.POST(HttpRequest.BodyPublishers.ofString(hostile))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(refused400.statusCode()).as(hostile).isEqualTo(400);
		}
		assertThat(AUTHORIZATIONS).hasSize(sent);
	}

	@Test
	void anOperatorTriesAStepRunbookOnAnIncidentTheEngineKnows() throws Exception {
		Incident incident = Incidents.open("INC-20261122-1702")
			.alert(Alerts.firing("CacheStale").label("service", "sessions").build())
			.alert(Alerts.firing("APIDown").label("service", "broken-trial").build())
			.build();
		this.latest.accept(incident);

		JsonNode trial = dryRun("api-down", """
				{"incidentId": "INC-20261122-1702"}""");

		assertThat(trial.get("alert").asString()).startsWith("APIDown (");
		assertThat(trial.get("mismatches")).isEmpty();
		assertThat(trial.get("target").asString()).isEqualTo("broken-trial");
		assertThat(trial.get("action").get("restart.argv[4]").asString()).isEqualTo("broken-trial");
		assertThat(trial.get("action").get("health.method").asString()).isEqualTo("GET");
		// The check, which only reads, ran; the restart only says what it would do.
		assertThat(trial.get("details").get("step.health").asString()).isEqualTo("failed: GET http://127.0.0.1:"
				+ orchestrator.getAddress().getPort() + "/health/broken-trial answered 503");
		assertThat(trial.get("details").get("step.restart").asString())
			.startsWith("succeeded: would run [/bin/sh, -c, ")
			.endsWith(", broken-trial] in " + System.getProperty("java.io.tmpdir"));
		Path restarts = work.resolve("markers/api-restarts.log");
		assertThat(Files.exists(restarts) ? Files.readAllLines(restarts) : List.of()).doesNotContain("broken-trial");

		// On labels it does not answer, nothing is read for real.
		JsonNode elsewhere = dryRun("api-down", """
				{"labels": {"alertname": "CacheStale", "service": "broken-trial"}}""");
		assertThat(elsewhere.get("details").get("diagnostics").asString())
			.isEqualTo("not run for real: the runbook does not answer this alert");
		assertThat(elsewhere.get("details").get("step.health").asString()).startsWith("succeeded: would call GET ");

		HttpResponse<String> unknown = HTTP.send(operator(uri("/api/v1/runbooks/api-down/dry-run"))
			.POST(HttpRequest.BodyPublishers.ofString("{\"incidentId\": \"INC-20261122-9999\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.body()).contains("No incident INC-20261122-9999");
		HttpResponse<String> hostile = HTTP.send(operator(uri("/api/v1/runbooks/api-down/dry-run"))
			.POST(HttpRequest.BodyPublishers.ofString("{\"incidentId\": \"INC/../../x\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(hostile.statusCode()).isEqualTo(400);
	}

	private JsonNode dryRun(String runbook, String body) throws Exception {
		HttpResponse<String> response = HTTP.send(operator(uri("/api/v1/runbooks/" + runbook + "/dry-run"))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

	private static HttpRequest.Builder operator(URI uri) {
		return HttpRequest.newBuilder(uri)
			.header("Authorization", "Bearer " + OPERATOR)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.noBody());
	}

	@Test
	void onlyAdminsReadTheCatalogueAndWorkTheSwitchesAndOperatorsTryRunbooks() {
		AccessCheck check = AccessCheck.against("http://127.0.0.1:" + this.port)
			.bearer("admin", ADMIN, "admin", "operator", "viewer")
			.bearer("operator", OPERATOR, "operator", "viewer")
			.endpoint("GET", "/api/v1/runbooks", "admin")
			.endpoint("GET", "/api/v1/runbooks/restart-service", "admin")
			.endpoint("POST", "/api/v1/runbooks/restart-service/dry-run", "operator",
					"{\"labels\":{\"alertname\":\"ServiceDown\",\"service\":\"api\"}}")
			.endpoint("GET", "/actuator/remediation", "admin")
			.endpoint("POST", "/actuator/remediation", "admin", "{}")
			.open("GET", "/actuator/health/readiness")
			.open("GET", "/actuator/prometheus");

		assertThat(check.refusals()).isEmpty();
		assertThat(check.roles()).isEmpty();
		assertThat(check.uncovered(this.mappings)).isEmpty();
	}

	@Test
	void theGuardrailsGoByTheNewestStateKnownNotAnOlderEventsSnapshot() {
		// The engine lags: by the time it reads the opening event, incident-store has
		// recorded a person's acknowledgement on firebreak.incidents.
		AlertEvent alert = firing("ServiceDown", "lagging");
		Incident acknowledged = Incidents.open("INC-20261122-1401")
			.version(2)
			.status(IncidentStatus.ACKNOWLEDGED)
			.alert(alert)
			.build();
		acknowledged.setAcknowledgedBy("olivia");
		KafkaRecords.produce(BROKER, Topics.INCIDENTS, Map.entry(acknowledged.getId(), acknowledged));
		Eventually.within(WAIT)
			.until(() -> this.latest.newest(fired("INC-20261122-1401", 1, alert).getIncident())
				.source()
				.equals("firebreak.incidents v2"));

		ENGINE.send(fired("INC-20261122-1401", 1, alert));

		RemediationOutcome skipped = last(ENGINE.awaitOutcome("INC-20261122-1401", RemediationStatus.SKIPPED, WAIT));
		assertThat(skipped.getReason()).isEqualTo("acknowledged by olivia: a person is on it");
		assertThat(skipped.getDetails()).containsEntry("checkedAgainst", "firebreak.incidents v2");
		ENGINE.send(fired("INC-20261122-1402", 1, firing("ServiceDown", "current")));
		assertThat(last(ENGINE.awaitOutcome("INC-20261122-1402", RemediationStatus.STARTED, WAIT)).getDetails())
			.containsEntry("checkedAgainst", "event v1");
	}

	@Test
	void anEventTheDatabaseRefusesIsDeadLetteredAndTheNextOneHandled() {
		// PostgreSQL keeps no NUL character in a JSON value: it refuses this attempt's
		// row
		// every time, so retrying it would block the partition forever.
		AlertEvent poisoned = Alerts.firing("ServiceDown")
			.label("service", "nul")
			.label("severity", "critical")
			.annotation("summary", "a \u0000 in it")
			.build();
		ENGINE.send(fired("INC-20261122-1301", 1, poisoned));
		ENGINE.send(fired("INC-20261122-1302", 1, firing("ServiceDown", "after-refusal")));

		ENGINE.awaitOutcome("INC-20261122-1302", RemediationStatus.STARTED, WAIT);
		List<ConsumerRecord<byte[], byte[]>> letters = Eventually.within(WAIT)
			.until(() -> dev.firebreak.testkit.KafkaRecords
				.readAll(BROKER, Topics.INCIDENT_EVENTS.deadLetter(), Duration.ofSeconds(5))
				.stream()
				.filter((record) -> "INC-20261122-1301".equals(new String(record.key())))
				.toList(), (all) -> !all.isEmpty());
		assertThat(DeadLetter.header(letters.get(0).headers(), DeadLetter.REASON)).isEqualTo("DATABASE_REFUSED");
		assertThat(ENGINE.outcomes("INC-20261122-1301")).isEmpty();
	}

	@Test
	void theCatalogueIsListedReadOnly() throws Exception {
		JsonNode runbooks = runbooks();
		assertThat(runbooks.findValues("id").stream().map(JsonNode::asString)).containsExactlyInAnyOrder("api-down",
				"call-awx", "clean-up-logs", "collect-evidence", "flush-cache", "restart-service", "restart-workers",
				"retry-backup", "rotate-keys", "scale-out");
		JsonNode apiDown = JSON
			.readTree(HTTP.send(admin(uri("/api/v1/runbooks/api-down")).build(), HttpResponse.BodyHandlers.ofString())
				.body());
		assertThat(apiDown.has("action")).isFalse();
		assertThat(apiDown.get("steps").findValues("name").stream().map(JsonNode::asString)).containsExactly("health",
				"restart");
		assertThat(apiDown.get("steps").get(0).get("diagnostic").asBoolean()).isTrue();
		assertThat(apiDown.get("steps").get(0).get("action").get("method").asString()).isEqualTo("GET");
		assertThat(apiDown.get("steps").get(1).get("when").asString()).isEqualTo("steps.health.status != 200");
		HttpResponse<String> missing = HTTP.send(admin(uri("/api/v1/runbooks/nope")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(missing.statusCode()).isEqualTo(404);
		assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		HttpResponse<String> write = HTTP
			.send(admin(uri("/api/v1/runbooks")).POST(HttpRequest.BodyPublishers.ofString("{}"))
				.header("Content-Type", "application/json")
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(write.statusCode()).isEqualTo(405);
		assertThat(health().get("status").asString()).isEqualTo("UP");
	}

	private JsonNode runbooks() throws Exception {
		HttpResponse<String> response = HTTP.send(admin(uri("/api/v1/runbooks")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

	private JsonNode actuator(String body) throws Exception {
		HttpResponse<String> response = HTTP
			.send(admin(uri("/actuator/remediation")).POST(HttpRequest.BodyPublishers.ofString(body))
				.header("Content-Type", "application/json")
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

	private JsonNode health() throws Exception {
		return JSON
			.readTree(HTTP.send(admin(uri("/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.ofString())
				.body());
	}

	private static HttpRequest.Builder admin(URI uri) {
		return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + ADMIN);
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private static List<String> restarts() throws IOException {
		Path log = work.resolve("markers/restarts.log");
		return Files.exists(log) ? Files.readAllLines(log) : List.of();
	}

}
