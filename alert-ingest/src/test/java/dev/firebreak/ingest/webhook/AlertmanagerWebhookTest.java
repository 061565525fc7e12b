package dev.firebreak.ingest.webhook;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.firebreak.ingest.IngestServer;
import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.avro.AlertSourceKind;
import dev.firebreak.schemas.avro.AlertStatus;

import static org.assertj.core.api.Assertions.assertThat;

class AlertmanagerWebhookTest extends IngestServer {

	private static final String PATH = "/api/v1/alerts/alertmanager";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	MeterRegistry metrics;

	@Test
	void storesEveryFiringAlertExactlyAsSentBeforeAnswering() {
		HttpResponse<String> response = post(PATH, payload("webhook-firing.json"));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"accepted\":2}");
		List<AlertEvent> alerts = publishedAlerts();
		assertThat(alerts).extracting(AlertEvent::getFingerprint)
			.containsExactlyInAnyOrder("1e0b1c6a2f7e9d11", "2c9d5b8e1a3f4c22");
		AlertEvent serviceDown = alerts.stream()
			.filter((a) -> a.getFingerprint().equals("1e0b1c6a2f7e9d11"))
			.findFirst()
			.orElseThrow();
		assertThat(serviceDown.getStatus()).isEqualTo(AlertStatus.FIRING);
		assertThat(serviceDown.getLabels()).containsEntry("alertname", "ServiceDown")
			.containsEntry("severity", "critical")
			.hasSize(6);
		assertThat(serviceDown.getAnnotations()).containsEntry("summary", "Service api is down");
		assertThat(serviceDown.getStartsAt()).isEqualTo(Instant.parse("2026-11-22T10:00:00.123Z"));
		assertThat(serviceDown.getEndsAt()).isNull();
		assertThat(serviceDown.getGeneratorURL()).startsWith("http://prometheus:9090/graph?g0.expr=up");
		assertThat(serviceDown.getSource().getKind()).isEqualTo(AlertSourceKind.ALERTMANAGER_WEBHOOK);
		assertThat(serviceDown.getSource().getReceiver()).isEqualTo("firebreak");
		assertThat(serviceDown.getSource().getGroupKey()).isEqualTo("{}:{service=\"api\"}");
		assertThat(serviceDown.getSource().getExternalURL()).isEqualTo("http://alertmanager:9093");
		assertThat(serviceDown.getSource().getRemoteAddress()).isEqualTo("127.0.0.1");
		assertThat(serviceDown.getReceivedAt()).isAfter(Instant.now().minusSeconds(60));
	}

	@Test
	void storesResolvedAndFiringAlertsOfOneWebhookAndCountsTruncatedOnes() {
		double truncatedBefore = this.metrics.counter("firebreak.alerts.truncated").count();

		HttpResponse<String> response = post(PATH, payload("webhook-mixed.json"));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(publishedAlerts()).extracting(AlertEvent::getStatus)
			.containsExactlyInAnyOrder(AlertStatus.RESOLVED, AlertStatus.FIRING);
		assertThat(publishedAlerts()).filteredOn((a) -> a.getStatus() == AlertStatus.RESOLVED)
			.extracting(AlertEvent::getEndsAt)
			.containsExactly(Instant.parse("2026-11-22T09:20:00Z"));
		assertThat(this.metrics.counter("firebreak.alerts.truncated").count()).isEqualTo(truncatedBefore + 3);
	}

	@Test
	void storesEveryDuplicateDeliveryOfAnHaPair() {
		String payload = payload("webhook-firing.json");

		assertThat(post(PATH, payload).statusCode()).isEqualTo(200);
		assertThat(post(PATH, payload).statusCode()).isEqualTo(200);

		assertThat(publishedAlerts()).hasSize(4);
	}

	@Test
	void storesTheValidAlertsAndListsTheInvalidOnes() {
		double invalidBefore = this.metrics.counter("firebreak.alerts.invalid", "api", "webhook", "reason", "no_labels")
			.count();

		HttpResponse<String> response = post(PATH, payload("webhook-partly-invalid.json"));

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = JSON.readTree(response.body());
		assertThat(problem.get("type").stringValue()).isEqualTo("urn:firebreak:problem:invalid-alerts");
		assertThat(problem.get("accepted").intValue()).isEqualTo(2);
		assertThat(problem.get("invalidAlerts").values())
			.extracting((alert) -> alert.get("index").intValue() + ":" + alert.get("reason").stringValue())
			.containsExactly("1:NO_LABELS", "3:BAD_LABEL_NAME", "4:MISSING_STARTS_AT");
		assertThat(publishedAlerts()).extracting((alert) -> alert.getLabels().get("alertname"))
			.containsExactlyInAnyOrder("Valid1", "Valid2");
		assertThat(this.metrics.counter("firebreak.alerts.invalid", "api", "webhook", "reason", "no_labels").count())
			.isEqualTo(invalidBefore + 1);
	}

	@Test
	void refusesABodyThatIsNotJsonAndStoresNothing() {
		assertMalformed(post(PATH, "{\"alerts\": [{\"labels\": {\"run\": \"" + this.run + "\"}"), "not valid JSON");
		assertMalformed(post(PATH, "<html>" + this.run + "</html>"), "not valid JSON");
		assertMalformed(post(PATH, ""), "empty");
		assertThat(publishedAlerts()).isEmpty();
	}

	@Test
	void refusesAKeyRepeatedAnywhereNamingItsPathAndStoresNothing() {
		String smuggled = payload("webhook-firing.json").replace("\"service\": \"api\", \"severity\": \"critical\"",
				"\"service\": \"api\", \"severity\": \"critical\", \"service\": \"payments\"");
		String twoLabels = payload("webhook-firing.json").replace("\"annotations\": null",
				"\"annotations\": null, \"labels\": {\"alertname\": \"Other\", \"run\": \"" + this.run + "\"}");

		assertMalformed(post(PATH, smuggled), "the body repeats the key /alerts/0/labels/service");
		assertMalformed(post(PATH, twoLabels), "the body repeats the key /alerts/1/labels");
		assertThat(publishedAlerts()).isEmpty();
	}

	@Test
	void takesOnlyJson() {
		HttpResponse<String> text = post(PATH, payload("webhook-firing.json"), "Bearer " + TOKEN, "text/plain");
		HttpResponse<String> form = post(PATH, payload("webhook-firing.json"), "Bearer " + TOKEN,
				"application/x-www-form-urlencoded");

		assertThat(List.of(text, form)).allSatisfy((response) -> {
			assertThat(response.statusCode()).isEqualTo(415);
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(JSON.readTree(response.body()).get("type").stringValue())
				.isEqualTo("urn:firebreak:problem:unsupported-media-type");
		});
		assertThat(publishedAlerts()).isEmpty();
		assertThat(post(PATH, payload("webhook-firing.json"), "Bearer " + TOKEN, "application/json; charset=utf-8")
			.statusCode()).isEqualTo(200);
	}

	@Test
	void anAlertLargerThanKafkaTakesIsA413NamingTheLimitAndNothingIsStored() {
		// Five annotations within the per-alert limits, 35,000 characters together.
		String annotations = java.util.stream.IntStream.range(0, 5)
			.mapToObj((i) -> "\"note" + i + "\": \"" + "x".repeat(7000) + "\"")
			.collect(java.util.stream.Collectors.joining(", "));
		String large = payload("webhook-firing.json").replace("\"summary\": \"Service api is down\"", annotations);

		HttpResponse<String> response = post(PATH, large);

		assertThat(response.statusCode()).isEqualTo(413);
		JsonNode problem = JSON.readTree(response.body());
		assertThat(problem.get("type").stringValue()).isEqualTo("urn:firebreak:problem:payload-too-large");
		assertThat(problem.get("detail").stringValue()).startsWith("alert 0 encodes to ")
			.endsWith("bytes; Kafka takes at most 32768 bytes in one record "
					+ "(spring.kafka.producer.properties.max.request.size, and the topic's max.message.bytes)");
		assertThat(publishedAlerts()).isEmpty();
	}

	@Test
	void refusesABodyOfTheWrongShapeAndStoresNothing() {
		assertMalformed(post(PATH, "[]"), "\"alerts\" array");
		assertMalformed(post(PATH, "{\"alerts\": {\"labels\": {\"run\": \"" + this.run + "\"}}}"), "\"alerts\" array");
		assertMalformed(post(PATH, "\"alerts\""), "\"alerts\" array");
		assertThat(publishedAlerts()).isEmpty();
	}

	@Test
	void refusesAnOversizedBodyWithout413sLosingTheConnection() {
		String huge = "{\"alerts\":[],\"pad\":\"" + "x".repeat(70 * 1024) + "\"}";

		HttpResponse<String> response = post(PATH, huge);

		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(JSON.readTree(response.body()).get("type").stringValue())
			.isEqualTo("urn:firebreak:problem:payload-too-large");
	}

	@Test
	void refusesMoreAlertsThanTheLimitAndStoresNone() {
		StringBuilder alerts = new StringBuilder();
		for (int i = 0; i < 101; i++) {
			alerts.append(i > 0 ? "," : "")
				.append("{\"labels\":{\"alertname\":\"A\",\"n\":\"" + i + "\",\"run\":\"" + this.run
						+ "\"},\"startsAt\":\"2026-11-22T10:00:00Z\"}");
		}

		HttpResponse<String> response = post(PATH, "{\"alerts\":[" + alerts + "]}");

		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(response.body()).contains("max-alerts-per-request");
		assertThat(publishedAlerts()).isEmpty();
	}

	@Test
	void answersOtherMethodsWithProblemDetails() {
		HttpResponse<String> response = getAuthenticated(PATH);

		assertThat(response.statusCode()).isEqualTo(405);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
	}

	private static void assertMalformed(HttpResponse<String> response, String detail) {
		assertThat(response.statusCode()).isEqualTo(400);
		JsonNode problem = JSON.readTree(response.body());
		assertThat(problem.get("type").stringValue()).isEqualTo("urn:firebreak:problem:malformed-request");
		assertThat(problem.get("detail").stringValue()).contains(detail);
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("at dev.firebreak");
	}

}
