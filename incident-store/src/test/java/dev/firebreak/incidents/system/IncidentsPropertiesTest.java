package dev.firebreak.incidents.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import dev.firebreak.incidents.correlation.Grouping;
import dev.firebreak.incidents.correlation.IncidentTopology;
import dev.firebreak.incidents.escalation.ResponsePolicy;
import dev.firebreak.incidents.incident.IncidentPolicy;
import dev.firebreak.incidents.inhibition.InhibitionRule;
import dev.firebreak.schemas.avro.MatchOperator;
import dev.firebreak.schemas.avro.Severity;

import static org.assertj.core.api.Assertions.assertThat;

class IncidentsPropertiesTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Config.class);

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(IncidentsProperties.class)
	static class Config {

	}

	@Test
	void defaultsAreThoseOfTheArchitecture() {
		this.runner.run((context) -> {
			IncidentTopology.Settings settings = context.getBean(IncidentsProperties.class).settings(6);
			assertThat(settings.grouping().fallback().scope()).containsExactly("cluster");
			assertThat(settings.grouping().fallback().anchors()).containsExactly("service", "job", "alertname");
			assertThat(settings.grouping().rules()).isEmpty();
			assertThat(settings.policy().inhibitions().rules()).isEmpty();
			assertThat(settings.policy().reopenWindow()).isEqualTo(Duration.ofMinutes(10));
			assertThat(settings.policy().severity().responseTime(Severity.SEV1)).isEqualTo(Duration.ofMinutes(15));
			assertThat(settings.policy().flapping().threshold()).isEqualTo(4);
			assertThat(settings.maintenanceWindows()).isEmpty();
			assertThat(settings.jsonMirror()).isFalse();
		});
	}

	@Test
	void bindsTheJsonMirror() {
		this.runner.withPropertyValues("firebreak.incidents.json-mirror.enabled=true")
			.run((context) -> assertThat(context.getBean(IncidentsProperties.class).settings(6).jsonMirror()).isTrue());
	}

	@Test
	void bindsAWeeklyMaintenanceWindowAndOneResponseTime() {
		this.runner
			.withPropertyValues("firebreak.incidents.severity.response-times.SEV2=30m",
					"firebreak.incidents.maintenance-windows[0].id=sunday",
					"firebreak.incidents.maintenance-windows[0].matchers[0]=service=~\"db-.*\"",
					"firebreak.incidents.maintenance-windows[0].days=SUNDAY",
					"firebreak.incidents.maintenance-windows[0].start-time=02:00",
					"firebreak.incidents.maintenance-windows[0].end-time=04:00")
			.run((context) -> {
				IncidentTopology.Settings settings = context.getBean(IncidentsProperties.class).settings(6);
				assertThat(settings.policy().severity().responseTime(Severity.SEV2)).isEqualTo(Duration.ofMinutes(30));
				assertThat(settings.policy().severity().responseTime(Severity.SEV1)).isEqualTo(Duration.ofMinutes(15));
				var window = settings.maintenanceWindows().get(0);
				assertThat(window.getMatchers().get(0).getOperator()).isEqualTo(MatchOperator.REGEX);
				assertThat(window.getMatchers().get(0).getValue()).isEqualTo("db-.*");
				assertThat(window.getRecurrence().getTimeZone()).isEqualTo("UTC");
			});
	}

	@Test
	void bindsResponsePoliciesFromAFileAndBusinessHours(@TempDir Path dir) throws IOException {
		Path file = dir.resolve("team-policies.yaml");
		Files.writeString(file, """
				policies:
				  - name: payments-down
				    match: { labels: { service: payments } }
				    responseTime: 2m
				    escalation: { L2: 5m }
				fallback: { SEV1: {}, SEV2: {}, SEV3: {}, SEV4: {} }
				""");
		this.runner
			.withPropertyValues("firebreak.incidents.response-policies=" + file,
					"firebreak.incidents.business-hours.zone=Europe/Berlin",
					"firebreak.incidents.business-hours.holidays=2026-12-25,2026-12-26",
					"firebreak.incidents.automation-grace=1m")
			.run((context) -> {
				IncidentPolicy policy = context.getBean(IncidentsProperties.class).settings(6).policy();
				assertThat(policy.responses().policies()).extracting(ResponsePolicy::name)
					.containsExactly("payments-down");
				assertThat(policy.calendar().zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
				assertThat(policy.calendar().holidays()).containsExactlyInAnyOrder(LocalDate.parse("2026-12-25"),
						LocalDate.parse("2026-12-26"));
				assertThat(policy.automationGrace()).isEqualTo(Duration.ofMinutes(1));
			});
	}

	@Test
	void aBadResponsePolicyStopsStartupNamingTheFileAndField(@TempDir Path dir) throws IOException {
		Path file = dir.resolve("team-policies.yaml");
		Files.writeString(file, "policies: [ { name: x, match: { labels: { a: b } }, responseTime: soon } ]\n"
				+ "fallback: { SEV1: {}, SEV2: {}, SEV3: {}, SEV4: {} }\n");
		this.runner.withPropertyValues("firebreak.incidents.response-policies=" + file)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining(file + ": policies[0].responseTime: 'soon' is not a duration"));
	}

	@Test
	void businessHoursThatEndBeforeTheyStartFailNamingTheProperty() {
		this.runner
			.withPropertyValues("firebreak.incidents.business-hours.start=18:00",
					"firebreak.incidents.business-hours.end=09:00")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("firebreak.incidents.business-hours: business hours must end after they start"));
	}

	@Test
	void aRecurringWindowWithoutTimesFailsNamingTheProperty() {
		this.runner
			.withPropertyValues("firebreak.incidents.maintenance-windows[0].id=sunday",
					"firebreak.incidents.maintenance-windows[0].days=SUNDAY")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("firebreak.incidents.maintenance-windows[0]")
				.hasMessageContaining("start-time"));
	}

	@Test
	void aBadMatcherFailsNamingTheProperty() {
		this.runner
			.withPropertyValues("firebreak.incidents.maintenance-windows[0].id=x",
					"firebreak.incidents.maintenance-windows[0].matchers[0]=not a matcher",
					"firebreak.incidents.maintenance-windows[0].starts-at=2026-11-22T00:00:00Z",
					"firebreak.incidents.maintenance-windows[0].ends-at=2026-11-23T00:00:00Z")
			.run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining("not a label matcher"));
	}

	@Test
	void bindsGroupingRulesInhibitionRulesAndDependencies() {
		this.runner
			.withPropertyValues("firebreak.incidents.correlation.rules[0].name=host",
					"firebreak.incidents.correlation.rules[0].matchers[0]=job=~\"node|node-exporter\"",
					"firebreak.incidents.correlation.rules[0].key=cluster,instance",
					"firebreak.incidents.inhibition.dependencies.api=postgres,redis",
					"firebreak.incidents.inhibition.grace-period=45s",
					"firebreak.incidents.inhibition.rules[0].name=cluster-down",
					"firebreak.incidents.inhibition.rules[0].source[0]=alertname=ClusterDown",
					"firebreak.incidents.inhibition.rules[0].target[0]=severity=~\"warning|info\"",
					"firebreak.incidents.inhibition.rules[0].equal=cluster",
					"firebreak.incidents.inhibition.rules[0].on-cause-resolved=RESOLVE")
			.run((context) -> {
				IncidentTopology.Settings settings = context.getBean(IncidentsProperties.class).settings(6);
				Grouping.Keyed keyed = settings.grouping()
					.keyOf(Map.of("alertname", "DiskSpaceHigh", "job", "node-exporter", "cluster", "eu-1", "instance",
							"host-1"));
				assertThat(keyed.rule()).isEqualTo("host");
				assertThat(keyed.key().value()).isEqualTo("cluster=eu-1,instance=host-1");
				List<InhibitionRule> rules = settings.policy().inhibitions().rules();
				assertThat(rules).map(InhibitionRule::name)
					.containsExactly("cluster-down", "api-depends-on-postgres", "api-depends-on-redis");
				assertThat(rules.get(0).grace()).as("the default, as the rule does not say")
					.isEqualTo(Duration.ofSeconds(45));
				assertThat(rules.get(0).onCauseResolved()).isEqualTo(InhibitionRule.OnCauseResolved.RESOLVE);
				assertThat(rules.get(1).source()).hasToString("service=\"postgres\", alertname=~\".*Down\"");
				assertThat(rules.get(1).onCauseResolved()).isEqualTo(InhibitionRule.OnCauseResolved.RELEASE);
			});
	}

	@Test
	void aBadGroupingOrInhibitionRuleStopsStartupNamingTheProperty() {
		this.runner
			.withPropertyValues("firebreak.incidents.correlation.rules[0].name=host",
					"firebreak.incidents.correlation.rules[0].matchers[0]=job=~\"node(\"",
					"firebreak.incidents.correlation.rules[0].key=instance")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("firebreak.incidents.correlation.rules[0]: 'node(' is not a regular expression"));
		this.runner.withPropertyValues("firebreak.incidents.correlation.rules[0].name=host")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("firebreak.incidents.correlation.rules[0]: needs a name and key labels"));
		this.runner
			.withPropertyValues("firebreak.incidents.inhibition.rules[0].name=db",
					"firebreak.incidents.inhibition.rules[0].source[0]=alertname=DatabaseDown")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("firebreak.incidents.inhibition.rules[0]: needs a name, source and target"));
		this.runner.withPropertyValues("firebreak.incidents.inhibition.outage=not a matcher")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("firebreak.incidents.inhibition: ")
				.hasMessageContaining("not a label matcher"));
	}

	@Test
	void aReopenWindowOfZeroIsRefused() {
		this.runner.withPropertyValues("firebreak.incidents.reopen-window=0s")
			.run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining("reopen window"));
	}

}
