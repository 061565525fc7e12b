package dev.firebreak.schemas;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.firebreak.schemas.avro.Actor;
import dev.firebreak.schemas.avro.ActorKind;
import dev.firebreak.schemas.avro.AlertCounts;
import dev.firebreak.schemas.avro.AlertStatus;
import dev.firebreak.schemas.avro.AlertSummary;
import dev.firebreak.schemas.avro.AutomationState;
import dev.firebreak.schemas.avro.EscalationLevel;
import dev.firebreak.schemas.avro.Finding;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.IncidentEventType;
import dev.firebreak.schemas.avro.IncidentStatus;
import dev.firebreak.schemas.avro.InhibitionState;
import dev.firebreak.schemas.avro.Severity;
import dev.firebreak.schemas.fixtures.Alerts;
import dev.firebreak.schemas.fixtures.IncidentEvents;
import dev.firebreak.schemas.fixtures.Incidents;
import dev.firebreak.schemas.fixtures.JsonSchemas;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published JSON Schemas ({@code schemas/json/}) describe what {@link AvroJson}
 * writes, and every field and symbol of the Avro records they mirror: a field added to
 * the IDL without a word in the JSON Schema fails here.
 */
class JsonSchemasTest {

	private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

	@Test
	void describesAFullIncidentAndAMinimalOne() {
		assertThat(JsonSchemas.problems("Incident", AvroJson.toJson(fullIncident()))).isEmpty();
		assertThat(JsonSchemas.problems("Incident", AvroJson.toJson(minimalIncident()))).isEmpty();
	}

	@Test
	void describesAFullEventAndAMinimalOne() {
		assertThat(JsonSchemas.problems("IncidentEvent", AvroJson.toJson(fullEvent()))).isEmpty();
		assertThat(JsonSchemas.problems("IncidentEvent", AvroJson.toJson(minimalEvent()))).isEmpty();
	}

	@Test
	void describesEverySymbolOfEveryEnum() {
		List<SpecificRecord> events = new ArrayList<>();
		for (IncidentEventType type : IncidentEventType.values()) {
			events.add(IncidentEvent.newBuilder(fullEvent()).setType(type).build());
		}
		for (ActorKind kind : ActorKind.values()) {
			events.add(IncidentEvent.newBuilder(fullEvent()).setActor(new Actor(kind, "someone")).build());
		}
		for (AlertStatus status : AlertStatus.values()) {
			events.add(IncidentEvent.newBuilder(fullEvent())
				.setAlert(AlertSummary.newBuilder(fullEvent().getAlert()).setStatus(status).build())
				.build());
		}
		List<Incident> incidents = new ArrayList<>();
		for (Severity severity : Severity.values()) {
			incidents.add(Incident.newBuilder(fullIncident()).setSeverity(severity).build());
		}
		for (IncidentStatus status : IncidentStatus.values()) {
			incidents.add(Incident.newBuilder(fullIncident()).setStatus(status).build());
		}
		for (EscalationLevel level : EscalationLevel.values()) {
			incidents.add(Incident.newBuilder(fullIncident()).setEscalationLevel(level).build());
		}
		for (AutomationState automation : AutomationState.values()) {
			incidents.add(Incident.newBuilder(fullIncident()).setAutomation(automation).build());
		}
		for (InhibitionState inhibition : InhibitionState.values()) {
			incidents.add(Incident.newBuilder(fullIncident()).setInhibition(inhibition).build());
		}
		incidents
			.forEach((incident) -> events.add(IncidentEvent.newBuilder(fullEvent()).setIncident(incident).build()));

		assertThat(incidents).allSatisfy(
				(incident) -> assertThat(JsonSchemas.problems("Incident", AvroJson.toJson(incident))).isEmpty());
		assertThat(events)
			.allSatisfy((event) -> assertThat(JsonSchemas.problems("IncidentEvent", AvroJson.toJson(event))).isEmpty());
	}

	@Test
	void refusesWhatTheConverterNeverWrites() {
		ObjectNode json = AvroJson.toJson(fullIncident());
		json.put("severity", "SEV9");
		json.put("openedAt", "2026-11-22T10:00:00Z");
		json.remove("version");
		((ObjectNode) json.get("counts")).put("alerts", "many");

		assertThat(String.join("\n", JsonSchemas.problems("Incident", json))).contains("severity", "openedAt",
				"version", "counts", "alerts");
	}

	@Test
	void describesEveryFieldAndSymbolOfTheAvroRecords() {
		assertThat(drift(Incident.getClassSchema(), JsonSchemas.of("Incident"))).isEmpty();
		assertThat(drift(IncidentEvent.getClassSchema(), JsonSchemas.of("IncidentEvent"))).isEmpty();
	}

