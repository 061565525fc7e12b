package dev.firebreak.remediation.runbook;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.firebreak.schemas.avro.AlertStatus;
import dev.firebreak.schemas.avro.Severity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RunbookLoaderTest {

	private static final List<Runbook> DEFAULTS = RunbookLoader.defaults();

	@Test
	void theDefaultCatalogueLoadsAndIsDry() {
		assertThat(DEFAULTS).hasSize(19).allSatisfy((runbook) -> assertThat(runbook.guardrails().dryRun()).isTrue());
		assertThat(DEFAULTS).extracting((runbook) -> runbook.actionType())
			.containsOnly("command", "http", "postgres", "file-cleanup", "docker", "steps");
		assertThat(DEFAULTS).filteredOn((runbook) -> runbook.steps().size() > 1)
			.extracting(Runbook::id, (runbook) -> runbook.steps().stream().map(Step::name).toList())
			.containsExactlyInAnyOrder(tuple("restart-application", List.of("health", "logs", "restart", "recheck")),
					tuple("restart-database", List.of("ready", "logs", "restart", "recheck")),
					tuple("rollout-restart-application", List.of("pods", "logs", "restart")),
					tuple("terminate-long-queries", List.of("longest", "terminate")));
	}

	/** Seed 003's Alert Response Matrix: one runbook per row, none for HighErrorRate. */
	@ParameterizedTest
	@ValueSource(strings = { "ServiceDown", "DatabaseConnectionsHigh", "DiskSpaceHigh", "MemoryUsageHigh",
			"SSLCertificateExpiring", "HighResponseTime", "WorkerQueueHigh", "TaskFailureRateHigh", "ResourceUsageHigh",
			"BackupFailed" })
	void everyRowOfTheResponseMatrixHasExactlyOneRunbook(String alertname) {
		Map<String, String> labels = Map.of("alertname", alertname, "job", "api", "container", "api-1", "cert_name",
				"example.org");
		assertThat(DEFAULTS.stream()
			.filter((runbook) -> runbook.match().matches(labels, Severity.SEV2, AlertStatus.FIRING))).hasSize(1);
	}

	@Test
	void highErrorRateHasNoRunbook() {
		assertThat(DEFAULTS.stream()
			.filter((runbook) -> runbook.match()
				.matches(Map.of("alertname", "HighErrorRate", "job", "api"), Severity.SEV2, AlertStatus.FIRING)))
			.isEmpty();
	}

	@Test
	void readsEveryField() {
		Runbook restart = DEFAULTS.stream()
			.filter((runbook) -> runbook.id().equals("restart-service"))
			.findFirst()
			.orElseThrow();
		assertThat(restart.actions().get(0).templates().get("argv[2]").references()).containsExactly("labels.job");
		assertThat(restart.actions().get(0).timeout()).isEqualTo(Duration.ofSeconds(60));
		assertThat(restart.parameters().get("labels.job").pattern()).isEqualTo("^[a-z0-9][a-z0-9_-]{0,62}$");
		assertThat(restart.guardrails().cooldown()).isEqualTo(Duration.ofMinutes(15));
		assertThat(restart.guardrails().maxAttempts()).isEqualTo(2);
		assertThat(restart.verificationWindow()).isEqualTo(Duration.ofMinutes(5));
		assertThat(restart.source()).isEqualTo("classpath:runbooks/restart-service.yaml");
	}

	@Test
	void everyProblemIsReportedWithItsFileAndField() {
		String shape = """
				id: Bad_Id
				colour: red
				match: { labels: { alertname: X } }
				action:
				  type: command
				  argv: [rm, /tmp/x]
				  timeout: soon
				guardrails: { maxAttempts: 0, dryRun: "maybe" }
				""";
		String unknownType = """
				id: other
				match: { labels: { alertname: X } }
				action: { type: ssh }
				""";
		String meaning = """
				id: meaning
				match: {}
				action:
				  type: command
				  argv: [rm, "{{env.HOME}}"]
				parameters:
				  labels.service: "[unclosed"
				""";

		assertThatExceptionOfType(RunbookLoader.InvalidCatalogueException.class)
			.isThrownBy(() -> RunbookLoader
				.parse(new java.util.TreeMap<>(Map.of("a.yaml", shape, "b.yaml", unknownType, "c.yaml", meaning))))
			.satisfies((ex) -> assertThat(ex.problems()).containsExactlyInAnyOrder(
					"a.yaml: id: 'Bad_Id' does not match the regex pattern ^[a-z0-9][a-z0-9-]{0,62}$",
					"a.yaml: colour: unknown field",
					"a.yaml: action.timeout: 'soon' is not a duration such as 30s, 15m or 2h",
					"a.yaml: guardrails.maxAttempts: '0' must have a minimum value of 1",
					"a.yaml: guardrails.dryRun: string found, boolean expected",
					"b.yaml: action.type: 'ssh' does not have a value in the enumeration "
							+ "[\"command\", \"http\", \"postgres\", \"file-cleanup\", \"kubernetes\", \"docker\"]",
					"c.yaml: match: needs at least one label or regex: a runbook for every alert is a mistake",
					"c.yaml: action.argv: '{{env.HOME}}' reads from env; a placeholder reads from labels, annotations "
							+ "or incident",
					"c.yaml: parameters.labels.service: '[unclosed' is not a regular expression: "
							+ "Unclosed character class"));
	}

	@Test
	void everyShippedRunbookNamesTheSchemaForEditors() throws java.io.IOException {
		Path runbooks = Path.of("src/main/resources/runbooks");
		try (var files = java.nio.file.Files.list(runbooks)) {
			assertThat(files.toList()).hasSize(DEFAULTS.size())
				.allSatisfy((file) -> assertThat(java.nio.file.Files.readAllLines(file).get(0))
					.isEqualTo("# yaml-language-server: $schema=../" + RunbookSchema.RESOURCE));
		}
		assertThat(runbooks.resolve("..").resolve(RunbookSchema.RESOURCE)).isRegularFile();
	}

	@Test
	void noValueFromAnAlertMayChooseAStatementARootOrAGlob() {
		String statement = """
				id: sql
				match: { labels: { alertname: X } }
				action:
				  type: postgres
				  datasource: primary
				  operation: statement
				  statement: "DELETE FROM jobs WHERE queue = '{{labels.queue}}'"
				""";
		String cleanup = """
				id: files
				match: { labels: { alertname: X } }
				action: { type: file-cleanup, root: "/var/log/{{labels.app}}", glob: "*.log", olderThan: 7d }
				""";
		String wrong = """
				id: wrong
				match: { labels: { alertname: X } }
				action: { type: postgres, datasource: primary, operation: vacuum-everything }
				""";
		String shapes = """
				id: shapes
				match: { labels: { alertname: X } }
				action: { type: file-cleanup, root: /var/log, glob: "*.log", olderThan: a week }
				""";
		String relative = """
				id: relative
				match: { labels: { alertname: X } }
				action: { type: file-cleanup, root: var/log, glob: "*.log", olderThan: 7d }
				""";
		String method = """
				id: method
				match: { labels: { alertname: X } }
				action: { type: http, method: TRACE, url: "http://127.0.0.1/" }
				""";

		assertThatExceptionOfType(RunbookLoader.InvalidCatalogueException.class)
			.isThrownBy(() -> RunbookLoader
				.parse(new java.util.TreeMap<>(Map.of("sql.yaml", statement, "files.yaml", cleanup, "wrong.yaml", wrong,
						"shapes.yaml", shapes, "method.yaml", method, "relative.yaml", relative))))
			.satisfies((ex) -> assertThat(ex.problems()).containsExactlyInAnyOrder(
					"files.yaml: action.root: takes no placeholder: write it out",
					"method.yaml: action.method: 'TRACE' does not have a value in the enumeration "
							+ "[\"GET\", \"POST\", \"PUT\", \"PATCH\", \"DELETE\"]",
					"relative.yaml: action.root: must be an absolute path",
					"shapes.yaml: action.olderThan: 'a week' is not a duration such as 30s, 15m or 2h",
					"sql.yaml: action.statement: takes no placeholder: write it out",
					"wrong.yaml: action.operation: 'vacuum-everything' does not have a value in the enumeration "
							+ "[\"terminate-long-running\", \"cancel-long-running\", \"statement\", \"query\"]"));
	}

	@Test
	void aKubernetesRunbookIsCheckedWhereItCanGoWrong() {
		String runbook = """
				id: %s
				match: { labels: { alertname: X } }
				action: { type: kubernetes, namespace: "{{labels.namespace}}", name: "{{labels.deployment}}", %s }
				""";
		Map<String, String> files = new java.util.TreeMap<>(Map.of("drain.yaml",
				runbook.formatted("drain", "operation: drain-node"), "kind.yaml",
				runbook.formatted("kind", "operation: rollout-restart, kind: DaemonSet"), "scale.yaml",
				runbook.formatted("scale", "operation: scale, replicas: lots"), "max.yaml",
				runbook.formatted("max", "operation: scale, replicas: 2, maxReplicas: 0"), "label.yaml",
				runbook.formatted("label", "operation: scale, replicas: \"{{labels.replicas}}\""), "missing.yaml", """
						id: missing
						match: { labels: { alertname: X } }
						action: { type: kubernetes, operation: delete-pod }
						"""));

		assertThatExceptionOfType(RunbookLoader.InvalidCatalogueException.class)
			.isThrownBy(() -> RunbookLoader.parse(files))
			.satisfies((ex) -> assertThat(ex.problems()).containsExactly(
					"drain.yaml: action.operation: 'drain-node' does not have a value in the enumeration "
							+ "[\"rollout-restart\", \"scale\", \"delete-pod\", \"pod-status\", \"logs\"]",
					"kind.yaml: action.kind: 'DaemonSet' does not have a value in the enumeration "
							+ "[\"Deployment\", \"StatefulSet\"]",
					"label.yaml: action.replicas: takes no placeholder: write it out",
					"label.yaml: action.replicas: is required for scale: a count (5) or a change (+1, -1)",
					"max.yaml: action.maxReplicas: '0' must have a minimum value of 1",
					"missing.yaml: action.namespace: is required", "missing.yaml: action.name: is required",
					"scale.yaml: action.replicas: is required for scale: a count (5) or a change (+1, -1)"));
	}

	@Test
	void anHttpRunbookWhoseHostComesFromALabelIsRefusedWithItsFileAndField() {
		String host = """
				id: host
				match: { labels: { alertname: X } }
				action: { type: http, url: "http://{{labels.instance}}/restart" }
				""";
		String secret = """
				id: secret
				match: { labels: { alertname: X } }
				action:
				  type: http
				  url: "https://awx.example/api/v2/job_templates/7/launch/"
				  headers: { Authorization: "Bearer ${secret:awx-token}" }
				""";

		assertThatExceptionOfType(RunbookLoader.InvalidCatalogueException.class).isThrownBy(
				() -> RunbookLoader.parse(new java.util.TreeMap<>(Map.of("host.yaml", host, "secret.yaml", secret))))
			.satisfies((ex) -> assertThat(ex.problems()).containsExactly(
					"host.yaml: action.url: 'http://{{labels.instance}}/restart' must write out its scheme (http or "
							+ "https), host and port: a value from an alert may fill a path segment or a query value, "
							+ "never choose the host",
					"secret.yaml: action.headers: '${secret:awx-token}' names no secret configured under "
							+ "firebreak.remediation.secrets"));
	}

	@Test
	void aRunbookSecretIsResolvedAtLoadAndShownByItsReference() {
		List<Runbook> runbooks = RunbookLoader.parse(Map.of("awx.yaml", """
				id: awx
				match: { labels: { alertname: X } }
				action:
				  type: http
				  url: "https://awx.example/api/v2/job_templates/7/launch/"
				  headers: { Authorization: "Bearer ${secret:awx-token}" }
				"""), Map.of("awx-token", dev.firebreak.platform.Secret.of("s3cr3t-awx")));

		Runbook awx = runbooks.get(0);
		assertThat(awx.actions().get(0).templates().get("headers.Authorization"))
			.hasToString("Bearer ${secret:awx-token}");
		assertThat(awx.prepare(Map.of(), false).get(0).map("headers")).containsEntry("Authorization",
				"Bearer s3cr3t-awx");
		assertThat(awx.secrets()).extracting(dev.firebreak.platform.Secret::value).containsExactly("s3cr3t-awx");
	}

	@Test
	void aLivePostgresRunbookMustNameAConfiguredDataSource() {
		List<Runbook> runbooks = RunbookLoader.parse(Map.of("live.yaml", """
				id: live
				match: { labels: { alertname: X } }
				action: { type: postgres, datasource: reporting, operation: terminate-long-running, olderThan: 5m }
				guardrails: { dryRun: false }
				""", "dry.yaml", """
				id: dry
				match: { labels: { alertname: Y } }
				action: { type: postgres, datasource: nowhere, operation: terminate-long-running, olderThan: 5m }
				"""));

		assertThatExceptionOfType(RunbookLoader.InvalidCatalogueException.class)
			.isThrownBy(() -> RunbookLoader.requireDataSources(runbooks, Set.of("primary"), false))
			.satisfies((ex) -> assertThat(ex.problems()).containsExactly(
					"live.yaml: action.datasource: 'reporting' is not configured under firebreak.remediation.datasources"));
		RunbookLoader.requireDataSources(runbooks, Set.of("reporting"), false);
		RunbookLoader.requireDataSources(runbooks, Set.of(), true);
		RunbookLoader.requireDataSources(RunbookLoader.defaults(), Set.of(), false);
	}

	@Test
	void aDirectoryIsRead(@TempDir Path directory) throws Exception {
		Files.writeString(directory.resolve("one.yaml"), """
				id: one
				match: { labels: { alertname: One } }
				action: { type: command, argv: [/bin/true] }
				""");
		Files.writeString(directory.resolve("notes.txt"), "not a runbook");

		assertThat(RunbookLoader.directory(directory, Map.of())).extracting(Runbook::id).containsExactly("one");
	}

	@Test
	void twoRunbooksWithOneIdAreRefused() {
		String one = """
				id: one
				match: { labels: { alertname: One } }
				action: { type: command, argv: [/bin/true] }
				""";
		assertThatExceptionOfType(RunbookLoader.InvalidCatalogueException.class)
			.isThrownBy(() -> RunbookLoader.parse(new java.util.TreeMap<>(Map.of("a.yaml", one, "b.yaml", one))))
			.withMessageContaining("b.yaml: id: 'one' is used by another runbook");
	}

	@Test
	void aRunbookMayBeStepsEachNamedWithItsConditionAndHowItRuns() {
		Runbook runbook = RunbookLoader.parse(Map.of("api-down.yaml", """
				id: api-down
				match: { labels: { alertname: APIDown } }
				steps:
				  - { name: health, diagnostic: true, continueOnFailure: true,
				      action: { type: http, method: GET, url: "http://api.internal/health", timeout: 5s } }
				  - when: steps.health.status != 200
				    name: restart
				    action: { type: docker, operation: compose-restart, service: "{{labels.service}}" }
				  - name: recheck
				    when: "steps.restart.succeeded == 'true'"
				    delay: 30s
				    diagnostic: true
				    action: { type: http, method: GET, url: "http://api.internal/health" }
				""")).get(0);

		assertThat(runbook.steps()).extracting(Step::name).containsExactly("health", "restart", "recheck");
		assertThat(runbook.steps().get(1).when()).isEqualTo(new StepCondition("health", "status", false, "200"));
		assertThat(runbook.steps().get(2).when()).isEqualTo(new StepCondition("restart", "succeeded", true, "true"));
		assertThat(runbook.steps().get(2).delay()).isEqualTo(Duration.ofSeconds(30));
		assertThat(runbook.steps()).extracting(Step::diagnostic).containsExactly(true, false, true);
		assertThat(runbook.steps().get(0).continueOnFailure()).isTrue();
		assertThat(runbook.actionType()).isEqualTo("steps");
		assertThat(runbook.diagnosticOnly()).isFalse();
		assertThat(
				runbook.target(Map.of("labels.service", "api"), runbook.prepare(Map.of("labels.service", "api"), true)))
			.isEqualTo("api");
	}

	@Test
	void everyProblemOfAStepIsReportedWithItsIndexAndField() {
		String shape = """
				id: step-shapes
				match: { labels: { alertname: APIDown } }
				steps:
				  - name: health
				    colour: red
				    action: { type: command, argv: [/bin/true], timeout: soon }
				  - name: Restart
				    continueOnFailure: maybe
				    action: { type: command, argv: [/bin/true] }
				  - action: { type: command, argv: [/bin/true] }
				""";
		String meaning = """
				id: step-meaning
				match: { labels: { alertname: APIDown } }
				action: { type: command, argv: [/bin/true] }
				steps:
				  - name: health
				    diagnostic: true
				    action: { type: http, url: "http://api.internal/restart" }
				  - name: health
				    when: steps.later.succeeded == true
				    action: { type: command, argv: [/bin/true] }
				  - name: restart
				    when: health is bad
				    action: { type: postgres, datasource: app, operation: statement, statement: "SELECT 1" }
				  - name: check
				    when: steps.restart.status != 200
				    action: { type: command, argv: [/bin/true] }
				""";

		assertThatExceptionOfType(RunbookLoader.InvalidCatalogueException.class)
			.isThrownBy(() -> RunbookLoader.parse(new java.util.TreeMap<>(Map.of("a.yaml", shape, "b.yaml", meaning))))
			.satisfies((ex) -> assertThat(ex.problems()).containsExactlyInAnyOrder(
					"a.yaml: steps[0].colour: unknown field",
					"a.yaml: steps[0].action.timeout: 'soon' is not a duration such as 30s, 15m or 2h",
					"a.yaml: steps[1].name: 'Restart' does not match the regex pattern ^[a-z][a-z0-9-]{0,30}$",
					"a.yaml: steps[1].continueOnFailure: string found, boolean expected",
					"a.yaml: steps[2].name: is required",
					"b.yaml: action: give either action (one step) or steps, not both",
					"b.yaml: steps[0].diagnostic: a diagnostic step only reads: an http GET, a command, a postgres query, docker or kubernetes logs, "
							+ "not an http POST action",
					"b.yaml: steps[1].name: 'health' names an earlier step too",
					"b.yaml: steps[1].when: 'later' is not the name of an earlier step",
					"b.yaml: steps[2].when: 'health is bad' is not a condition such as steps.health.status != 200 "
							+ "or steps.health.succeeded == false",
					"b.yaml: steps[3].when: a postgres step reports succeeded, datasource, state, olderThan, backends, "
							+ "pids, rows, result, sqlState, not status"));
	}

	@Test
	void aQueryOnlyReadsAndAStepWaitsBriefly() {
		String runbook = """
				id: %s
				match: { labels: { alertname: X } }
				steps:
				  - name: look
				    diagnostic: true
				    action: { type: postgres, datasource: primary, operation: query, statement: "%s" }
				    %s
				""";
		Map<String, String> files = new java.util.TreeMap<>(
				Map.of("a.yaml", runbook.formatted("a", "SELECT 1; DELETE FROM jobs", ""), "b.yaml",
						runbook.formatted("b", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity", ""), "c.yaml",
						runbook.formatted("c", "SELECT 1", "delay: 1h"), "d.yaml",
						runbook.formatted("d", "SELECT 1", "delay: 999999999999999999999d")));

		assertThatExceptionOfType(RunbookLoader.InvalidCatalogueException.class)
			.isThrownBy(() -> RunbookLoader.parse(files))
			.satisfies((ex) -> assertThat(ex.problems()).containsExactly(
					"a.yaml: steps[0].action.statement: a query is one statement: no ';'",
					"b.yaml: steps[0].action.statement: a query only reads: it may not call pg_terminate_backend",
					"c.yaml: steps[0].delay: is at most 10m: a step waits while it holds one of the engine's places",
					"d.yaml: steps[0].delay: '999999999999999999999d' is not a duration such as 30s, 15m or 2h"));
	}

}
