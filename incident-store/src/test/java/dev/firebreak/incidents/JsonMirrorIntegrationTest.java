package dev.firebreak.incidents;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.firebreak.schemas.AvroJson;
import dev.firebreak.schemas.Topic;
import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.fixtures.Alerts;
import dev.firebreak.schemas.fixtures.JsonSchemas;
import dev.firebreak.testkit.ForkedProcess;
import dev.firebreak.testkit.Eventually;
import dev.firebreak.testkit.KafkaBroker;
import dev.firebreak.testkit.KafkaRecords;
import dev.firebreak.testkit.KafkaTopics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The JSON mirror as a reader without Avro sees it: incident-store with
 * {@code firebreak.incidents.json-mirror.enabled=true} on a real broker, one alert, and
 * {@code kcat} (a librdkafka client, reading committed records only) printing
 * {@code firebreak.incidents.json} and {@code firebreak.incident-events.json}. Skipped
 * where kcat is not installed ({@code apt-get install kcat}; CI installs it).
 */
class JsonMirrorIntegrationTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void kcatReadsTheIncidentAndItsEventsAsJson(@TempDir Path dir) throws Exception {
		Optional<String> kcat = ForkedProcess.onPath("kcat");
		assumeTrue(kcat.isPresent(), "kcat is not installed (apt-get install kcat): the JSON mirror is not read");
		try (KafkaBroker broker = KafkaBroker.startNew()) {
			// The catalogue's topics; the mirror's own are created by the service.
			KafkaTopics.createAll(broker);
			Kcat reader = new Kcat(kcat.get(), broker.bootstrapServers(), dir);
			AlertEvent alert = Alerts.firing("ServiceDown")
				.label("service", "api")
				.label("cluster", "eu-1")
				.label("severity", "critical")
				.build();
			try (IncidentStoreProcess store = IncidentStoreProcess.start(broker.bootstrapServers(),
					Files.createDirectories(dir.resolve("state")), "--firebreak.incidents.json-mirror.enabled=true",
					"--firebreak.incidents.automation-grace=1h")) {
				KafkaRecords.produce(broker, Topics.ALERTS, Map.entry(alert.getFingerprint(), alert));
				Eventually.within(Duration.ofSeconds(90))
					.pollInterval(Duration.ofMillis(500))
					.until(() -> !reader.read(Topics.INCIDENTS_JSON.name()).isEmpty()
							&& !reader.read(Topics.INCIDENT_EVENTS_JSON.name()).isEmpty());
			}
			// Stopped, it writes nothing more: what kcat reads now is all there is.
			List<String[]> incidents = reader.read(Topics.INCIDENTS_JSON.name());
			List<String[]> events = reader.read(Topics.INCIDENT_EVENTS_JSON.name());

			JsonNode incident = JSON.readTree(incidents.get(incidents.size() - 1)[1]);
			String id = incident.get("id").asString();
			assertThat(id).matches("INC-\\d{8}-\\d{4,}");
			assertThat(incidents).allSatisfy((line) -> assertThat(line[0]).isEqualTo(id));
			assertThat(incident.get("status").asString()).isEqualTo("OPEN");
			assertThat(incident.get("severity").asString()).isEqualTo("SEV2");
			assertThat(incident.get("openedAt").asString())
				.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
			for (String[] line : incidents) {
				assertThat(JsonSchemas.problems("Incident", JSON.readTree(line[1]))).isEmpty();
			}

			JsonNode opened = JSON.readTree(events.get(0)[1]);
			assertThat(opened.get("type").asString()).isEqualTo("OPENED");
			assertThat(opened.get("sequence").asLong()).isEqualTo(1);
			assertThat(opened.get("incidentId").asString()).isEqualTo(id);
			assertThat(opened.get("incident").get("status").asString()).isEqualTo("OPEN");
			assertThat(opened.get("incident").get("severity").asString()).isEqualTo("SEV2");
			assertThat(opened.get("alert").get("labels").get("service").asString()).isEqualTo("api");
			assertThat(events).allSatisfy((line) -> assertThat(line[0]).isEqualTo(id));
			for (String[] line : events) {
				assertThat(JsonSchemas.problems("IncidentEvent", JSON.readTree(line[1]))).isEmpty();
			}

			// The same records as on the Avro topics, committed with them, in the same
			// partition.
			List<ConsumerRecord<String, IncidentEvent>> avroEvents = KafkaRecords.readAll(broker,
					Topics.INCIDENT_EVENTS, Duration.ofSeconds(30));
			assertThat(texts(events)).containsExactlyElementsOf(
					avroEvents.stream().map((record) -> AvroJson.toJson(record.value()).toString()).toList());
			List<ConsumerRecord<String, Incident>> avroIncidents = KafkaRecords.readAll(broker, Topics.INCIDENTS,
					Duration.ofSeconds(30));
			assertThat(texts(incidents)).containsExactlyElementsOf(
					avroIncidents.stream().map((record) -> AvroJson.toJson(record.value()).toString()).toList());
			assertThat(partitions(broker, Topics.INCIDENT_EVENTS_JSON)).containsOnly(avroEvents.get(0).partition());
			assertThat(partitions(broker, Topics.INCIDENTS_JSON)).containsOnly(avroIncidents.get(0).partition());
		}
	}

	/** Each value reparsed and written again, so that it compares as text. */
	private static List<String> texts(List<String[]> lines) {
		return lines.stream().map((line) -> JSON.readTree(line[1]).toString()).toList();
	}

	private static List<Integer> partitions(KafkaBroker broker, Topic<String, String> topic) {
		return KafkaRecords.readAll(broker, topic, Duration.ofSeconds(30))
			.stream()
			.map(ConsumerRecord::partition)
			.toList();
	}

	/**
	 * {@code kcat -C -o beginning -e}: a topic's committed records up to its end, as key
	 * and value, one line each.
	 */
	private record Kcat(String executable, String bootstrapServers, Path dir) {

		List<String[]> read(String topic) throws IOException, InterruptedException {
			Path out = this.dir.resolve(topic + ".out");
			Path err = this.dir.resolve(topic + ".err");
			Process process = new ProcessBuilder(this.executable, "-b", this.bootstrapServers, "-C", "-t", topic, "-o",
					"beginning", "-e", "-q", "-X", "isolation.level=read_committed", "-f", "%k\t%s\n")
				.redirectOutput(out.toFile())
				.redirectError(err.toFile())
				.start();
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new AssertionError("kcat did not finish reading " + topic + " within 30s");
			}
			if (process.exitValue() != 0) {
				throw new AssertionError("kcat exited with " + process.exitValue() + " reading " + topic + ": "
						+ Files.readString(err, StandardCharsets.UTF_8));
			}
			List<String[]> lines = new ArrayList<>();
			for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
				if (!line.isEmpty()) {
					lines.add(line.split("\t", 2));
				}
			}
			return lines;
		}

	}

}
