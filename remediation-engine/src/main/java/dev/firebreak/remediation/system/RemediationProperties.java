package dev.firebreak.remediation.system;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

import dev.firebreak.platform.Secret;

/**
 * remediation-engine's settings ({@code firebreak.remediation.*}).
 *
 * @param runbooks a directory of runbook YAML files; unset, the default catalogue (all in
 * dry-run)
 * @param dryRun every runbook in dry-run, whatever it says
 * @param killSwitch no runbook runs; also switchable at run time through
 * {@code /actuator/remediation}
 * @param maxConcurrent actions running at once, at most, on all engine instances together
 * @param circuitBreaker when a failing runbook is disabled
 * @param groupId the consumer group on {@code firebreak.incident-events}
 * @param sweepInterval how often verification deadlines and unpublished outcomes are
 * looked at
 * @param maxBackoff the longest wait between two attempts at an event while PostgreSQL
 * fails
 * @param shutdownGrace how long shutdown waits for running actions
 * @param lease how long an attempt an engine runs stays its own without a renewal; after
 * that another instance takes it over (renewed every third of it, and before each step)
 * @param datasources the databases {@code postgres} actions may name
 * @param secrets the secrets runbooks may refer to as {@code ${secret:name}}, by name
 */
@ConfigurationProperties("firebreak.remediation")
public record RemediationProperties(Path runbooks, boolean dryRun, boolean killSwitch, int maxConcurrent,
		CircuitBreaker circuitBreaker, String groupId, Duration sweepInterval, Duration maxBackoff,
		Duration shutdownGrace, Duration lease, Map<String, DataSourceSpec> datasources,
		Map<String, SecretSpec> secrets) {

	public RemediationProperties {
		maxConcurrent = (maxConcurrent != 0) ? maxConcurrent : 4;
		circuitBreaker = (circuitBreaker != null) ? circuitBreaker : new CircuitBreaker(0, null);
		groupId = (groupId != null) ? groupId : "firebreak-remediation-engine";
		sweepInterval = (sweepInterval != null) ? sweepInterval : Duration.ofSeconds(1);
		maxBackoff = (maxBackoff != null) ? maxBackoff : Duration.ofSeconds(10);
		shutdownGrace = (shutdownGrace != null) ? shutdownGrace : Duration.ofSeconds(15);
		lease = (lease != null) ? lease : Duration.ofSeconds(30);
		datasources = (datasources != null) ? Map.copyOf(datasources) : Map.of();
		secrets = (secrets != null) ? Map.copyOf(secrets) : Map.of();
		require(maxConcurrent >= 1, "max-concurrent must be at least 1");
		require(!groupId.isBlank(), "group-id must not be blank");
		require(positive(sweepInterval), "sweep-interval must be positive");
		require(positive(maxBackoff), "max-backoff must be positive");
		require(!shutdownGrace.isNegative(), "shutdown-grace must not be negative");
		require(positive(lease), "lease must be positive");
		if (runbooks != null && !java.nio.file.Files.isDirectory(runbooks)) {
			throw new IllegalArgumentException("firebreak.remediation.runbooks: " + runbooks + " is not a directory");
		}
	}

	/**
	 * @param failures failures and unknown outcomes of one runbook within {@code window}
	 * that disable it
	 * @param window see {@code failures}
	 */
	public record CircuitBreaker(int failures, Duration window) {

		public CircuitBreaker {
			failures = (failures != 0) ? failures : 3;
			window = (window != null) ? window : Duration.ofHours(1);
			require(failures >= 1, "circuit-breaker.failures must be at least 1");
			require(positive(window), "circuit-breaker.window must be positive");
		}

	}

	/**
	 * A database a {@code postgres} action may name.
	 *
	 * @param url its JDBC URL
	 * @param username the role the engine connects as (it needs {@code pg_signal_backend}
	 * to end other roles' backends)
	 * @param password inline
	 * @param passwordFile or in a file
	 */
	public record DataSourceSpec(String url, String username, String password, Path passwordFile) {

		public DataSourceSpec {
			require(url != null && url.startsWith("jdbc:postgresql:"),
					"datasources.*.url must be a jdbc:postgresql: URL");
		}

	}

	/**
	 * A secret a runbook may put into an action ({@code Authorization: Bearer
	 * ${secret:awx-token}}), never shown: the catalogue, the timeline and the logs show
	 * its reference or {@code ******}.
	 *
	 * @param value inline (e.g. {@code ${AWX_TOKEN}}, from the environment)
	 * @param file or the file that holds it
	 */
	public record SecretSpec(String value, Path file) {
	}

	/** The secrets, resolved (files read), by name. */
	public Map<String, Secret> resolvedSecrets() {
		Map<String, Secret> resolved = new java.util.TreeMap<>();
		this.secrets.forEach((name, spec) -> resolved.put(name,
				Secret.resolve("firebreak.remediation.secrets." + name + ".value", spec.value(), spec.file())
					.orElseThrow(() -> new IllegalArgumentException(
							"firebreak.remediation.secrets." + name + " needs a value or a file"))));
		return resolved;
	}

	private static boolean positive(Duration duration) {
		return !duration.isNegative() && !duration.isZero();
	}

	private static void require(boolean condition, String problem) {
		if (!condition) {
			throw new IllegalArgumentException("firebreak.remediation." + problem);
		}
	}

}
