package dev.firebreak.incidents.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.avro.Finding;
import dev.firebreak.schemas.avro.IncidentCommand;
import dev.firebreak.schemas.avro.RemediationStatus;
import dev.firebreak.schemas.fixtures.Alerts;
import dev.firebreak.schemas.fixtures.IncidentCommands;
import dev.firebreak.testkit.AccessCheck;
import dev.firebreak.testkit.Eventually;
import dev.firebreak.testkit.KafkaBroker;
import dev.firebreak.testkit.KafkaRecords;
import dev.firebreak.testkit.PostgresFixture;
import dev.firebreak.testkit.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole service on a broker of its own and a real PostgreSQL, from an alert to the
 * operators' API: alert in, incident visible, acknowledged through the API, the timeline,
 * the report and the figures show it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IncidentApiTest {

	private static final KafkaBroker BROKER = KafkaBroker.startNew();

	private static final String VIEWER = "viewer-token-0123456789";

	private static final String OPERATOR = "operator-token-0123456789";

	private static final String SENDER = "sender-token-0123456789";

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
		PostgresFixture postgres = TestInfrastructure.postgres();
		String database = postgres.createDatabase("api");
		registry.add("spring.kafka.bootstrap-servers", BROKER::bootstrapServers);
		registry.add("spring.datasource.url", () -> postgres.jdbcUrl(database));
		registry.add("spring.datasource.username", postgres::username);
		registry.add("spring.datasource.password", postgres::password);
		registry.add("spring.kafka.streams.state-dir", Files.createTempDirectory("api-state")::toString);
		registry.add("firebreak.security.tokens[0].name", () -> "vera");
		registry.add("firebreak.security.tokens[0].token", () -> VIEWER);
		registry.add("firebreak.security.tokens[0].role", () -> "viewer");
		registry.add("firebreak.security.tokens[1].name", () -> "olivia");
		registry.add("firebreak.security.tokens[1].token", () -> OPERATOR);
		registry.add("firebreak.security.tokens[1].role", () -> "operator");
		registry.add("firebreak.security.tokens[2].name", () -> "alertmanager");
		registry.add("firebreak.security.tokens[2].token", () -> SENDER);
		registry.add("firebreak.security.tokens[2].role", () -> "sender");
	}

	@AfterAll
	static void stopBroker() {
		BROKER.close();
	}

	@Test
	void fromAnAlertToAnAcknowledgedIncidentWithItsTimelineReportAndFigures() throws Exception {
		AlertEvent alert = Alerts.firing("ServiceDown")
			.label("service", "checkout")
			.label("cluster", "eu-1")
			.label("instance", "checkout-1")
			.label("severity", "critical")
			.annotation("summary", "checkout is down")
			.receivedAt(Instant.now())
			.startsAt(Instant.now())
			.build();
		KafkaRecords.produce(BROKER, Topics.ALERTS, Map.entry(alert.getFingerprint(), alert));

		JsonNode incident = Eventually.within(Duration.ofSeconds(60))
			.until(() -> json(get("/api/v1/incidents?match=service%3Dcheckout", VIEWER)).get("items"),
					(items) -> items.size() == 1)
			.get(0);
		String id = incident.get("id").asString();
		assertThat(incident.get("severity").asString()).isEqualTo("SEV2");
		assertThat(incident.get("status").asString()).isEqualTo("OPEN");

		assertThat(post("/api/v1/incidents/" + id + "/acknowledge", null, "{}").statusCode()).isEqualTo(401);
		assertThat(post("/api/v1/incidents/" + id + "/acknowledge", VIEWER, "{}").statusCode()).isEqualTo(403);
		// A command id that says PagerDuty made it would keep the acknowledgement from
		// PagerDuty.
		HttpResponse<String> forged = HTTP.send(request("/api/v1/incidents/" + id + "/acknowledge", OPERATOR)
			.header("Idempotency-Key", "pagerduty:01FORGED")
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(forged.statusCode()).isEqualTo(400);
		assertThat(json(forged).get("detail").asString()).startsWith("Idempotency-Key must not start with pagerduty:");
		// The actor is who authenticated; a body cannot say otherwise.
		HttpResponse<String> accepted = post("/api/v1/incidents/" + id + "/acknowledge", OPERATOR,
				"{\"note\":\"looking into it\",\"actor\":\"mallory\",\"by\":\"mallory\"}");
		assertThat(accepted.statusCode()).isEqualTo(202);
		assertThat(json(accepted).get("commandId").asString()).isNotBlank();

		JsonNode acknowledged = Eventually.within(Duration.ofSeconds(30))
			.until(() -> json(get("/api/v1/incidents/" + id, VIEWER)),
					(detail) -> "ACKNOWLEDGED".equals(detail.get("status").asString()));
		assertThat(acknowledged.get("acknowledgedBy").asString()).isEqualTo("olivia");
		assertThat(acknowledged.get("alerts").get(0).get("labels").get("instance").asString()).isEqualTo("checkout-1");

		JsonNode timeline = json(get("/api/v1/incidents/" + id + "/timeline", VIEWER));
		assertThat(timeline.get(0).get("type").asString()).isEqualTo("OPENED");
		assertThat(timeline.get(timeline.size() - 1).get("type").asString()).isEqualTo("ACKNOWLEDGED");
		assertThat(timeline.get(timeline.size() - 1).get("actor").asString()).isEqualTo("olivia");
		assertThat(timeline.get(timeline.size() - 1).get("reason").asString()).isEqualTo("looking into it");

		HttpResponse<String> report = get("/api/v1/incidents/" + id + "/report", VIEWER);
		assertThat(report.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/markdown"));
		assertThat(report.body()).startsWith("# Incident Report: " + id)
			.contains("**Severity**: SEV2")
			.contains("(by olivia)")
			.contains("**Services**: 1 (checkout)")
			.contains("olivia: Acknowledged")
			.contains("## Root Cause");

		// Figures over this incident alone: other tests open theirs in the same days.
		Instant opened = Instant.parse(incident.get("openedAt").asString());
		JsonNode stats = json(get("/api/v1/stats?from=" + opened + "&to=" + opened.plusMillis(1), VIEWER));
		assertThat(stats.get("incidents").asLong()).isEqualTo(1);
		assertThat(stats.get("bySeverity").get("SEV2").asLong()).isEqualTo(1);
		assertThat(stats.get("meanTimeToAcknowledgeSeconds").isNumber()).isTrue();

		// What a runbook's diagnostic step found comes with its outcome, and shows with
		// the
		// incident.
		Instant collectedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		IncidentCommand outcome = IncidentCommands.remediation(id, "restart-service", RemediationStatus.SUCCEEDED)
			.at(collectedAt)
			.build();
		outcome.getRemediation()
			.setFindings(List.of(Finding.newBuilder()
				.setRemediationId(id + "/restart-service/1")
				.setRunbookId("restart-service")
				.setStep("check-health")
				.setSucceeded(true)
				.setSummary("GET http://checkout-1:8080/health answered 503")
				.setOutput("{\"status\":\"DOWN\",\"db\":\"connection refused\"}")
				.setCollectedAt(collectedAt)
				.build()));
		KafkaRecords.produce(BROKER, Topics.INCIDENT_COMMANDS, Map.entry(id, outcome));
		JsonNode finding = Eventually.within(Duration.ofSeconds(30))
			.until(() -> json(get("/api/v1/incidents/" + id, VIEWER)).get("findings"), (found) -> found.size() == 1)
			.get(0);
		assertThat(finding.get("remediationId").asString()).isEqualTo(id + "/restart-service/1");
		assertThat(finding.get("runbook").asString()).isEqualTo("restart-service");
		assertThat(finding.get("step").asString()).isEqualTo("check-health");
		assertThat(finding.get("succeeded").asBoolean()).isTrue();
		assertThat(finding.get("summary").asString()).isEqualTo("GET http://checkout-1:8080/health answered 503");
		assertThat(finding.get("output").asString()).isEqualTo("{\"status\":\"DOWN\",\"db\":\"connection refused\"}");
		assertThat(Instant.parse(finding.get("collectedAt").asString())).isEqualTo(collectedAt);
		JsonNode succeeded = Eventually.within(Duration.ofSeconds(30))
			.until(() -> entryOfType(json(get("/api/v1/incidents/" + id + "/timeline", VIEWER)),
					"REMEDIATION_SUCCEEDED"), (entry) -> entry != null);
		assertThat(succeeded.get("details").get("findings").asString()).isEqualTo("1");
		assertThat(succeeded.get("details").get("finding.check-health").asString())
			.isEqualTo("GET http://checkout-1:8080/health answered 503");

		HttpResponse<String> resolved = post("/api/v1/incidents/" + id + "/resolve", OPERATOR, null);
		assertThat(resolved.statusCode()).isEqualTo(202);
		Eventually.within(Duration.ofSeconds(30))
			.until(() -> json(get("/api/v1/incidents/" + id, VIEWER)).get("status").asString(), "RESOLVED"::equals);
		HttpResponse<String> again = post("/api/v1/incidents/" + id + "/acknowledge", OPERATOR, null);
		assertThat(again.statusCode()).isEqualTo(409);
		assertThat(json(again).get("detail").asString()).contains("is resolved");
	}

	@Test
	void operatorsEscalateChangeTheSeverityAndSnoozeThroughCommands() throws Exception {
		AlertEvent alert = Alerts.firing("HighResponseTime")
			.label("service", "billing")
			.label("instance", "billing-1")
			.label("severity", "warning")
			.receivedAt(Instant.now())
			.startsAt(Instant.now())
			.build();
		KafkaRecords.produce(BROKER, Topics.ALERTS, Map.entry(alert.getFingerprint(), alert));
		String id = Eventually.within(Duration.ofSeconds(60))
			.until(() -> json(get("/api/v1/incidents?match=service%3Dbilling", VIEWER)).get("items"),
					(items) -> items.size() == 1)
			.get(0)
			.get("id")
			.asString();
		JsonNode escalation = json(get("/api/v1/incidents/" + id, VIEWER)).get("escalation");
		assertThat(escalation.get("policy").asString()).isEqualTo("high-response-time");
		assertThat(Instant.parse(escalation.get("nextEscalationAt").asString()))
			.isAfter(Instant.now().plus(Duration.ofHours(3)));

		assertThat(
				post("/api/v1/incidents/" + id + "/escalate", OPERATOR, "{\"note\":\"customers call\"}").statusCode())
			.isEqualTo(202);
		HttpResponse<String> noReason = post("/api/v1/incidents/" + id + "/severity", OPERATOR,
				"{\"severity\":\"SEV1\"}");
		assertThat(noReason.statusCode()).isEqualTo(400);
		assertThat(json(noReason).get("parameter").asString()).isEqualTo("reason");
		HttpResponse<String> badLevel = post("/api/v1/incidents/" + id + "/escalate", OPERATOR, "{\"level\":\"L9\"}");
		assertThat(badLevel.statusCode()).isEqualTo(400);
		assertThat(json(badLevel).get("detail").asString()).contains("'L9' is not L2, L3, L4 or +1");
		assertThat(post("/api/v1/incidents/" + id + "/snooze", OPERATOR, "{\"until\":\"next week\"}").statusCode())
			.isEqualTo(400);
		assertThat(post("/api/v1/incidents/" + id + "/severity", OPERATOR,
				"{\"severity\":\"SEV1\",\"reason\":\"billing is down for every customer\"}")
			.statusCode()).isEqualTo(202);
		Instant until = Instant.now().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
		assertThat(post("/api/v1/incidents/" + id + "/snooze", OPERATOR,
				"{\"until\":\"" + until + "\",\"reason\":\"vendor fix at noon\"}")
			.statusCode()).isEqualTo(202);

		JsonNode detail = Eventually.within(Duration.ofSeconds(30))
			.until(() -> json(get("/api/v1/incidents/" + id, VIEWER)),
					(incident) -> !incident.get("escalation").get("snoozedUntil").isNull());
		assertThat(detail.get("escalationLevel").asString()).isEqualTo("L2");
		assertThat(detail.get("severity").asString()).isEqualTo("SEV1");
		assertThat(Instant.parse(detail.get("escalation").get("snoozedUntil").asString())).isEqualTo(until);
		JsonNode timeline = json(get("/api/v1/incidents/" + id + "/timeline", VIEWER));
		List<String> operatorsActions = new ArrayList<>();
		timeline.forEach((entry) -> {
			if ("olivia".equals(entry.get("actor").asString())) {
				operatorsActions.add(entry.get("type").asString() + ": " + entry.get("reason").asString());
			}
		});
		assertThat(operatorsActions).containsExactly("ESCALATED: customers call",
				"SEVERITY_CHANGED: billing is down for every customer",
				"ESCALATION_SNOOZED: escalation snoozed until " + until + " by olivia: vendor fix at noon");
	}

	@Test
	void aDatabaseOutageInhibitsTheApisErrorsAndExplainSaysWhy() throws Exception {
		// A record no incident-store wrote, on the topic every instance indexes causes
		// from: skipped, and the topology goes on.
		try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers()), new ByteArraySerializer(),
				new ByteArraySerializer())) {
			producer
				.send(new ProducerRecord<>(Topics.INCIDENTS.name(), "poison".getBytes(StandardCharsets.UTF_8),
						"not avro".getBytes(StandardCharsets.UTF_8)))
				.get();
		}
		Instant now = Instant.now();
		AlertEvent databaseDown = Alerts.firing("DatabaseDown")
			.label("service", "postgres")
			.label("cluster", "inhibition-it")
			.label("instance", "db-1:9187")
			.label("severity", "critical")
			.receivedAt(now)
			.startsAt(now)
			.build();
		KafkaRecords.produce(BROKER, Topics.ALERTS, Map.entry(databaseDown.getFingerprint(), databaseDown));
		String cause = Eventually.within(Duration.ofSeconds(60))
			.until(() -> json(get("/api/v1/incidents?match=cluster%3Dinhibition-it", VIEWER)).get("items"),
					(items) -> items.size() == 1)
			.get(0)
			.get("id")
			.asString();
		AlertEvent errors = Alerts.firing("HighErrorRate")
			.label("service", "api")
			.label("cluster", "inhibition-it")
			.label("severity", "warning")
			.receivedAt(Instant.now())
			.startsAt(Instant.now())
			.build();
		KafkaRecords.produce(BROKER, Topics.ALERTS, Map.entry(errors.getFingerprint(), errors));

		// The shipped dependencies (api → postgres): the API's incident is a symptom.
		JsonNode symptom = Eventually.within(Duration.ofSeconds(60))
			.until(() -> json(get("/api/v1/incidents?match=service%3Dapi&match=cluster%3Dinhibition-it", VIEWER))
				.get("items"), (items) -> items.size() == 1)
			.get(0);
		String id = symptom.get("id").asString();
		JsonNode inhibition = Eventually.within(Duration.ofSeconds(60))
			.until(() -> json(get("/api/v1/incidents/" + id, VIEWER)).get("inhibition"),
					(found) -> found.get("state").asString().equals("INHIBITED"));
		assertThat(inhibition.get("inhibitedBy").asString()).isEqualTo(cause);
		assertThat(inhibition.get("rule").asString()).isEqualTo("api-depends-on-postgres");
		assertThat(json(get("/api/v1/incidents/" + id, VIEWER)).get("groupingRule").asString()).isEqualTo("default");
		JsonNode inhibits = Eventually.within(Duration.ofSeconds(30))
			.until(() -> json(get("/api/v1/incidents/" + cause, VIEWER)).get("inhibition").get("inhibits"),
					(found) -> found.size() == 1);
		assertThat(inhibits.get(0).asString()).isEqualTo(id);
		List<String> reasons = new ArrayList<>();
		json(get("/api/v1/incidents/" + id + "/timeline", VIEWER)).forEach((entry) -> {
			if (entry.get("type").asString().equals("INHIBITED")) {
				reasons.add(entry.get("reason").asString());
			}
		});
		assertThat(reasons).containsExactly(
				"not paged: inhibited by " + cause + " DatabaseDown on postgres (rule api-depends-on-postgres)");

		// An operator knows better: the API's errors are its own.
		assertThat(post("/api/v1/incidents/" + cause + "/release", OPERATOR, "{}").statusCode()).as("not inhibited")
			.isEqualTo(409);
		assertThat(post("/api/v1/incidents/" + id + "/release", OPERATOR, "{\"note\":\"a bad deploy of the API\"}")
			.statusCode()).isEqualTo(202);
		JsonNode released = Eventually.within(Duration.ofSeconds(30))
			.until(() -> json(get("/api/v1/incidents/" + id, VIEWER)).get("inhibition"),
					(found) -> found.get("state").asString().equals("NONE"));
		assertThat(released.get("inhibitedBy").isNull()).isTrue();
		List<String> releases = new ArrayList<>();
		json(get("/api/v1/incidents/" + id + "/timeline", VIEWER)).forEach((entry) -> {
			if (entry.get("type").asString().equals("INHIBITION_ENDED")) {
				releases.add(entry.get("actor").asString() + ": " + entry.get("reason").asString());
			}
		});
		assertThat(releases).containsExactly(
				"olivia: handled on its own: released by olivia (inhibited by " + cause + "): a bad deploy of the API");

		JsonNode explained = json(get(
				"/api/v1/correlation/explain?label=alertname%3DHighErrorRate&label=service%3Dapi&label=cluster%3Dinhibition-it",
				VIEWER));
		assertThat(explained.get("groupingRule").asString()).isEqualTo("default");
		assertThat(explained.get("correlationKey").asString()).isEqualTo("cluster=inhibition-it,service=api");
		assertThat(strings(explained.get("symptomUnder"))).containsExactlyInAnyOrder("api-depends-on-postgres",
				"api-depends-on-redis", "api-depends-on-worker");
		assertThat(explained.get("causeUnder")).isEmpty();
		JsonNode host = json(get(
				"/api/v1/correlation/explain?label=alertname%3DDiskSpaceHigh&label=job%3Dnode&label=instance%3Dhost-1%3A9100",
				VIEWER));
		assertThat(host.get("groupingRule").asString()).isEqualTo("host");
		assertThat(host.get("correlationKey").asString()).isEqualTo("instance=host-1:9100");
		HttpResponse<String> malformed = get("/api/v1/correlation/explain?label=no-equals-sign", VIEWER);
		assertThat(malformed.statusCode()).isEqualTo(400);
		assertThat(json(malformed).get("detail").asString()).contains("'no-equals-sign' is not name=value");
	}

	@Test
	void errorsAreProblemDetails() throws Exception {
		HttpResponse<String> unknown = get("/api/v1/incidents/INC-20200101-0001", VIEWER);
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(post("/api/v1/incidents/INC-20200101-0001/acknowledge", OPERATOR, null).statusCode()).isEqualTo(404);
		assertThat(post("/api/v1/remediations/nope/approve", OPERATOR, null).statusCode()).isEqualTo(404);

		HttpResponse<String> badLimit = get("/api/v1/incidents?limit=100000", VIEWER);
		assertThat(badLimit.statusCode()).isEqualTo(400);
		assertThat(json(badLimit).get("parameter").asString()).isEqualTo("limit");
		assertThat(get("/api/v1/incidents?status=SLEEPING", VIEWER).statusCode()).isEqualTo(400);
		assertThat(get("/api/v1/incidents?match=%7Bbad", VIEWER).statusCode()).isEqualTo(400);
		assertThat(get("/api/v1/incidents?cursor=garbage", VIEWER).statusCode()).isEqualTo(400);
		assertThat(get("/api/v1/incidents?from=yesterday", VIEWER).statusCode()).isEqualTo(400);
		assertThat(get("/api/v1/incidents", "wrong-token").statusCode()).isEqualTo(401);
		HttpResponse<String> oversized = post("/api/v1/incidents/INC-20200101-0001/comment", OPERATOR,
				"{\"text\":\"" + "x".repeat(100_000) + "\"}");
		assertThat(oversized.statusCode()).isEqualTo(413);
		assertThat(oversized.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		HttpResponse<String> malformed = post("/api/v1/incidents/INC-20200101-0001/comment", OPERATOR, "{\"text\":");
		assertThat(malformed.statusCode()).isEqualTo(400);
		assertThat(malformed.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
		assertThat(get("/openapi.yaml", null).statusCode()).isEqualTo(200);
	}

	@Test
	void maintenanceWindowsAreAddedListedAndRemovedByCommand() throws Exception {
		String window = """
				{"id": "sunday-checkout", "name": "Weekly maintenance", "matchers": ["service=checkout"],
				 "days": ["SUNDAY"], "startTime": "02:00", "endTime": "04:00", "timeZone": "UTC"}
				""";
		assertThat(post("/api/v1/maintenance-windows", OPERATOR, window).statusCode()).isEqualTo(202);
		JsonNode listed = Eventually.within(Duration.ofSeconds(30))
			.until(() -> json(get("/api/v1/maintenance-windows", VIEWER)), (windows) -> windows.size() == 1)
			.get(0);
		assertThat(listed.get("source").asString()).isEqualTo("command");
		assertThat(listed.get("window").get("matchers").get(0).asString()).isEqualTo("service=\"checkout\"");
		assertThat(listed.get("window").get("startTime").asString()).isEqualTo("02:00:00");

		assertThat(post("/api/v1/maintenance-windows", OPERATOR, window).statusCode()).isEqualTo(409);
		HttpResponse<String> invalid = post("/api/v1/maintenance-windows", OPERATOR,
				"{\"id\": \"broken\", \"days\": [\"MONDAY\"]}");
		assertThat(invalid.statusCode()).isEqualTo(400);
		assertThat(json(invalid).get("detail").asString()).contains("needs days, start-time and end-time");
		assertThat(delete("/api/v1/maintenance-windows/nope", OPERATOR).statusCode()).isEqualTo(404);

		assertThat(delete("/api/v1/maintenance-windows/sunday-checkout", OPERATOR).statusCode()).isEqualTo(202);
		Eventually.within(Duration.ofSeconds(30))
			.until(() -> json(get("/api/v1/maintenance-windows", VIEWER)).isEmpty());
	}

	@Test
	void refusesEveryRequestTheRoleTableRefusesAndChangesNothing() throws Exception {
		int commands = KafkaRecords.readAll(BROKER, Topics.INCIDENT_COMMANDS, Duration.ofSeconds(5)).size();

		assertThat(access().refusals()).isEmpty();
		assertThat(KafkaRecords.readAll(BROKER, Topics.INCIDENT_COMMANDS, Duration.ofSeconds(5))).hasSize(commands);
	}

	@Test
	void letsViewersReadAndOperatorsAct() {
		assertThat(access().roles()).isEmpty();
	}

	@Test
	void everyEndpointIsInTheRoleTable() {
		// The console's pages sign in by session, not by bearer token: ConsoleAccessTest
		// has
		// their table.
		assertThat(access().uncovered(this.mappings)).filteredOn((route) -> !route.contains(" /console")).isEmpty();
	}

	/**
	 * Every endpoint with a harmless request: unknown incidents and remediations, an
	 * invalid window.
	 */
	private AccessCheck access() {
		String incident = "/api/v1/incidents/INC-20200101-0001";
		return AccessCheck.against("http://127.0.0.1:" + this.port)
			.bearer("viewer", VIEWER, "viewer")
			.bearer("operator", OPERATOR, "operator", "viewer")
			.bearer("sender", SENDER, "sender")
			.endpoint("GET", "/api/v1/incidents", "viewer")
			.endpoint("GET", incident, "viewer")
			.endpoint("GET", incident + "/timeline", "viewer")
			.endpoint("GET", incident + "/report", "viewer")
			.endpoint("GET", incident + "/alerts", "viewer")
			.endpoint("GET", "/api/v1/stats", "viewer")
			.endpoint("GET", "/api/v1/maintenance-windows", "viewer")
			.endpoint("GET", "/api/v1/correlation/explain", "viewer")
			.endpoint("POST", incident + "/acknowledge", "operator", "{}")
			.endpoint("POST", incident + "/resolve", "operator", "{}")
			.endpoint("POST", incident + "/comment", "operator", "{\"text\":\"hello\"}")
			.endpoint("POST", incident + "/assign", "operator", "{\"assignee\":\"olivia\"}")
			.endpoint("POST", incident + "/escalate", "operator", "{}")
			.endpoint("POST", incident + "/severity", "operator", "{\"severity\":\"SEV1\",\"reason\":\"x\"}")
			.endpoint("POST", incident + "/snooze", "operator",
					"{\"until\":\"" + Instant.now().plus(Duration.ofHours(1)) + "\"}")
			.endpoint("POST", incident + "/release", "operator", "{}")
			.endpoint("POST", "/api/v1/remediations/r-1/approve", "operator", "{}")
			.endpoint("POST", "/api/v1/remediations/r-1/reject", "operator", "{}")
			.endpoint("POST", "/api/v1/maintenance-windows", "operator", "{}")
			.endpoint("DELETE", "/api/v1/maintenance-windows/none", "operator")
			.open("GET", "/openapi.yaml")
			.open("GET", "/actuator/health/readiness")
			.open("GET", "/actuator/prometheus");
	}

	private HttpResponse<String> delete(String path, String token) throws Exception {
		return HTTP.send(request(path, token).DELETE().build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String path, String token) throws Exception {
		return HTTP.send(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String token, String body) throws Exception {
		HttpRequest.Builder request = request(path, token).header("Content-Type", "application/json")
			.POST((body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpRequest.Builder request(String path, String token) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return request;
	}

	private static JsonNode entryOfType(JsonNode timeline, String type) {
		for (JsonNode entry : timeline) {
			if (entry.get("type").asString().equals(type)) {
				return entry;
			}
		}
		return null;
	}

	private static List<String> strings(JsonNode array) {
		List<String> strings = new ArrayList<>();
		array.forEach((element) -> strings.add(element.asString()));
		return strings;
	}

	private static JsonNode json(HttpResponse<String> response) {
		return JSON.readTree(response.body());
	}

}