	@Test
	void aFieldAddedToTheRecordButNotToTheSchemaIsDrift() {
		List<Schema.Field> fields = new ArrayList<>();
		Incident.getClassSchema().getFields().forEach((field) -> fields.add(new Schema.Field(field, field.schema())));
		fields.add(new Schema.Field("severityReason", Schema.create(Schema.Type.STRING), null, ""));
		Schema grown = Schema.createRecord("Incident", null, "dev.firebreak.schemas.avro", false, fields);

		assertThat(drift(grown, JsonSchemas.of("Incident"))).containsExactly(
				"Incident: severityReason is in the record, not in the schema",
				"Incident: required should be every field");
	}

	@Test
	void driftIsFoundInNestedRecordsAndEnums() {
		ObjectNode schema = (ObjectNode) JsonSchemas.of("IncidentEvent");
		((ObjectNode) schema.get("$defs").get("AlertCounts").get("properties")).remove("deliveries");
		((ObjectNode) schema.get("$defs").get("AlertCounts")).putArray("required").add("alerts");
		((ObjectNode) schema.get("$defs").get("Severity")).putArray("enum").add("SEV1");

		List<String> drift = drift(IncidentEvent.getClassSchema(), schema);

		assertThat(drift).contains("IncidentEvent.incident.counts: deliveries is in the record, not in the schema",
				"IncidentEvent.incident.counts: required should be every field");
		assertThat(drift).anyMatch((problem) -> problem.startsWith("IncidentEvent.incident.severity: symbols differ"))
			.anyMatch((problem) -> problem.startsWith("IncidentEvent.alert.severity: symbols differ"));
	}

	private static Incident fullIncident() {
		Incident incident = Incidents.open("INC-20261122-0001")
			.title("api down in eu-1")
			.correlationLabel("cluster", "eu-1")
			.correlationLabel("service", "api")
			.severity(Severity.SEV1)
			.status(IncidentStatus.RESOLVED)
			.escalationLevel(EscalationLevel.L3)
			.automation(AutomationState.ENDED)
			.flapping()
			.inMaintenance()
			.inhibitedBy("INC-20261122-0000", "api-needs-postgres")
			.assignee("alice")
			.version(12)
			.alert(Alerts.firing("ServiceDown")
				.label("service", "api")
				.label("cluster", "eu-1")
				.annotation("summary", "api is down")
				.generatorUrl("http://prometheus:9090/graph")
				.build())
			.alert(Alerts.resolved("HighErrorRate").label("service", "api").resolvedAt(T.plusSeconds(60)).build())
			.build();
		incident.setMaintenanceWindowId("sunday");
		incident.setAcknowledgedBy("alice");
		incident.setAcknowledgedAt(T.plusSeconds(30));
		incident.setResolvedBy("bob");
		incident.setResolvedAt(T.plusSeconds(90));
		incident.setReopenCount(1);
		incident.setResponsePolicy("payments-down");
		incident.setRespondBy(T.plusSeconds(900));
		incident.setNextEscalationAt(T.plusSeconds(1800));
		incident.setSnoozedUntil(T.plusSeconds(3600));
		incident.setGroupingRule("host");
		incident.setFindings(List
			.of(new Finding("rem-1", "restart-api", "health", true, "GET /health: 200", "ok", T.plusMillis(45_123))));
		return incident;
	}

	private static Incident minimalIncident() {
		return Incident.newBuilder()
			.setId("INC-20261122-0002")
			.setCorrelationKey("alertname=Anything")
			.setTitle("Anything")
			.setSeverity(Severity.SEV4)
			.setStatus(IncidentStatus.OPEN)
			.setOpenedAt(T)
			.setUpdatedAt(T)
			.setVersion(1)
			.setCounts(AlertCounts.newBuilder().build())
			.build();
	}

	private static IncidentEvent fullEvent() {
		Incident incident = fullIncident();
		return IncidentEvents.of(IncidentEventType.RESOLVED, incident)
			.by(ActorKind.OPERATOR, "bob")
			.reason("fixed by hand")
			.detail("previousStatus", "ACKNOWLEDGED")
			.command("cmd-7")
			.alert(incident.getRecentAlerts().get(1))
			.build();
	}

	private static IncidentEvent minimalEvent() {
		return IncidentEvent.newBuilder()
			.setEventId("INC-20261122-0002/1")
			.setIncidentId("INC-20261122-0002")
			.setSequence(1)
			.setType(IncidentEventType.OPENED)
			.setOccurredAt(T)
			.setActor(new Actor(ActorKind.SYSTEM, "incident-store"))
			.setIncident(minimalIncident())
			.build();
	}

	/**
	 * How a JSON Schema fails to describe an Avro record: a field or symbol missing or
	 * extra, a field not required, a type or nullability that differs; one line each,
	 * with its path.
	 */
	static List<String> drift(Schema record, JsonNode schema) {
		List<String> problems = new ArrayList<>();
		compare(record, schema, schema, record.getName(), problems);
		return problems;
	}

