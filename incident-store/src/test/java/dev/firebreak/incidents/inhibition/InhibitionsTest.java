package dev.firebreak.incidents.inhibition;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.firebreak.incidents.labels.Selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Inhibition rules as a table: which cause explains which alert, what a dependency graph
 * expands to, and what waits for a cause.
 */
class InhibitionsTest {

	private static final Selector OUTAGE = Selector.parse(List.of("alertname=~\".*Down\""));

	/** Seed 000's and 001's graph, with web in front of the API, and one written rule. */
	private static final Inhibitions INHIBITIONS = Inhibitions.of(
			List.of(new InhibitionRule("cluster-down", Selector.parse(List.of("alertname=\"ClusterDown\"")),
					Selector.parse(List.of("severity=~\"warning|info\"")), List.of("cluster"), Duration.ZERO,
					InhibitionRule.OnCauseResolved.RESOLVE)),
			Map.of("web", List.of("api"), "api", List.of("postgres", "redis", "worker"), "etl",
					List.of("postgres", "redis")),
			OUTAGE, List.of("cluster"), Duration.ofSeconds(30), InhibitionRule.OnCauseResolved.RELEASE);

	private static final Cause POSTGRES_DOWN = new Cause("INC-1", "DatabaseDown",
			labels("alertname=DatabaseDown,service=postgres,cluster=eu-1,instance=db-1"));

	@Test
	void dependenciesAreFollowedThroughAndACycleEndsWhereItBegan() {
		assertThat(Inhibitions.closure(Map.of("web", List.of("api"), "api", List.of("postgres", "redis"))))
			.containsEntry("web", Set.of("api", "postgres", "redis"))
			.containsEntry("api", Set.of("postgres", "redis"));
		assertThat(Inhibitions.closure(Map.of("a", List.of("b"), "b", List.of("a", "c"))))
			.containsEntry("a", Set.of("b", "c"))
			.containsEntry("b", Set.of("a", "c"));
	}

	@Test
	void theGraphBecomesOneRulePerDependentAndDependencyAfterTheWrittenOnes() {
		assertThat(INHIBITIONS.rules()).map(InhibitionRule::name)
			.startsWith("cluster-down")
			.containsExactlyInAnyOrder("cluster-down", "web-depends-on-api", "web-depends-on-postgres",
					"web-depends-on-redis", "web-depends-on-worker", "api-depends-on-postgres", "api-depends-on-redis",
					"api-depends-on-worker", "etl-depends-on-postgres", "etl-depends-on-redis");
		InhibitionRule rule = INHIBITIONS.rules()
			.stream()
			.filter((candidate) -> candidate.name().equals("api-depends-on-postgres"))
			.findFirst()
			.orElseThrow();
		assertThat(rule.source()).hasToString("service=\"postgres\", alertname=~\".*Down\"");
		assertThat(rule.target()).hasToString("service=\"api\"");
		assertThat(rule.equal()).containsExactly("cluster");
		assertThat(rule.grace()).isEqualTo(Duration.ofSeconds(30));
		assertThat(rule.onCauseResolved()).isEqualTo(InhibitionRule.OnCauseResolved.RELEASE);
	}

	@ParameterizedTest(name = "{0} → {1}")
	@CsvSource(delimiter = '|', textBlock = """
			alertname=HighErrorRate,service=api,cluster=eu-1              | api-depends-on-postgres
			alertname=HighRequestLatency,service=web,cluster=eu-1         | web-depends-on-postgres
			alertname=TaskFailureRateHigh,service=etl,cluster=eu-1        | etl-depends-on-postgres
			alertname=HighErrorRate,service=api,cluster=us-1              | none: another cluster
			alertname=HighErrorRate,service=api                           | none: another cluster
			alertname=HighErrorRate,service=checkout,cluster=eu-1         | none: checkout needs nothing
			alertname=DatabaseConnectionsHigh,service=postgres,cluster=eu-1 | none: postgres needs nothing
			""")
	void aDatabaseOutageExplainsItsDependentsAlertsInItsCluster(String labels, String explained) {
		var explanation = INHIBITIONS.explain(labels(labels), List.of(POSTGRES_DOWN), "INC-2");

		assertThat(explanation.map((found) -> found.rule().name()).orElse("none")).isEqualTo(explained.split(":")[0]);
		explanation.ifPresent((found) -> assertThat(found.reason())
			.isEqualTo("inhibited by INC-1 DatabaseDown on postgres (rule " + explained + ")"));
	}

