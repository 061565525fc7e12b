package dev.firebreak.incidents.correlation;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.firebreak.incidents.labels.Selector;
import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.fixtures.Alerts;

import static dev.firebreak.schemas.fixtures.Alerts.T0;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A change of grouping rules never re-keys an alert that is firing: it keeps the key it
 * was given until it resolves, and its next episode follows the rules of its time.
 */
class KeyAssignerTest {

	private static final Grouping PER_HOST = new Grouping(
			List.of(new Grouping.Rule("host", Selector.parse(List.of("job=\"node\"")), List.of("cluster", "instance"))),
			CorrelationKey.DEFAULT_RULE);

	private MockProcessorContext<String, AlertEvent> context;

	private KeyValueStore<String, String> keys;

	@BeforeEach
	void store() {
		this.context = new MockProcessorContext<>();
		this.keys = Stores
			.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(IncidentTopology.ALERT_KEYS), Serdes.String(),
					Serdes.String())
			.withLoggingDisabled()
			.build();
		this.keys.init(this.context.getStateStoreContext(), this.keys);
		this.context.addStateStore(this.keys);
	}

	@Test
	void aFiringAlertKeepsItsKeyAcrossARuleChangeUntilItResolves() {
		Alerts disk = Alerts.firing("DiskSpaceHigh")
			.label("job", "node")
			.label("cluster", "eu-1")
			.label("instance", "host-1:9100");

		// Opened under the default rule alone: keyed by job.
		assertThat(keyed(Grouping.DEFAULT_GROUPING, disk.build())).containsExactly("cluster=eu-1,job=node", "default");
		// The per-host rule is deployed while it fires: it stays with its incident.
		assertThat(keyed(PER_HOST, disk.receivedAt(T0.plusSeconds(120)).build()))
			.containsExactly("cluster=eu-1,job=node", "default");
		Alerts resolved = Alerts.resolved("DiskSpaceHigh")
			.label("job", "node")
			.label("cluster", "eu-1")
			.label("instance", "host-1:9100");
		assertThat(resolved.build().getFingerprint()).isEqualTo(disk.build().getFingerprint());
		assertThat(keyed(PER_HOST, resolved.build())).containsExactly("cluster=eu-1,job=node", "default");
		assertThat(this.keys.approximateNumEntries()).isZero();

		// Its next episode is grouped by the rules of its time.
		assertThat(keyed(PER_HOST, disk.build())).containsExactly("cluster=eu-1,instance=host-1:9100", "host");
	}

	@Test
	void aResolveOfAnAlertNeverSeenFiringIsKeyedByTheRulesAndStoresNothing() {
		AlertEvent resolved = Alerts.resolved("DiskSpaceHigh")
			.label("job", "node")
			.label("cluster", "eu-1")
			.label("instance", "host-1:9100")
			.build();

		assertThat(keyed(PER_HOST, resolved)).containsExactly("cluster=eu-1,instance=host-1:9100", "host");
		assertThat(this.keys.approximateNumEntries()).isZero();
	}

	@Test
	void anExactRepeatWithinTheSkewIsCountedAndTheCountGoesWithTheNextDelivery() {
		Alerts disk = Alerts.firing("DiskSpaceHigh").label("job", "node").label("cluster", "eu-1");
		KeyAssigner assigner = assigner(Grouping.DEFAULT_GROUPING);

		assertThat(forward(assigner, disk.build())).isEqualTo("forwarded, repeats 0");
		// The other Alertmanager of the pair, and a resend 60 s later: counted only.
		assertThat(forward(assigner, disk.receivedAt(T0.plusMillis(40)).build())).isEqualTo("dropped");
		assertThat(forward(assigner, disk.receivedAt(T0.plusSeconds(60)).build())).isEqualTo("dropped");
		// Past the skew, the same content goes on, with the two repeats before it.
		assertThat(forward(assigner, disk.receivedAt(T0.plusSeconds(61)).build())).isEqualTo("forwarded, repeats 2");
		// Other content at once: a new annotation is no repeat.
		assertThat(forward(assigner, disk.annotation("summary", "87%").receivedAt(T0.plusSeconds(62)).build()))
			.isEqualTo("forwarded, repeats 0");
		assertThat(forward(assigner, disk.receivedAt(T0.plusSeconds(63)).build())).isEqualTo("dropped");
		// Its resolve takes the count with it, and so does each resolve.
		Alerts resolved = Alerts.resolved("DiskSpaceHigh").label("job", "node").label("cluster", "eu-1");
		assertThat(forward(assigner, resolved.build())).isEqualTo("forwarded, repeats 1");
		assertThat(forward(assigner, resolved.build())).isEqualTo("forwarded, repeats 0");
		assertThat(this.keys.approximateNumEntries()).isZero();
	}

	@Test
	void aKeyStoredBeforeRepeatsWereCountedStillHoldsItsAlert() {
		Alerts disk = Alerts.firing("DiskSpaceHigh").label("job", "node").label("cluster", "eu-1");
		this.keys.put(disk.build().getFingerprint(), "default\u0000cluster=eu-1,job=old");

		assertThat(keyed(PER_HOST, disk.build())).containsExactly("cluster=eu-1,job=old", "default");
		assertThat(forward(assigner(PER_HOST), disk.receivedAt(T0.plusSeconds(1)).build())).isEqualTo("dropped");
	}

	private KeyAssigner assigner(Grouping grouping) {
		KeyAssigner assigner = new KeyAssigner(grouping);
		assigner.init(this.context);
		return assigner;
	}

	/** Whether the assigner passed one alert on, and the repeats counted before it. */
	private String forward(KeyAssigner assigner, AlertEvent alert) {
		this.context.resetForwards();
		assigner.process(new Record<>(alert.getFingerprint(), alert, alert.getReceivedAt().toEpochMilli()));
		if (this.context.forwarded().isEmpty()) {
			return "dropped";
		}
		Header repeats = this.context.forwarded().get(0).record().headers().lastHeader(KeyAssigner.REPEATS_HEADER);
		return "forwarded, repeats " + ((repeats != null) ? new String(repeats.value(), StandardCharsets.UTF_8) : "0");
	}

	/** The key and the rule header of what the assigner forwards for one alert. */
	private List<String> keyed(Grouping grouping, AlertEvent alert) {
		KeyAssigner assigner = new KeyAssigner(grouping);
		assigner.init(this.context);
		this.context.resetForwards();
		assigner.process(new Record<>(alert.getFingerprint(), alert, alert.getReceivedAt().toEpochMilli()));
		Record<? extends String, ? extends AlertEvent> forwarded = this.context.forwarded().get(0).record();
		return List.of(forwarded.key(),
				new String(forwarded.headers().lastHeader(KeyAssigner.RULE_HEADER).value(), StandardCharsets.UTF_8));
	}

}
