package dev.firebreak.platform.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.firebreak.testkit.AccessCheck;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform's access control on a running server: each mechanism, each role, the
 * firewall and the actuator's exposure.
 */
@SpringBootTest(classes = GuardedApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "firebreak.security.tokens[0].name=prometheus",
				"firebreak.security.tokens[0].token=sender-token-0123456789",
				"firebreak.security.tokens[0].role=sender", "firebreak.security.tokens[1].name=vera",
				"firebreak.security.tokens[1].token=viewer-token-0123456789",
				"firebreak.security.tokens[1].role=viewer", "firebreak.security.tokens[2].name=olivia",
				"firebreak.security.tokens[2].token=operator-token-0123456789",
				"firebreak.security.tokens[2].role=operator", "firebreak.security.users[0].name=adam",
				"firebreak.security.users[0].password=admin-password", "firebreak.security.users[0].role=admin",
				"management.endpoints.web.exposure.include=health,prometheus,info",
				"management.endpoint.health.show-details=when-authorized" })
class AccessControlTest {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Test
	void refusesWhatTheRoleTableRefusesBeforeAnyControllerSeesIt() {
		int before = GuardedApplication.reached.get();

		assertThat(check().refusals()).isEmpty();
		assertThat(GuardedApplication.reached.get() - before).isZero();
	}

	@Test
	void letsEachRoleThroughToItsPathsOnly() {
		assertThat(check().roles()).isEmpty();
	}

	@Test
	void theActorIsTheAuthenticatedName() throws Exception {
		HttpResponse<String> response = send("POST", "/api/v1/things/1/act", "Bearer operator-token-0123456789");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"actor\":\"olivia\"}");
	}

	@Test
	void refusalsAreProblemDetailsWithTheChallenges() throws Exception {
		HttpResponse<String> unauthenticated = send("GET", "/api/v1/things", "Bearer nope-0123456789");

		assertThat(unauthenticated.statusCode()).isEqualTo(401);
		assertThat(unauthenticated.headers().allValues("WWW-Authenticate"))
			.containsExactly("Bearer realm=\"firebreak\"", "Basic realm=\"firebreak\"");
		assertThat(unauthenticated.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(unauthenticated.body()).contains("\"type\":\"urn:firebreak:problem:unauthenticated\"")
			.doesNotContain("nope-0123456789");

		HttpResponse<String> forbidden = send("POST", "/api/v1/things/1/act", "Bearer viewer-token-0123456789");
		assertThat(forbidden.statusCode()).isEqualTo(403);
		assertThat(forbidden.body()).contains("\"type\":\"urn:firebreak:problem:forbidden\"")
			.contains("'vera' has no role that may POST this path");

		HttpResponse<String> rejected = send("GET", "/api/v1;x=1/things", "Bearer viewer-token-0123456789");
		assertThat(rejected.statusCode()).isEqualTo(400);
		assertThat(rejected.body()).contains("\"type\":\"urn:firebreak:problem:rejected-request\"");
	}

	@Test
	void healthIsOpenWithoutDetailsUnlessAuthenticated() throws Exception {
		HttpResponse<String> anonymous = send("GET", "/actuator/health", null);
		HttpResponse<String> viewer = send("GET", "/actuator/health", "Bearer viewer-token-0123456789");

		assertThat(anonymous.statusCode()).isEqualTo(200);
		assertThat(anonymous.body()).isEqualTo("{\"groups\":[\"liveness\",\"readiness\"],\"status\":\"UP\"}");
		assertThat(viewer.statusCode()).isEqualTo(200);
		assertThat(viewer.body()).contains("\"components\"");
	}

	@Test
	void otherActuatorEndpointsNeedAdmin() throws Exception {
		assertThat(send("GET", "/actuator/info", null).statusCode()).isEqualTo(401);
		assertThat(send("GET", "/actuator/info", "Bearer operator-token-0123456789").statusCode()).isEqualTo(403);
		assertThat(send("GET", "/actuator/info", AccessCheck.basicHeader("adam", "admin-password")).statusCode())
			.isEqualTo(200);
		assertThat(send("GET", "/actuator", null).statusCode()).isEqualTo(401);
	}

	private AccessCheck check() {
		return AccessCheck.against("http://127.0.0.1:" + this.port)
			.bearer("sender", "sender-token-0123456789", "sender")
			.bearer("viewer", "viewer-token-0123456789", "viewer")
			.bearer("operator", "operator-token-0123456789", "operator", "viewer")
			.basic("admin", "adam", "admin-password", "admin", "operator", "viewer")
			.endpoint("POST", "/api/v1/things", "sender", "[]")
			.endpoint("GET", "/api/v1/things", "viewer")
			.endpoint("POST", "/api/v1/things/1/act", "operator", "{}")
			.endpoint("GET", "/actuator/info", "admin")
			.open("GET", "/actuator/health")
			.open("GET", "/actuator/health/liveness")
			.open("GET", "/actuator/prometheus")
			.open("GET", "/openapi.yaml");
	}

	private HttpResponse<String> send(String method, String path, String authorization) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.method(method, HttpRequest.BodyPublishers.noBody());
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