	@Test
	void aMissingEqualLabelIsEmptyOnBothSides() {
		Cause withoutCluster = new Cause("INC-1", "DatabaseDown", labels("alertname=DatabaseDown,service=postgres"));

		assertThat(INHIBITIONS.explain(labels("alertname=HighErrorRate,service=api"), List.of(withoutCluster), "INC-2"))
			.isPresent();
		assertThat(INHIBITIONS.explain(labels("alertname=HighErrorRate,service=api,cluster=eu-1"),
				List.of(withoutCluster), "INC-2"))
			.isEmpty();
	}

	@Test
	void anAlertThatIsNotAnOutageExplainsNothing() {
		Cause slowDatabase = new Cause("INC-1", "DatabaseConnectionsHigh",
				labels("alertname=DatabaseConnectionsHigh,service=postgres,cluster=eu-1"));

		assertThat(INHIBITIONS.explain(labels("alertname=HighErrorRate,service=api,cluster=eu-1"),
				List.of(slowDatabase), "INC-2"))
			.isEmpty();
	}

	@Test
	void anIncidentIsNeverExplainedByItsOwnCause() {
		// One incident holding both the outage and (under a broad rule) its symptom.
		Cause own = new Cause("INC-1", "ClusterDown", labels("alertname=ClusterDown,severity=critical,cluster=eu-1"));
		Map<String, String> warning = labels("alertname=HighMemory,severity=warning,cluster=eu-1");

		assertThat(INHIBITIONS.explain(warning, List.of(own), "INC-1")).isEmpty();
		assertThat(INHIBITIONS.explain(warning, List.of(own), "INC-2")).map((found) -> found.rule().name())
			.contains("cluster-down");
	}

	@Test
	void onlyRulesWithAGracePeriodMakeASymptomWaitForItsCause() {
		assertThat(INHIBITIONS.mayWaitFor(labels("alertname=HighErrorRate,service=api,cluster=eu-1,severity=warning")))
			.map(InhibitionRule::name)
			.contains("api-depends-on-postgres");
		assertThat(INHIBITIONS.mayWaitFor(labels("alertname=HighMemory,severity=warning,cluster=eu-1"))).isEmpty();
		assertThat(INHIBITIONS.mayWaitFor(labels("alertname=DatabaseDown,service=postgres,cluster=eu-1"))).isEmpty();
	}

	@Test
	void rolesSayWhatAnAlertExplainsAndWhatWouldExplainIt() {
		Inhibitions.Roles postgres = INHIBITIONS.roles(POSTGRES_DOWN.labels());
		Inhibitions.Roles api = INHIBITIONS.roles(labels("alertname=ApiDown,service=api,severity=critical"));

		assertThat(postgres.targetOf()).isEmpty();
		assertThat(postgres.sourceOf()).containsExactlyInAnyOrder("web-depends-on-postgres", "api-depends-on-postgres",
				"etl-depends-on-postgres");
		assertThat(api.targetOf()).containsExactlyInAnyOrder("api-depends-on-postgres", "api-depends-on-redis",
				"api-depends-on-worker");
		assertThat(api.sourceOf()).containsExactly("web-depends-on-api");
		assertThat(INHIBITIONS.isCause(labels("alertname=ApiDown,service=api"))).isTrue();
		assertThat(INHIBITIONS.isCause(labels("alertname=HighErrorRate,service=api"))).isFalse();
	}

	@Test
	void refusesARuleItCouldNotNameOrTellApartOrANegativeGracePeriod() {
		Selector all = Selector.parse(List.of());
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new InhibitionRule("DB Down", all, all, List.of(), Duration.ZERO,
					InhibitionRule.OnCauseResolved.RELEASE))
			.withMessageContaining("'DB Down'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new InhibitionRule("db-down", all, all, List.of(), Duration.ofSeconds(-1),
					InhibitionRule.OnCauseResolved.RELEASE))
			.withMessageContaining("grace must not be negative");
		InhibitionRule written = new InhibitionRule("api-depends-on-postgres", all, all, List.of(), Duration.ZERO,
				InhibitionRule.OnCauseResolved.RELEASE);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Inhibitions.of(List.of(written), Map.of("api", List.of("postgres")), OUTAGE,
					List.of("cluster"), Duration.ZERO, InhibitionRule.OnCauseResolved.RELEASE))
			.withMessage("inhibition rule names must be unique: api-depends-on-postgres");
	}

	private static Map<String, String> labels(String text) {
		Map<String, String> labels = new LinkedHashMap<>();
		for (String pair : text.split(",")) {
			String[] parts = pair.strip().split("=", 2);
			labels.put(parts[0], parts[1]);
		}
		return labels;
	}

}
