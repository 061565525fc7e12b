package dev.firebreak.incidents;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.firebreak.schemas.AvroCodec;
import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.IncidentEventType;
import dev.firebreak.schemas.fixtures.Alerts;
import dev.firebreak.testkit.KafkaBroker;
import dev.firebreak.testkit.Eventually;
import dev.firebreak.testkit.KafkaFixture;
import dev.firebreak.testkit.KafkaRecords;
import dev.firebreak.testkit.KafkaTopics;
import dev.firebreak.testkit.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service on a real broker: 10,000 alerts over 200 services become exactly the
 * expected incidents and events, even when the service is killed mid-stream and a new
 * one, with empty local state, takes over.
 */
class IncidentStoreIntegrationTest {

	private static final int SERVICES = 200;

	private static final int ALERTS_PER_SERVICE = 50;

	/** OPENED, its escalation clock, and 49 ALERT_ADDED. */
	private static final int EVENTS_PER_SERVICE = ALERTS_PER_SERVICE + 1;

	private final KafkaFixture kafka = TestInfrastructure.kafka();

	@Test
	void killedMidStreamTheNextInstanceLeavesExactlyTheExpectedOutput(@TempDir Path state) throws Exception {
		KafkaTopics.createAll(this.kafka);
		List<Map.Entry<String, AlertEvent>> alerts = alerts();
		// No runbook answers here: an hour's grace keeps automation's hand-over, a matter
		// of
		// wall-clock time, out of a count that must be exact.
		String[] settings = { "--spring.kafka.streams.properties.session.timeout.ms=6000",
				"--spring.kafka.streams.properties.producer.transaction.timeout.ms=5000",
				"--firebreak.incidents.automation-grace=1h" };

		IncidentStoreProcess first = IncidentStoreProcess.start(this.kafka.bootstrapServers(),
				Files.createDirectories(state.resolve("first")), settings);
		KafkaRecords.produce(this.kafka, Topics.ALERTS, alerts);
		KafkaRecords.consume(this.kafka, Topics.INCIDENT_EVENTS, alerts.size() / 5, Duration.ofMinutes(2));
		first.kill();
		assertThat(KafkaRecords.readAll(this.kafka, Topics.INCIDENT_EVENTS, Duration.ofSeconds(30)))
			.as("events committed when the first instance died")
			.hasSizeBetween(alerts.size() / 5, alerts.size() - 1);
		IncidentStoreProcess second = IncidentStoreProcess.start(this.kafka.bootstrapServers(),
				Files.createDirectories(state.resolve("second")), settings);
		try {
			// An empty state directory: ready (start waits for it) only once what the
			// first
			// built was restored. The group may rebalance once more as the killed
			// member's
			// session expires, and restore again for a moment: the streams are UP again
			// after.
			JsonNode streams = Eventually.within(Duration.ofSeconds(60))
				.until(() -> JsonMapper.builder().build().readTree(second.health()).path("components").path("streams"),
						(component) -> component.path("status").asString().equals("UP"));
			assertThat(streams.path("details").path("restoringPartitions").asInt()).isZero();
			assertThat(streams.path("details").path("recordsRestored").asLong()).isPositive();
			KafkaRecords.consume(this.kafka, Topics.INCIDENT_EVENTS, EVENTS_PER_SERVICE * SERVICES,
					Duration.ofMinutes(3));
			assertThat(second.health()).contains("\"streams\"").contains("RUNNING");
		}
		finally {
			// Stopped, it can write nothing more: what is on the topics now is all of it.
			second.close();
		}
		List<IncidentEvent> events = values(
				KafkaRecords.readAll(this.kafka, Topics.INCIDENT_EVENTS, Duration.ofSeconds(30)));
		assertThat(events).hasSize(SERVICES * EVENTS_PER_SERVICE);
		Map<String, List<IncidentEvent>> byIncident = events.stream()
			.collect(Collectors.groupingBy(IncidentEvent::getIncidentId));
		assertThat(byIncident).hasSize(SERVICES);
		byIncident.forEach((id, timeline) -> {
			assertThat(id).matches("INC-\\d{8}-\\d{4,}");
			assertThat(timeline).extracting(IncidentEvent::getSequence)
				.as("sequences of %s", id)
				.containsExactlyElementsOf(sequence(1, EVENTS_PER_SERVICE));
			assertThat(timeline.get(0).getType()).isEqualTo(IncidentEventType.OPENED);
			assertThat(timeline.get(1).getType()).isEqualTo(IncidentEventType.ESCALATION_CLOCK_SET);
			assertThat(timeline.subList(2, timeline.size())).extracting(IncidentEvent::getType)
				.containsOnly(IncidentEventType.ALERT_ADDED);
		});
		assertThat(events.stream()
			.filter((event) -> event.getType() != IncidentEventType.ESCALATION_CLOCK_SET)
			.map((event) -> event.getAlert().getFingerprint())
			.distinct()).hasSize(alerts.size());

		Map<String, Incident> incidents = latest(
				KafkaRecords.readAll(this.kafka, Topics.INCIDENTS, Duration.ofSeconds(30)));
		assertThat(incidents).hasSize(SERVICES);
		assertThat(incidents.values()).allSatisfy((incident) -> {
			assertThat(incident.getVersion()).isEqualTo(EVENTS_PER_SERVICE);
			assertThat(incident.getCounts().getAlerts()).isEqualTo(ALERTS_PER_SERVICE);
			assertThat(incident.getCounts().getFiring()).isEqualTo(ALERTS_PER_SERVICE);
		});
		assertThat(incidents.values().stream().map(Incident::getCorrelationKey).distinct()).hasSize(SERVICES);
	}

