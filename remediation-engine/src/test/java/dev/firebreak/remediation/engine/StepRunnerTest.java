package dev.firebreak.remediation.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.firebreak.platform.Secret;
import dev.firebreak.remediation.action.Action;
import dev.firebreak.remediation.action.CommandAction;
import dev.firebreak.remediation.action.DockerAction;
import dev.firebreak.remediation.action.HttpAction;
import dev.firebreak.remediation.runbook.Runbook;
import dev.firebreak.remediation.runbook.RunbookLoader;
import dev.firebreak.schemas.avro.Finding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Step runbooks against real targets: an HTTP server playing the application's health
 * check, and real processes for the restart.
 */
class StepRunnerTest {

	private static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");

	private static final List<String> CALLS = new CopyOnWriteArrayList<>();

	private static HttpServer application;

	@TempDir
	Path work;

	private final StepRunner runner = new StepRunner(Map.<String, Action>of("http", new HttpAction(), "command",
			new CommandAction(System.getenv()), "docker", new DockerAction("docker", System.getenv())),
			Clock.fixed(NOW, ZoneOffset.UTC));

	@BeforeAll
	static void start() throws IOException {
		application = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		application.createContext("/health/", (exchange) -> {
			String service = exchange.getRequestURI().getPath().substring("/health/".length());
			CALLS.add(exchange.getRequestMethod() + " " + service);
			boolean down = service.startsWith("broken");
			byte[] body = (down ? "connection pool exhausted <*&*>" : "ok").getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(down ? 503 : 200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		application.start();
	}

	@AfterAll
	static void stop() {
		application.stop(0);
	}

	@Test
	void aHealthyApplicationIsNotRestartedAndTheSkipSaysWhy() {
		StepRunner.Ran ran = run(apiDown(), "fine", false, false);

		assertThat(ran.result().succeeded()).isTrue();
		assertThat(ran.result().details())
			.containsEntry("step.health", "succeeded: GET " + url("fine") + " answered 200")
			.containsEntry("step.restart", "skipped: steps.health.status != 200 does not hold: status was '200'")
			.containsEntry("step.recheck",
					"skipped: steps.restart.succeeded == true does not hold: step restart did not run")
			.containsEntry("health.status", "200");
		assertThat(restarts()).isEmpty();
		assertThat(ran.findings()).singleElement().satisfies((finding) -> {
			assertThat(finding.getStep()).isEqualTo("health");
			assertThat(finding.getRunbookId()).isEqualTo("api-down");
			assertThat(finding.getRemediationId()).isEqualTo("INC-1.1.api-down");
			assertThat(finding.getSucceeded()).isTrue();
			assertThat(finding.getOutput()).isEqualTo("body: ok\nstatus: 200");
			assertThat(finding.getCollectedAt()).isEqualTo(NOW);
		});
	}

	@Test
	void aFailedHealthCheckLeadsToTheRestartThenTheCheckAgainAndItsEvidence() throws IOException {
		StepRunner.Ran ran = run(apiDown(), "broken-api", false, false);

		assertThat(restarts()).containsExactly("broken-api");
		assertThat(ran.findings()).extracting(Finding::getStep).containsExactly("health", "recheck");
		assertThat(ran.findings().get(0).getSucceeded()).isFalse();
		assertThat(ran.findings().get(0).getSummary()).isEqualTo("GET " + url("broken-api") + " answered 503");
		assertThat(ran.findings().get(0).getOutput()).isEqualTo("body: connection pool exhausted <*&*>\nstatus: 503");
		// The check after the restart fails too: the runbook fails, and says which step.
		assertThat(ran.result().succeeded()).isFalse();
		assertThat(ran.result().summary()).startsWith("step recheck failed (health failed: GET ")
			.contains("; restart: /bin/sh exited with 0; recheck failed: GET ");
		assertThat(CALLS).containsSubsequence("GET broken-api", "GET broken-api");
	}

	@Test
	void aFailedStepEndsTheRunUnlessItMayContinue() {
		Runbook runbook = runbook("""
				id: chain
				match: { labels: { alertname: X } }
				steps:
				  - name: first
				    action: { type: command, argv: [/bin/false] }
				  - name: second
				    action: { type: command, argv: [/bin/true] }
				""");

		StepRunner.Ran ran = this.runner.run(runbook, runbook.prepare(Map.of(), false), "INC-1.1.chain", false);

		assertThat(ran.result().succeeded()).isFalse();
		assertThat(ran.result().details()).containsEntry("step.second", "skipped: not run: step first failed");
		assertThat(ran.findings()).isEmpty();
	}

	@Test
	void aRunWhoseLeaseIsLostRunsNoFurtherStepAndSaysSo() throws IOException {
		Path ran = this.work.resolve("steps.log");
		Runbook runbook = runbook("""
				id: three
				match: { labels: { alertname: X } }
				steps:
				  - name: first
				    action: { type: command, argv: [/bin/sh, -c, 'echo first >> "$0"', "%s"] }
				  - name: second
				    action: { type: command, argv: [/bin/sh, -c, 'echo second >> "$0"', "%s"] }
				  - name: third
				    action: { type: command, argv: [/bin/sh, -c, 'echo third >> "$0"', "%s"] }
				""".formatted(ran, ran, ran));
		List<Boolean> renewals = new CopyOnWriteArrayList<>(List.of(true, true, false));

		StepRunner.Ran lost = this.runner.run(runbook, runbook.prepare(Map.of(), false), "INC-1.1.three", false,
				() -> renewals.remove(0));

		assertThat(Files.readAllLines(ran)).containsExactly("first", "second");
		assertThat(renewals).as("renewed before each step that ran, and before the third").isEmpty();
		assertThat(lost.lost()).isTrue();
		assertThat(lost.result().succeeded()).isFalse();
		assertThat(lost.result().summary()).isEqualTo("stopped before step third: another engine holds the attempt");
		assertThat(lost.result().details()).containsKeys("step.first", "step.second").doesNotContainKey("step.third");
	}

	@Test
	void aRunThatKeepsItsLeaseIsNotLost() {
		Runbook runbook = runbook("""
				id: one
				match: { labels: { alertname: X } }
				action: { type: command, argv: [/bin/true] }
				""");

		StepRunner.Ran ran = this.runner.run(runbook, runbook.prepare(Map.of(), false), "INC-1.1.one", false,
				() -> true);

		assertThat(ran.lost()).isFalse();
		assertThat(ran.result().succeeded()).isTrue();
	}

	@Test
	void inDryRunDiagnosticsReallyRunAndActionsOnlySayWhatTheyWouldDo() throws IOException {
		StepRunner.Ran ran = run(apiDown(), "broken-dry", true, false);

		assertThat(restarts()).isEmpty();
		assertThat(ran.result().details().get("step.restart")).startsWith("succeeded: would run [/bin/sh, -c,");
		assertThat(ran.findings()).extracting(Finding::getSummary)
			.first()
			.isEqualTo("GET " + url("broken-dry") + " answered 503");
	}

	@Test
	void whileAPersonIsOnItOnlyTheDiagnosticsRun() throws IOException {
		StepRunner.Ran ran = run(apiDown(), "broken-acked", false, true);

		assertThat(restarts()).isEmpty();
		assertThat(ran.result().details()).containsEntry("step.restart", "skipped: not run: only diagnostics run now");
		assertThat(ran.findings()).extracting(Finding::getStep).containsExactly("health");
	}

	@Test
	void aDiagnosticsOutputIsBoundedKeepsItsNewestLinesAndIsMasked() {
		Runbook runbook = RunbookLoader.parse(
				Map.of("logs.yaml",
						"""
								id: logs
								match: { labels: { alertname: X } }
								steps:
								  - name: logs
								    diagnostic: true
								    action: { type: command, argv: [/bin/sh, -c, 'yes x | head -c 3000; echo "FATAL token=$0"', "${secret:token}"] }
								"""),
				Map.of("token", Secret.of("T0P-S3CR3T")))
			.get(0);

		StepRunner.Ran ran = this.runner.run(runbook, runbook.prepare(Map.of(), false), "INC-1.1.logs", false);

		Finding finding = ran.findings().get(0);
		assertThat(finding.getOutput()).startsWith("exitCode: 0\nstdout: …")
			.endsWith("x\nFATAL token=******")
			.doesNotContain("T0P-S3CR3T");
		assertThat(finding.getOutput().length()).isLessThanOrEqualTo(StepRunner.MAX_FINDING_OUTPUT);
	}

	@Test
	void theShippedApplicationRunbookChecksRestartsAndChecksAgainInADryRun() {
		Runbook shipped = RunbookLoader.defaults()
			.stream()
			.filter((runbook) -> runbook.id().equals("restart-application"))
			.findFirst()
			.orElseThrow();
		String probed = "http://localhost:" + application.getAddress().getPort() + "/health/broken-shipped";
		Map<String, String> values = Map.of("labels.service", "api", "labels.instance", probed);
		for (String elsewhere : List.of("http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:8080/health",
				"http://metadata.google.internal/computeMetadata/v1/", "file:///etc/passwd")) {
			assertThat(org.assertj.core.api.Assertions.catchThrowable(
					() -> shipped.prepare(Map.of("labels.service", "api", "labels.instance", elsewhere), true)))
				.as(elsewhere)
				.isInstanceOf(dev.firebreak.remediation.action.Template.RejectedValueException.class);
		}

		StepRunner.Ran ran = this.runner.run(shipped, shipped.prepare(values, true), "INC-1.1.restart-application",
				false);

		assertThat(ran.result().details().get("step.restart"))
			.isEqualTo("succeeded: would run [docker, compose, restart, api] in /opt/app");
		assertThat(ran.findings()).filteredOn((finding) -> !finding.getStep().equals("logs"))
			.extracting(Finding::getStep, Finding::getSummary, Finding::getSucceeded)
			.containsExactly(tuple("health", "curl exited with 22", false),
					tuple("recheck", "curl exited with 22", false));
		assertThat(ran.findings().get(0).getOutput()).contains("stdout: HTTP 503")
			.contains("The requested URL returned error: 503");
		assertThat(ran.result().succeeded()).as("still down after the restart: the runbook fails and escalates")
			.isFalse();
		assertThat(CALLS).containsSubsequence("GET broken-shipped", "GET broken-shipped");
	}

	private StepRunner.Ran run(Runbook runbook, String service, boolean dryRun, boolean diagnosticsOnly) {
		Map<String, String> values = Map.of("labels.service", service);
		return this.runner.run(runbook, runbook.prepare(values, dryRun), "INC-1.1.api-down", diagnosticsOnly);
	}

	/** Seed 001's API-down procedure, checked again after its restart. */
	private Runbook apiDown() {
		return runbook(apiDown(base(), this.work.resolve("restarts.log")) + """
				  - name: recheck
				    when: steps.restart.succeeded == true
				    diagnostic: true
				    delay: 50ms
				    action: { type: http, method: GET, url: "%s/health/{{labels.service}}", timeout: 5s }
				""".formatted(base()));
	}

	/**
	 * Seed 001's API-down procedure as far as its restart, which writes the service to a
	 * file: check {@code <base>/health/<service>}, restart when the check fails.
	 */
	static String apiDown(String base, Path restarts) {
		return """
				id: api-down
				match: { labels: { alertname: APIDown } }
				steps:
				  - name: health
				    diagnostic: true
				    continueOnFailure: true
				    action: { type: http, method: GET, url: "%s/health/{{labels.service}}", timeout: 5s }
				  - name: restart
				    when: steps.health.status != 200
				    action: { type: command, argv: [/bin/sh, -c, 'echo "$1" >> "$0"', "%s", "{{labels.service}}"] }
				""".formatted(base, restarts);
	}

	private static Runbook runbook(String yaml) {
		return RunbookLoader.parse(Map.of("runbook.yaml", yaml)).get(0);
	}

	private List<String> restarts() {
		Path log = this.work.resolve("restarts.log");
		try {
			return Files.exists(log) ? Files.readAllLines(log) : List.of();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static String base() {
		return "http://127.0.0.1:" + application.getAddress().getPort();
	}

	private static String url(String service) {
		return base() + "/health/" + service;
	}

}
