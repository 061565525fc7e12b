package dev.firebreak.ingest.system;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.time.Duration;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.firebreak.testkit.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * TLS with required client certificates, by Spring Boot's {@code server.ssl.*} settings;
 * a trusted certificate's common name mapped to a role stands for credentials.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "firebreak.security.tokens[0].name=prometheus", "firebreak.security.tokens[0].token=tls-token",
				"firebreak.security.tokens[0].role=sender",
				"firebreak.security.client-certificates[0].common-name=alertmanager",
				"firebreak.security.client-certificates[0].role=sender", "server.ssl.enabled=true",
				"server.ssl.key-store=classpath:tls/server.p12", "server.ssl.key-store-password=changeit",
				"server.ssl.key-store-type=PKCS12", "server.ssl.client-auth=need",
				"server.ssl.trust-store=classpath:tls/server-trust.p12", "server.ssl.trust-store-password=changeit",
				"server.ssl.trust-store-type=PKCS12" })
class TlsTest {

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void kafka(DynamicPropertyRegistry registry) {
		registry.add("spring.kafka.bootstrap-servers", () -> TestInfrastructure.kafka().bootstrapServers());
	}

	@Test
	void acceptsAClientWithATrustedCertificate() throws Exception {
		HttpResponse<String> response = post(client(true), "Bearer tls-token");

		assertThat(response.statusCode()).isEqualTo(200);
	}

	@Test
	void aMappedCertificateNeedsNoToken() throws Exception {
		HttpResponse<String> response = post(client(true), null);

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"accepted\":0}");
	}

	@Test
	void aMappedCertificateHasOnlyItsRole() throws Exception {
		HttpResponse<String> response = client(true)
			.send(HttpRequest.newBuilder(URI.create("https://localhost:" + this.port + "/actuator/info"))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body()).contains("'alertmanager' has no role");
	}

	@Test
	void refusesAClientWithoutACertificate() throws Exception {
		HttpClient anonymous = client(false);

		assertThatExceptionOfType(IOException.class).isThrownBy(() -> post(anonymous, "Bearer tls-token"));
	}

	@Test
	void refusesPlainHttp() throws Exception {
		HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

		// Tomcat answers a plain request on a TLS port with 400 "requires TLS"; nothing
		// reaches the API.
		HttpResponse<String> response = plain
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/v2/alerts"))
				.timeout(Duration.ofSeconds(10))
				.header("Authorization", "Bearer tls-token")
				.POST(HttpRequest.BodyPublishers.ofString("[]"))
				.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).doesNotContain("accepted");
	}

	private HttpResponse<String> post(HttpClient client, String authorization)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("https://localhost:" + this.port + "/api/v2/alerts"))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("[]"));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpClient client(boolean withCertificate) throws Exception {
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(keyStore("tls/client-trust.p12"));
		KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keys.init(keyStore("tls/client.p12"), "changeit".toCharArray());
		SSLContext tls = SSLContext.getInstance("TLS");
		tls.init(withCertificate ? keys.getKeyManagers() : null, trust.getTrustManagers(), null);
		return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
	}

	private static KeyStore keyStore(String resource) throws Exception {
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = TlsTest.class.getClassLoader().getResourceAsStream(resource)) {
			store.load(in, "changeit".toCharArray());
		}
		return store;
	}

}
