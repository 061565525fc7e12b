package dev.firebreak.incidents.system;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import dev.firebreak.incidents.correlation.IncidentTopology;
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
			assertThat(settings.correlation().scope()).containsExactly("cluster");
			assertThat(settings.correlation().anchors()).containsExactly("service", "job", "alertname");
			assertThat(settings.policy().reopenWindow()).isEqualTo(Duration.ofMinutes(10));
			assertThat(settings.policy().severity().responseTime(Severity.SEV1)).isEqualTo(Duration.ofMinutes(15));
			assertThat(settings.policy().flapping().threshold()).isEqualTo(4);
			assertThat(settings.maintenanceWindows()).isEmpty();
		});
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
	void aReopenWindowOfZeroIsRefused() {
		this.runner.withPropertyValues("firebreak.incidents.reopen-window=0s")
			.run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining("reopen window"));
	}

}
