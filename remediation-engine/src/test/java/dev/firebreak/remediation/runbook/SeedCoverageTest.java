package dev.firebreak.remediation.runbook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import dev.firebreak.remediation.action.Template;
import dev.firebreak.schemas.avro.AlertStatus;
import dev.firebreak.schemas.avro.Severity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default catalogue against the alerts the shipped rules really fire: the label sets
 * of every {@code promtool test rules} expectation under
 * {@code deploy/prometheus/rules/tests}. Every runbook answers at least one of them, with
 * values its patterns accept; every alert a seed remediates by a concrete action has its
 * runbook; the alerts a seed only notifies about have none.
 */
class SeedCoverageTest {

	private static final Path TESTS = Path.of(System.getProperty("firebreak.root", ".."))
		.resolve("deploy/prometheus/rules/tests");

	private static final List<Runbook> DEFAULTS = RunbookLoader.defaults();

	private static final List<Map<String, String>> FIRED = fired();

	@Test
	void everyDefaultRunbookAnswersAnAlertTheShippedRulesFire() {
		assertThat(FIRED).hasSizeGreaterThan(50);
		assertThat(DEFAULTS)
			.allSatisfy((runbook) -> assertThat(FIRED.stream().filter((labels) -> answers(runbook, labels)))
				.as("%s matches no alert the shipped rules fire", runbook.id())
				.isNotEmpty());
	}

	/** The seeds' automatable responses, each with the runbook that carries it out. */
	@ParameterizedTest(name = "seed {0}: {1} → {2}")
	@CsvSource(textBlock = """
			000, ApplicationDown,                 restart-application
			000, DatabaseDown,                    restart-database
			000, HighErrorRate,                   scale-out-web
			000, HighRequestLatency,              scale-out-web
			001, APIDown,                         restart-application
			001, DatabaseDown,                    restart-database
			001, DatabaseConnectionPoolExhausted, terminate-long-queries
			001, DatabaseIdleInTransaction,       terminate-idle-transactions
			001, ETLJobFailed,                    rerun-etl-job
			001, ETLJobNotRunning,                rerun-etl-job
			001, RedisDown,                       restart-redis
			002, SLOAvailabilityLow,              restart-web-stack
			002, JobsStuck,                       reset-stuck-jobs
			003, ServiceDown,                     restart-service
			003, DatabaseConnectionsHigh,         terminate-long-queries
			003, DiskSpaceHigh,                   clean-up-logs
			003, MemoryUsageHigh,                 restart-container
			003, SSLCertificateExpiring,          renew-certificate
			003, HighResponseTime,                scale-out
			003, WorkerQueueHigh,                 scale-workers
			003, TaskFailureRateHigh,             restart-workers
			003, ResourceUsageHigh,               optimise-resources
			003, BackupFailed,                    retry-backup
			004, ApplicationDown,                 restart-application
			004, DatabaseDown,                    restart-database
			004, DiskSpaceHigh,                   clean-up-logs
			""")
	void everyAlertASeedRemediatesHasItsRunbook(String seed, String alertname, String runbook) {
		List<Map<String, String>> fired = fired(seed, alertname);
		assertThat(fired).as("seed %s's rules fire %s", seed, alertname).isNotEmpty();
		assertThat(fired).anySatisfy((labels) -> assertThat(answering(labels)).containsExactly(runbook));
	}

	/**
	 * The Kubernetes form of an application's outage (kube-state-metrics: a deployment
	 * with no available replica) is answered in Kubernetes, the blackbox form by compose.
	 */
	@ParameterizedTest(name = "seed {0}: {1} of a deployment → {2}")
	@CsvSource(textBlock = """
			000, ApplicationDown, rollout-restart-application
			001, APIDown,         rollout-restart-application
			""")
	void theKubernetesFormOfAnOutageIsAnsweredInKubernetes(String seed, String alertname, String runbook) {
		List<Map<String, String>> deployments = fired(seed, alertname).stream()
			.filter((labels) -> labels.containsKey("deployment"))
			.toList();
		assertThat(deployments).as("seed %s's rules fire %s for a deployment", seed, alertname).isNotEmpty();
		assertThat(deployments).allSatisfy((labels) -> assertThat(answering(labels)).containsExactly(runbook));
		// A probe without a service label names a URL, which no compose service is.
		assertThat(fired(seed, alertname)).filteredOn((labels) -> !labels.containsKey("deployment"))
			.allSatisfy((labels) -> assertThat(answering(labels))
				.isEqualTo(labels.get("service").contains("/") ? List.of() : List.of("restart-application")));
	}

	/**
	 * What the seeds answer with a message only, or with a judgement no runbook makes yet
	 * (seed 000's P3 memory and CPU: clean up, restart if a leak is suspected, or scale).
	 */
	@ParameterizedTest(name = "seed {0}: {1} → nobody's runbook")
	@CsvSource(textBlock = """
			000, HighMemoryUsage
			000, HighCPUUsage
			001, SlowAPIResponses
			001, SlowDatabaseQueries
			001, HighRequestRate
			002, SLOLatencyHigh
			002, SLOErrorRateHigh
			003, HighErrorRate
			004, HighErrorRate
			004, HighRequestLatency
			004, DatabaseConnectionPoolNearCapacity
			""")
	void whatASeedOnlyNotifiesAboutHasNoRunbook(String seed, String alertname) {
		List<Map<String, String>> fired = fired(seed, alertname);
		assertThat(fired).as("seed %s's rules fire %s", seed, alertname).isNotEmpty();
		assertThat(fired).allSatisfy((labels) -> assertThat(answering(labels)).isEmpty());
	}

	private static List<String> answering(Map<String, String> labels) {
		return DEFAULTS.stream().filter((runbook) -> answers(runbook, labels)).map(Runbook::id).toList();
	}

	/** The runbook matches the alert and every value it takes fits its pattern. */
	private static boolean answers(Runbook runbook, Map<String, String> labels) {
		if (!runbook.match().matches(labels, Severity.SEV2, AlertStatus.FIRING)) {
			return false;
		}
		Map<String, String> values = new LinkedHashMap<>();
		labels.forEach((name, value) -> values.put("labels." + name, value));
		values.put("incident.id", "INC-20261201-0001");
		try {
			runbook.prepare(values, true);
			return true;
		}
		catch (Template.RejectedValueException ex) {
			return false;
		}
	}

	private static List<Map<String, String>> fired(String seed, String alertname) {
		return FIRED.stream()
			.filter((labels) -> seed.equals(labels.get("seed")) && alertname.equals(labels.get("alertname")))
			.toList();
	}

	/**
	 * Every expected alert of every seed's rule tests, its alertname among its labels.
	 */
	private static List<Map<String, String>> fired() {
		YAMLMapper yaml = YAMLMapper.builder().build();
		List<Map<String, String>> fired = new ArrayList<>();
		try (Stream<Path> files = Files.list(TESTS)) {
			for (Path file : files.filter((path) -> path.getFileName().toString().startsWith("seed-")).toList()) {
				for (JsonNode test : yaml.readTree(file.toFile()).path("tests")) {
					for (JsonNode expectation : test.path("alert_rule_test")) {
						for (JsonNode alert : expectation.path("exp_alerts")) {
							Map<String, String> labels = new LinkedHashMap<>();
							labels.put("alertname", expectation.path("alertname").asString());
							alert.path("exp_labels")
								.properties()
								.forEach((label) -> labels.put(label.getKey(), label.getValue().asString()));
							fired.add(labels);
						}
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return fired;
	}

}
