package dev.firebreak.schemas;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.firebreak.schemas.avro.ActorKind;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.IncidentEventType;
import dev.firebreak.schemas.avro.Severity;
import dev.firebreak.schemas.fixtures.Alerts;
import dev.firebreak.schemas.fixtures.IncidentEvents;
import dev.firebreak.schemas.fixtures.Incidents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AvroJsonTest {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final Instant OPENED = Instant.parse("2026-11-22T10:00:00Z");

	@Test
	void writesFieldsByTheirRecordNamesAndEnumsAsSymbols() {
		JsonNode json = AvroJson.toJson(Incidents.open("INC-20261122-0001").severity(Severity.SEV2).build());

		assertThat(json.get("id").asString()).isEqualTo("INC-20261122-0001");
		assertThat(json.get("severity").asString()).isEqualTo("SEV2");
		assertThat(json.get("status").asString()).isEqualTo("OPEN");
		assertThat(json.get("automation").asString()).isEqualTo("NONE");
		assertThat(json.get("flapping").isBoolean()).isTrue();
		assertThat(json.get("version").isIntegralNumber()).isTrue();
		assertThat(json.get("counts").get("alerts").asInt()).isZero();
		assertThat(json.propertyNames())
			.containsExactlyElementsOf(Incident.getClassSchema().getFields().stream().map(Schema.Field::name).toList());
	}

	@Test
	void writesAnAbsentOptionalFieldAsNullAndAPresentOneWithoutAUnionWrapper() {
		Incident incident = Incidents.open("INC-20261122-0001").assignee("alice").build();

		JsonNode json = AvroJson.toJson(incident);

		assertThat(json.get("assignee").asString()).isEqualTo("alice");
		assertThat(json.get("resolvedBy").isNull()).isTrue();
		assertThat(json.get("acknowledgedAt").isNull()).isTrue();
	}

	@Test
	void writesTimestampsAsUtcWithMilliseconds() {
		Incident incident = Incidents.open("INC-20261122-0001").openedAt(OPENED).build();
		incident.setUpdatedAt(Instant.parse("2026-11-22T10:00:01.5Z"));

		JsonNode json = AvroJson.toJson(incident);

		assertThat(json.get("openedAt").asString()).isEqualTo("2026-11-22T10:00:00.000Z");
		assertThat(json.get("updatedAt").asString()).isEqualTo("2026-11-22T10:00:01.500Z");
	}

	@Test
	void dropsWhatIsFinerThanAMillisecondAsTheAvroTopicDoes() {
		Incident incident = Incidents.open("INC-20261122-0001").build();
		incident.setUpdatedAt(Instant.parse("2026-11-22T10:00:00.123456789Z"));

		Incident decoded = AvroCodec.of(Incident.class).decode(AvroCodec.of(Incident.class).encode(incident));

		assertThat(AvroJson.toJson(incident).get("updatedAt").asString()).isEqualTo("2026-11-22T10:00:00.123Z");
		assertThat(AvroJson.toJson(incident)).isEqualTo(AvroJson.toJson(decoded));
	}

	@Test
	void writesMapsAsObjectsWithSortedKeys() {
		IncidentEvent event = IncidentEvents.of(IncidentEventType.SEVERITY_CHANGED, Incidents.open("INC-1").build())
			.detail("to", "SEV2")
			.detail("from", "SEV3")
			.build();

		JsonNode details = AvroJson.toJson(event).get("details");

		assertThat(details.isObject()).isTrue();
		assertThat(details.propertyNames()).containsExactly("from", "to");
		assertThat(details.get("from").asString()).isEqualTo("SEV3");
	}

	@Test
	void writesNestedRecordsAndArraysAsObjectsAndArrays() {
		Incident incident = Incidents.open("INC-20261122-0001")
			.alert(Alerts.firing("ServiceDown").label("service", "api").build())
			.build();
		IncidentEvent event = IncidentEvents.of(IncidentEventType.OPENED, incident)
			.by(ActorKind.ALERT_SOURCE, "alertmanager")
			.alert(incident.getFirstAlerts().get(0))
			.build();

		JsonNode json = AvroJson.toJson(event);

		assertThat(json.get("actor").get("kind").asString()).isEqualTo("ALERT_SOURCE");
		assertThat(json.get("alert").get("alertname").asString()).isEqualTo("ServiceDown");
		assertThat(json.get("incident").get("firstAlerts").isArray()).isTrue();
		assertThat(json.get("incident").get("firstAlerts").get(0).get("labels").get("service").asString())
			.isEqualTo("api");
		assertThat(json.get("incident")).isEqualTo(AvroJson.toJson(incident));
	}

	@Test
	void writesUtf8JsonTextAndKeepsATombstone() throws Exception {
		Incident incident = Incidents.open("INC-20261122-0001").title("Zürich down").build();

		byte[] bytes = AvroJson.toBytes(incident);

		assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"title\":\"Zürich down\"");
		assertThat(MAPPER.readTree(bytes).toString()).isEqualTo(AvroJson.toJson(incident).toString());
		assertThat(AvroJson.toBytes(null)).isNull();
		assertThat(AvroJson.<Incident>serde().serializer().serialize("firebreak.incidents.json", null)).isNull();
		assertThat(AvroJson.<Incident>serde().serializer().serialize("firebreak.incidents.json", incident))
			.isEqualTo(bytes);
	}

	@Test
	void doesNotReadJsonBackIntoRecords() {
		assertThatThrownBy(() -> AvroJson.<Incident>serde().deserializer().deserialize("t", new byte[] { '{', '}' }))
			.isInstanceOf(UnsupportedOperationException.class);
	}

	@Test
	void refusesAUnionWithoutOnePlainJsonForm() {
		Schema schema = SchemaBuilder.record("R")
			.fields()
			.name("either")
			.type()
			.unionOf()
			.stringType()
			.and()
			.intType()
			.endUnion()
			.noDefault()
			.endRecord();
		GenericRecord record = new GenericData.Record(schema);
		record.put("either", "x");

		assertThatIllegalArgumentException().isThrownBy(() -> AvroJson.toJson(record)).withMessageContaining("union");
	}

	@Test
	void writesAGenericRecordAsItsSpecificTwin() {
		Incident incident = Incidents.open("INC-20261122-0001").build();
		GenericRecord generic = new GenericData.Record(Incident.getClassSchema());
		for (Schema.Field field : Incident.getClassSchema().getFields()) {
			Object value = incident.get(field.pos());
			generic.put(field.pos(), (value instanceof Instant) ? ((Instant) value).toEpochMilli() : value);
		}

		assertThat(AvroJson.toJson(generic)).isEqualTo(AvroJson.toJson(incident));
	}

}
