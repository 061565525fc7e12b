package dev.firebreak.ingest.webhook;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import dev.firebreak.ingest.IngestServer;
import dev.firebreak.testkit.AccessCheck;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * alert-ingest's role table, tried from the outside: only senders post alerts, whatever
 * the path looks like, and nothing refused reaches Kafka.
 */
class AccessTest extends IngestServer {

	private static final String WEBHOOK = "/api/v1/alerts/alertmanager";

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	@Test
	void refusesEveryoneButSendersBeforeReadingTheBody() {
		assertThat(check().refusals()).isEmpty();
		assertThat(publishedAlerts()).isEmpty();
	}

	@Test
	void letsSendersPostAlertsOnly() {
		assertThat(check().roles()).isEmpty();
		assertThat(publishedAlerts()).isNotEmpty();
	}

	@Test
	void everyEndpointIsInTheTable() {
		assertThat(check().uncovered(this.mappings)).isEmpty();
	}

	@Test
	void acceptsBasicCredentials() {
		HttpResponse<String> response = post("/api/v2/alerts", "[]", AccessCheck.basicHeader("alertmanager", PASSWORD));

		assertThat(response.statusCode()).isEqualTo(200);
	}

	@Test
	void aRefusalIsAProblemWithTheChallengesThatNeverRepeatsTheCredentials() {
		HttpResponse<String> response = post(WEBHOOK, payload("webhook-firing.json"), "Bearer " + TOKEN + "x");

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly("Bearer realm=\"firebreak\"",
				"Basic realm=\"firebreak\"");
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.body()).contains("urn:firebreak:problem:unauthenticated").doesNotContain(TOKEN);
		assertThat(publishedAlerts()).isEmpty();
	}

	private AccessCheck check() {
		return AccessCheck.against("http://127.0.0.1:" + this.port)
			.bearer("sender", TOKEN, "sender")
			.basic("basic sender", "alertmanager", PASSWORD, "sender")
			.bearer("viewer", VIEWER, "viewer")
			.bearer("admin", ADMIN, "admin", "operator", "viewer")
			.endpoint("POST", WEBHOOK, "sender", payload("webhook-firing.json"))
			.endpoint("POST", "/api/v2/alerts", "sender",
					"[{\"labels\":{\"alertname\":\"ServiceDown\",\"run\":\"" + this.run
							+ "\"},\"startsAt\":\"2026-11-22T10:00:00Z\"}]")
			.endpoint("GET", "/actuator/info", "admin")
			.open("GET", "/openapi.yaml")
			.open("GET", "/actuator/health/readiness")
			.open("GET", "/actuator/prometheus");
	}

}