	private static void compare(Schema avro, JsonNode json, JsonNode root, String path, List<String> problems) {
		JsonNode node = resolve(json, root);
		if (avro.getType() == Schema.Type.UNION) {
			JsonNode type = nonNull(node, root);
			if (type == null) {
				problems.add(path + ": may be null in the record, not in the schema");
				return;
			}
			Schema value = avro.getTypes()
				.stream()
				.filter((branch) -> branch.getType() != Schema.Type.NULL)
				.findFirst()
				.orElseThrow();
			compare(value, type, root, path, problems);
			return;
		}
		if (nonNull(node, root) != null) {
			problems.add(path + ": may be null in the schema, not in the record");
		}
		if (avro.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
			expect(node, "string", path, problems);
			if (!"date-time".equals(text(node.path("format")))) {
				problems.add(path + ": a timestamp should have format date-time");
			}
			return;
		}
		switch (avro.getType()) {
			case RECORD:
				expect(node, "object", path, problems);
				record(avro, node, root, path, problems);
				break;
			case ENUM:
				expect(node, "string", path, problems);
				List<String> symbols = new ArrayList<>();
				node.path("enum").forEach((symbol) -> symbols.add(text(symbol)));
				if (!symbols.equals(avro.getEnumSymbols())) {
					problems.add(path + ": symbols differ, " + avro.getEnumSymbols() + " in the record, " + symbols
							+ " in the schema");
				}
				break;
			case ARRAY:
				expect(node, "array", path, problems);
				compare(avro.getElementType(), node.path("items"), root, path + "[]", problems);
				break;
			case MAP:
				expect(node, "object", path, problems);
				compare(avro.getValueType(), node.path("additionalProperties"), root, path + "{}", problems);
				break;
			case STRING:
				expect(node, "string", path, problems);
				break;
			case INT:
			case LONG:
				expect(node, "integer", path, problems);
				break;
			case BOOLEAN:
				expect(node, "boolean", path, problems);
				break;
			default:
				problems.add(path + ": no plain JSON for " + avro.getType());
		}
	}

	private static void record(Schema avro, JsonNode node, JsonNode root, String path, List<String> problems) {
		Set<String> fields = new LinkedHashSet<>();
		avro.getFields().forEach((field) -> fields.add(field.name()));
		Set<String> properties = new LinkedHashSet<>(node.path("properties").propertyNames());
		Set<String> required = new LinkedHashSet<>();
		node.path("required").forEach((name) -> required.add(text(name)));
		for (Schema.Field field : avro.getFields()) {
			if (properties.contains(field.name())) {
				compare(field.schema(), node.path("properties").get(field.name()), root, join(path, field.name()),
						problems);
			}
			else {
				problems.add(path + ": " + field.name() + " is in the record, not in the schema");
			}
		}
		properties.stream()
			.filter((name) -> !fields.contains(name))
			.forEach((name) -> problems.add(path + ": " + name + " is in the schema, not in the record"));
		if (!required.equals(fields)) {
			problems.add(path + ": required should be every field");
		}
	}

	private static JsonNode resolve(JsonNode node, JsonNode root) {
		JsonNode resolved = node;
		while (resolved.has("$ref")) {
			resolved = root.at(text(resolved.get("$ref")).substring(1));
		}
		return resolved;
	}

	/**
	 * What a schema that also admits null says about the value otherwise: the other
	 * branch of {@code anyOf}, or the node with its other {@code type}; null when it does
	 * not admit null.
	 */
	private static JsonNode nonNull(JsonNode node, JsonNode root) {
		if (node.has("anyOf") && node.get("anyOf").size() == 2) {
			for (int i = 0; i < 2; i++) {
				if ("null".equals(text(node.get("anyOf").get(i).path("type")))) {
					return resolve(node.get("anyOf").get(1 - i), root);
				}
			}
		}
		JsonNode type = node.path("type");
		if (type.isArray() && type.size() == 2) {
			for (int i = 0; i < 2; i++) {
				if ("null".equals(text(type.get(i)))) {
					return ((ObjectNode) node.deepCopy()).put("type", text(type.get(1 - i)));
				}
			}
		}
		return null;
	}

	private static void expect(JsonNode node, String type, String path, List<String> problems) {
		if (!type.equals(text(node.path("type")))) {
			problems.add(path + ": should be of type " + type + ", not " + node.path("type"));
		}
	}

	/** A string node's value; anything else as JSON, so that it equals no name. */
	private static String text(JsonNode node) {
		return node.isString() ? node.asString() : node.toString();
	}

	private static String join(String path, String name) {
		return path + "." + name;
	}

}