	@Test
	void aStormOfOneHundredThousandAlertsIsOneBoundedIncident(@TempDir Path state) {
		int storm = 100_000;
		try (KafkaBroker broker = KafkaBroker.startNew()) {
			KafkaTopics.createAll(broker);
			List<Map.Entry<String, AlertEvent>> alerts = new ArrayList<>(storm);
			for (int i = 0; i < storm; i++) {
				AlertEvent alert = Alerts.firing("DiskSpaceHigh")
					.label("service", "storage")
					.label("severity", "warning")
					.label("instance", "node-" + (i % 1000))
					.label("mountpoint", "/data/" + i)
					.build();
				alerts.add(Map.entry(alert.getFingerprint(), alert));
			}
			KafkaRecords.produce(broker, Topics.ALERTS, alerts);
			try (IncidentStoreProcess store = IncidentStoreProcess.start(broker.bootstrapServers(), state)) {
				// OPENED, its clock, 99,999 ALERT_ADDED and one SEVERITY_CHANGED for the
				// blast radius.
				KafkaRecords.consume(broker, Topics.INCIDENT_EVENTS, storm + 2, Duration.ofMinutes(5));
				Map<String, Incident> incidents = latest(
						KafkaRecords.readAll(broker, Topics.INCIDENTS, Duration.ofSeconds(30)));

				assertThat(incidents).hasSize(1);
				Incident incident = incidents.values().iterator().next();
				assertThat(incident.getCounts().getAlerts()).isEqualTo(storm);
				assertThat(incident.getCounts().getInstances()).isEqualTo(1000);
				assertThat(incident.getFirstAlerts()).hasSize(5);
				assertThat(incident.getRecentAlerts()).hasSize(5);
				assertThat(AvroCodec.of(Incident.class).encode(incident)).hasSizeLessThan(8 * 1024);
			}
		}
	}

	/**
	 * Per service, 50 distinct warning alerts over 4 instances (below the blast radius),
	 * so that each incident's timeline is exactly OPENED, ESCALATION_CLOCK_SET and 49
	 * ALERT_ADDED.
	 */
	private static List<Map.Entry<String, AlertEvent>> alerts() {
		List<Map.Entry<String, AlertEvent>> alerts = new ArrayList<>();
		for (int n = 0; n < ALERTS_PER_SERVICE; n++) {
			for (int s = 0; s < SERVICES; s++) {
				AlertEvent alert = Alerts.firing("HighResponseTime")
					.label("service", "svc-" + s)
					.label("severity", "warning")
					.label("instance", "host-" + (n % 4))
					.label("endpoint", "/api/" + n)
					.build();
				alerts.add(Map.entry(alert.getFingerprint(), alert));
			}
		}
		return alerts;
	}

	private static List<Long> sequence(long from, long to) {
		List<Long> numbers = new ArrayList<>();
		for (long n = from; n <= to; n++) {
			numbers.add(n);
		}
		return numbers;
	}

	private static <V> List<V> values(List<ConsumerRecord<String, V>> records) {
		return records.stream().map(ConsumerRecord::value).toList();
	}

	private static Map<String, Incident> latest(List<ConsumerRecord<String, Incident>> records) {
		Map<String, Incident> latest = new HashMap<>();
		records.forEach((record) -> latest.put(record.key(), record.value()));
		return latest;
	}

}
