package dev.firebreak.incidents.incident;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.firebreak.schemas.avro.Severity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SeverityPolicyTest {

	private final SeverityPolicy policy = SeverityPolicy.DEFAULT;

	@ParameterizedTest
	@CsvSource({ "critical, SEV2", "CRITICAL, SEV2", "warning, SEV3", "info, SEV4", "none, SEV4", "'', SEV4" })
	void mapsTheSeverityLabel(String label, Severity expected) {
		assertThat(this.policy.severityOf(Map.of("severity", label))).isEqualTo(expected);
	}

	@Test
	void givesSev4ToAnAlertWithoutSeverity() {
		assertThat(this.policy.severityOf(Map.of("alertname", "X"))).isEqualTo(Severity.SEV4);
	}

	@ParameterizedTest
	@CsvSource({ "P0, SEV1", "P1, SEV1", "p2, SEV2", "P3, SEV3", "P4, SEV4", "SEV1, SEV1", "sev-2, SEV2",
			"SEV_3, SEV3" })
	void letsAnExplicitPriorityWin(String priority, Severity expected) {
		assertThat(this.policy.severityOf(Map.of("severity", "info", "priority", priority))).isEqualTo(expected);
		assertThat(this.policy.severityOf(Map.of("severity", "critical", "sev", priority))).isEqualTo(expected);
	}

	@Test
	void ignoresAPriorityItDoesNotKnow() {
		assertThat(this.policy.severityOf(Map.of("severity", "critical", "priority", "urgent")))
			.isEqualTo(Severity.SEV2);
	}

	@Test
	void promisesTheSeedsResponseTimes() {
		assertThat(this.policy.responseTime(Severity.SEV1)).isEqualTo(Duration.ofMinutes(15));
		assertThat(this.policy.responseTime(Severity.SEV2)).isEqualTo(Duration.ofHours(1));
		assertThat(this.policy.responseTime(Severity.SEV3)).isEqualTo(Duration.ofHours(4));
		assertThat(this.policy.responseTime(Severity.SEV4)).isEqualTo(Duration.ofHours(24));
	}

	@Test
	void ordersAndRaisesSeverities() {
		assertThat(SeverityPolicy.highest(Severity.SEV3, Severity.SEV2)).isEqualTo(Severity.SEV2);
		assertThat(SeverityPolicy.highest(Severity.SEV1, Severity.SEV4)).isEqualTo(Severity.SEV1);
		assertThat(SeverityPolicy.raise(Severity.SEV3)).isEqualTo(Severity.SEV2);
		assertThat(SeverityPolicy.raise(Severity.SEV1)).isEqualTo(Severity.SEV1);
	}

	@Test
	void refusesAMissingResponseTime() {
		assertThatIllegalArgumentException().isThrownBy(
				() -> new SeverityPolicy("severity", java.util.List.of(), Map.of(Severity.SEV1, Duration.ofMinutes(5))))
			.withMessageContaining("SEV2");
	}

}
