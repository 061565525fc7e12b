package dev.firebreak.incidents.correlation;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.firebreak.incidents.labels.Selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Grouping rules as a table: labels in, the rule that decides and the key out. */
class GroupingTest {

	private static final Grouping GROUPING = new Grouping(List.of(
			new Grouping.Rule("host", Selector.parse(List.of("job=~\"node|node-exporter\"")),
					List.of("cluster", "instance")),
			new Grouping.Rule("fleet", Selector.parse(List.of("alertname=\"Watchdog\"")), List.of("alertname")),
			new Grouping.Rule("apps", Selector.parse(List.of("service!=\"\"", "env!~\"dev|test\"")),
					List.of("cluster", "service"))),
			CorrelationKey.DEFAULT_RULE);

	@ParameterizedTest(name = "{0} → {1} {2}")
	@CsvSource(delimiter = '|',
			textBlock = """
					alertname=DiskSpaceHigh,job=node,cluster=eu-1,instance=host-1:9100     | host    | cluster=eu-1,instance=host-1:9100
					alertname=MemoryUsageHigh,job=node,cluster=eu-1,instance=host-1:9100   | host    | cluster=eu-1,instance=host-1:9100
					alertname=DiskSpaceHigh,job=node-exporter,cluster=eu-1,instance=host-2 | host    | cluster=eu-1,instance=host-2
					alertname=DiskSpaceHigh,job=nodes,cluster=eu-1,instance=host-2         | default | cluster=eu-1,job=nodes
					alertname=Watchdog,job=node,cluster=eu-1,instance=host-3               | host    | cluster=eu-1,instance=host-3
					alertname=Watchdog,cluster=eu-1                                        | fleet   | alertname=Watchdog
					alertname=HighErrorRate,service=api,cluster=eu-1,env=prod              | apps    | cluster=eu-1,service=api
					alertname=HighErrorRate,service=api,cluster=eu-1                       | apps    | cluster=eu-1,service=api
					alertname=HighErrorRate,service=api,cluster=eu-1,env=dev               | default | cluster=eu-1,service=api
					alertname=ServiceDown,job=checkout,cluster=eu-1                        | default | cluster=eu-1,job=checkout
					alertname=DiskSpaceHigh,job=node                                       | host    | alertname=DiskSpaceHigh,job=node
					""")
	void theFirstRuleThatMatchesDecidesTheKey(String labels, String rule, String key) {
		Grouping.Keyed keyed = GROUPING.keyOf(labels(labels));

		assertThat(keyed.rule()).isEqualTo(rule);
		assertThat(keyed.key().labels()).isEqualTo(labels(key));
	}

	@Test
	void alertsOfOneHostShareAKeyAndTwoHostsDoNot() {
		Map<String, String> disk = labels("alertname=DiskSpaceHigh,job=node,cluster=eu-1,instance=host-1");
		Map<String, String> memory = labels("alertname=MemoryUsageHigh,job=node,cluster=eu-1,instance=host-1");
		Map<String, String> otherHost = labels("alertname=DiskSpaceHigh,job=node,cluster=eu-1,instance=host-2");

		assertThat(GROUPING.keyOf(disk).key()).isEqualTo(GROUPING.keyOf(memory).key())
			.isNotEqualTo(GROUPING.keyOf(otherHost).key());
	}

	@Test
	void withoutRulesEveryAlertIsGroupedByTheDefaultRule() {
		Map<String, String> labels = labels("alertname=DiskSpaceHigh,job=node,cluster=eu-1,instance=host-1");

		assertThat(Grouping.DEFAULT_GROUPING.keyOf(labels))
			.isEqualTo(new Grouping.Keyed("default", CorrelationKey.DEFAULT_RULE.keyOf(labels)));
		assertThat(Grouping.DEFAULT_GROUPING.keyOf(labels).key().labels()).isEqualTo(labels("cluster=eu-1,job=node"));
	}

	@Test
	void refusesRulesItCouldNotTellApart() {
		Selector all = Selector.parse(List.of());
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Grouping(List.of(new Grouping.Rule("host", all, List.of("instance")),
					new Grouping.Rule("host", all, List.of("cluster"))), CorrelationKey.DEFAULT_RULE))
			.withMessageContaining("unique");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Grouping(List.of(new Grouping.Rule("default", all, List.of("instance"))),
					CorrelationKey.DEFAULT_RULE))
			.withMessageContaining("'default'");
		assertThatIllegalArgumentException().isThrownBy(() -> new Grouping.Rule("Host Rule", all, List.of("x")))
			.withMessageContaining("'Host Rule'");
		assertThatIllegalArgumentException().isThrownBy(() -> new Grouping.Rule("host", all, List.of()))
			.withMessageContaining("at least one key label");
	}

	static Map<String, String> labels(String text) {
		Map<String, String> labels = new java.util.LinkedHashMap<>();
		for (String pair : text.split(",")) {
			String[] parts = pair.strip().split("=", 2);
			labels.put(parts[0], parts[1]);
		}
		return labels;
	}

}
