package dev.firebreak.ingest.auth;

import java.net.http.HttpResponse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import dev.firebreak.ingest.IngestServer;

import static org.assertj.core.api.Assertions.assertThat;

class AuthenticationTest extends IngestServer {

	private static final String WEBHOOK = "/api/v1/alerts/alertmanager";

	@Test
	void acceptsTheBearerToken() {
		assertThat(post(WEBHOOK, payload("webhook-firing.json"), "Bearer " + TOKEN).statusCode()).isEqualTo(200);
	}

	@Test
	void acceptsBasicCredentials() {
		assertThat(post("/api/v2/alerts", "[]", basic("alertmanager", PASSWORD)).statusCode()).isEqualTo(200);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "Bearer ", "Bearer wrong-token", "Bearer test-token-012345678", "bearer",
			"Token test-token-0123456789", "Basic !!!not-base64", "Basic YWxlcnRtYW5hZ2Vy" })
	void refusesWrongCredentialsBeforeReadingTheBody(String authorization) {
		HttpResponse<String> response = post(WEBHOOK, payload("webhook-firing.json"),
				authorization.isEmpty() ? null : authorization);

		assertUnauthenticated(response);
		assertThat(publishedAlerts()).isEmpty();
	}

	@Test
	void refusesAWrongBasicPasswordAndAWrongUser() {
		assertUnauthenticated(post("/api/v2/alerts", "[]", basic("alertmanager", "wrong")));
		assertUnauthenticated(post("/api/v2/alerts", "[]", basic("someone", PASSWORD)));
	}

	@Test
	void leavesHealthMetricsAndTheApiDescriptionOpen() {
		assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
		assertThat(get("/actuator/prometheus").statusCode()).isEqualTo(200);
		assertThat(get("/openapi.yaml").statusCode()).isEqualTo(200);
	}

	private static void assertUnauthenticated(HttpResponse<String> response) {
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"firebreak\"");
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(response.body()).contains("urn:firebreak:problem:unauthenticated").doesNotContain(TOKEN);
	}

}
