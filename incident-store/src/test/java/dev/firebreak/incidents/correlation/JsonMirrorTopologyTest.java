package dev.firebreak.incidents.correlation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.firebreak.schemas.AvroJson;
import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.IncidentEventType;
import dev.firebreak.schemas.fixtures.Alerts;

import static org.assertj.core.api.Assertions.assertThat;

class JsonMirrorTopologyTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void mirrorsEveryEventAsJsonUnderTheIncidentsId() {
		try (TopologyDriver driver = mirrored()) {
			driver.send(Alerts.firing("ServiceDown").label("service", "api").label("severity", "critical"));
			driver.send(Alerts.resolved("ServiceDown").label("service", "api").label("severity", "critical"));

			List<IncidentEvent> events = driver.events();
			List<TestRecord<String, String>> mirrored = driver.texts(Topics.INCIDENT_EVENTS_JSON.name());

			assertThat(events).extracting(IncidentEvent::getType)
				.contains(IncidentEventType.OPENED, IncidentEventType.RESOLVED);
			assertThat(mirrored).hasSameSizeAs(events);
			for (int i = 0; i < events.size(); i++) {
				assertThat(mirrored.get(i).key()).isEqualTo(events.get(i).getIncidentId());
				assertThat(JSON.readTree(mirrored.get(i).value()).toString())
					.isEqualTo(AvroJson.toJson(events.get(i)).toString());
			}
		}
	}

	@Test
	void mirrorsEveryStateOfAnIncidentAsJsonUnderItsId() {
		try (TopologyDriver driver = mirrored()) {
			driver.send(Alerts.firing("ServiceDown").label("service", "api"));
			driver.send(Alerts.firing("HighErrorRate").label("service", "api"));

			Map<String, String> latest = new LinkedHashMap<>();
			driver.texts(Topics.INCIDENTS_JSON.name()).forEach((record) -> latest.put(record.key(), record.value()));
			List<Incident> incidents = driver.incidents();

			assertThat(latest).hasSize(1).containsOnlyKeys(incidents.get(0).getId());
			assertThat(JSON.readTree(latest.get(incidents.get(0).getId())).toString())
				.isEqualTo(AvroJson.toJson(incidents.get(0)).toString());
		}
	}

	@Test
	void writesNoJsonUnlessEnabled() {
		try (TopologyDriver driver = TopologyDriver.withDefaults()) {
			driver.send(Alerts.firing("ServiceDown").label("service", "api"));

			assertThat(driver.producedTopicNames()).contains(Topics.INCIDENTS.name(), Topics.INCIDENT_EVENTS.name())
				.doesNotContain(Topics.INCIDENTS_JSON.name(), Topics.INCIDENT_EVENTS_JSON.name());
		}
	}

	private static TopologyDriver mirrored() {
		return new TopologyDriver(IncidentTopology.Settings.defaults(6).withJsonMirror(true));
	}

}
