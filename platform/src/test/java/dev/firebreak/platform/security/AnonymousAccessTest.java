package dev.firebreak.platform.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a trusted network, callers without credentials may be given roles; they act as
 * {@code anonymous} and get no more than those roles.
 */
@SpringBootTest(classes = GuardedApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "firebreak.security.anonymous-roles=operator")
class AnonymousAccessTest {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Test
	void anAnonymousCallerHasTheConfiguredRolesAndNoOther() throws Exception {
		HttpResponse<String> act = send("POST", "/api/v1/things/1/act");

		assertThat(act.statusCode()).isEqualTo(200);
		assertThat(act.body()).isEqualTo("{\"actor\":\"anonymous\"}");
		assertThat(send("GET", "/api/v1/things").statusCode()).isEqualTo(200);
		// Without the role, the answer is to authenticate.
		assertThat(send("POST", "/api/v1/things").statusCode()).isEqualTo(401);
		assertThat(send("GET", "/actuator/health").statusCode()).isEqualTo(200);
	}

	private HttpResponse<String> send(String method, String path) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
