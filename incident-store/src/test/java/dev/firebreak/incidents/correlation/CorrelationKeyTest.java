package dev.firebreak.incidents.correlation;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CorrelationKeyTest {

	private final CorrelationKey.Rule rule = CorrelationKey.DEFAULT_RULE;

	@Test
	void groupsAlertsOfOneServiceAcrossAlertNames() {
		CorrelationKey down = this.rule.keyOf(Map.of("alertname", "ServiceDown", "cluster", "eu-1", "service", "api"));
		CorrelationKey errors = this.rule
			.keyOf(Map.of("alertname", "HighErrorRate", "cluster", "eu-1", "service", "api", "instance", "api-2"));

		assertThat(down).isEqualTo(errors);
		assertThat(down.value()).isEqualTo("cluster=eu-1,service=api");
		assertThat(down.labels()).containsExactly(Map.entry("cluster", "eu-1"), Map.entry("service", "api"));
	}

	@Test
	void keepsOneServiceInTwoClustersApart() {
		assertThat(this.rule.keyOf(Map.of("cluster", "eu-1", "service", "api")))
			.isNotEqualTo(this.rule.keyOf(Map.of("cluster", "us-1", "service", "api")));
	}

	@Test
	void fallsBackToJobThenAlertname() {
		assertThat(this.rule.keyOf(Map.of("alertname", "NodeDown", "job", "node", "cluster", "eu-1")).value())
			.isEqualTo("cluster=eu-1,job=node");
		assertThat(this.rule.keyOf(Map.of("alertname", "BackupFailed")).value()).isEqualTo("alertname=BackupFailed");
	}

	@Test
	void treatsAnEmptyLabelAsAbsent() {
		assertThat(this.rule.keyOf(Map.of("alertname", "X", "service", "", "job", "api")).value()).isEqualTo("job=api");
	}

	@Test
	void keysAnAlertWithNoAnchorByAllItsLabels() {
		assertThat(this.rule.keyOf(Map.of("zone", "b", "instance", "h1")).value()).isEqualTo("instance=h1,zone=b");
	}

	@Test
	void quotesValuesThatWouldBreakTheKey() {
		CorrelationKey key = this.rule.keyOf(Map.of("service", "a,cluster=b"));
		CorrelationKey other = this.rule.keyOf(Map.of("service", "a", "cluster", "b"));

		assertThat(key.value()).isEqualTo("service=\"a,cluster=b\"");
		assertThat(key).isNotEqualTo(other);
	}

	@Test
	void followsAConfiguredRule() {
		CorrelationKey.Rule byTeam = new CorrelationKey.Rule(List.of(), List.of("team", "alertname"));

		assertThat(byTeam.keyOf(Map.of("team", "payments", "service", "api", "cluster", "eu-1")).value())
			.isEqualTo("team=payments");
	}

	@Test
	void refusesARuleWithoutAnchorsOrWithALabelInBothRoles() {
		assertThatIllegalArgumentException().isThrownBy(() -> new CorrelationKey.Rule(List.of("cluster"), List.of()));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CorrelationKey.Rule(List.of("service"), List.of("service")));
	}

}
