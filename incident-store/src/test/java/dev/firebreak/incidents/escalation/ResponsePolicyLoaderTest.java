package dev.firebreak.incidents.escalation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.firebreak.schemas.avro.EscalationLevel;
import dev.firebreak.schemas.avro.Severity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ResponsePolicyLoaderTest {

	private static final Map<Severity, Duration> RESPONSE_TIMES = Map.of(Severity.SEV1, Duration.ofMinutes(15),
			Severity.SEV2, Duration.ofHours(1), Severity.SEV3, Duration.ofHours(4), Severity.SEV4,
			Duration.ofHours(24));

	private static final String FALLBACK = "fallback: { SEV1: {}, SEV2: {}, SEV3: {}, SEV4: {} }\n";

	@Test
	void theShippedMatrixHasTheSeedsPoliciesAndAFallbackPerSeverity() {
		ResponsePolicies policies = ResponsePolicyLoader.load(null, RESPONSE_TIMES);

		assertThat(policies.policies()).hasSize(18);
		assertThat(policies.policies()).extracting(ResponsePolicy::name)
			.startsWith("service-down", "high-error-rate", "database-connections-high", "disk-space-critical",
					"memory-critical", "ssl-certificate-expiring", "high-response-time", "worker-queue-high",
					"task-failure-rate-high", "resource-usage-high", "backup-failed");
		ResponsePolicy sev3 = policies.fallback().get(Severity.SEV3);
		assertThat(sev3.responseTime()).isEqualTo(new Due.After(Duration.ofHours(4)));
		assertThat(sev3.levels()).containsExactly(Map.entry(EscalationLevel.L2, new Due.NextBusinessDay()));
		assertThat(policies.fallback().get(Severity.SEV1).automationWindow()).isZero();
		assertThat(policies.fallback().get(Severity.SEV2).automationWindow()).isEqualTo(Duration.ofMinutes(15));
	}

	@Test
	void theMostSpecificMatchingPolicyWins() {
		ResponsePolicies policies = ResponsePolicyLoader.parse("test.yaml", """
				policies:
				  - name: any-api
				    match: { labels: { service: api } }
				    responseTime: 1h
				  - name: api-down
				    match: { labels: { service: api, alertname: ServiceDown } }
				    responseTime: 5m
				  - name: eu-any
				    match: { regex: { cluster: "eu-.*" } }
				    responseTime: 30m
				""" + FALLBACK, RESPONSE_TIMES);

		assertThat(policies.policyFor(Map.of("service", "api", "alertname", "ServiceDown"), Severity.SEV2).name())
			.isEqualTo("api-down");
		assertThat(policies.policyFor(Map.of("service", "api", "alertname", "HighLatency"), Severity.SEV2).name())
			.isEqualTo("any-api");
		assertThat(policies.policyFor(Map.of("cluster", "eu-1"), Severity.SEV2).name()).isEqualTo("eu-any");
		assertThat(policies.policyFor(Map.of("cluster", "us-1"), Severity.SEV4).name()).isEqualTo("sev4-fallback");
	}

	@Test
	void everyProblemIsReportedWithItsFileAndField() {
		assertThatExceptionOfType(ResponsePolicyLoader.InvalidPoliciesException.class)
			.isThrownBy(() -> ResponsePolicyLoader.parse("team.yaml", """
					policies:
					  - name: Service Down
					    match: { labels: { alertname: ServiceDown } }
					    responseTime: soon
					    escalation: { L2: 1h, L3: 30m, L5: 2h }
					    form: opened
					  - name: bad-regex
					    match: { regex: { instance: "db-[" } }
					    responseTime: 5m
					  - name: everything
					    match: {}
					    responseTime: 5m
					fallback: { SEV1: {}, SEV2: {}, SEV3: {} }
					""", RESPONSE_TIMES))
			.satisfies((ex) -> assertThat(ex.problems()).containsExactlyInAnyOrder(
					"team.yaml: policies[0].form: unknown field; known are [automationWindow, escalation, from, "
							+ "immediate, match, name, responseTime, seed, whileAcknowledged]",
					"team.yaml: policies[0].name: is required: lower-case letters, digits and '-', at most 63",
					"team.yaml: policies[0].responseTime: 'soon' is not a duration such as 15m, 4h or 24h45m, "
							+ "nor next-business-day or weekly-review",
					"team.yaml: policies[0].escalation.L5: is not L2, L3 or L4 (L1, the automated response, "
							+ "is where an incident opens)",
					"team.yaml: policies[0].escalation.L3: comes before the level below it: levels are reached in order",
					"team.yaml: policies[1].match.regex.instance: 'db-[' is not a regular expression: "
							+ "Unclosed character class",
					"team.yaml: policies[2].match: needs at least one label or regex: a policy for every alert is "
							+ "the fallback's job",
					"team.yaml: fallback.SEV4: is required: the clock of an incident no policy covers"));
	}

	@Test
	void aFileIsReadFromItsPathAndNamedInItsErrors(@TempDir Path dir) throws IOException {
		Path file = dir.resolve("policies.yaml");
		Files.writeString(file, """
				policies:
				  - name: backup
				    match: { labels: { alertname: BackupFailed } }
				    responseTime: 2h
				    whileAcknowledged: sometimes
				""" + FALLBACK);

		assertThatExceptionOfType(ResponsePolicyLoader.InvalidPoliciesException.class)
			.isThrownBy(() -> ResponsePolicyLoader.load(file, RESPONSE_TIMES))
			.withMessage(
					"Invalid response policies:\n  " + file + ": policies[0].whileAcknowledged: must be true or false");
	}

	@Test
	void durationsAreWrittenAndReadAlike() {
		assertThat(Due.parse("24h45m")).isEqualTo(new Due.After(Duration.ofMinutes(24 * 60 + 45)));
		assertThat(Due.parse("24h45m")).hasToString("24h45m");
		assertThat(Due.parse("0s").when()).isEqualTo("at once");
		assertThat(Due.parse("next-business-day").when()).isEqualTo("on the next business day");
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> Due.parse("-5m"));
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> Due.parse("PT5M"));
	}

}
