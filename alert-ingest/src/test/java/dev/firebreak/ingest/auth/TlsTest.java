package dev.firebreak.ingest.auth;

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
 * TLS with required client certificates, by Spring Boot's {@code server.ssl.*} settings
 * alone.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "firebreak.ingest.auth.bearer-token=tls-token", "server.ssl.enabled=true",
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
		HttpResponse<String> response = post(client(true));

		assertThat(response.statusCode()).isEqualTo(200);
	}

	@Test
	void refusesAClientWithoutACertificate() throws Exception {
		HttpClient anonymous = client(false);

		assertThatExceptionOfType(IOException.class).isThrownBy(() -> post(anonymous));
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

	private HttpResponse<String> post(HttpClient client) throws IOException, InterruptedException {
		return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + this.port + "/api/v2/alerts"))
			.timeout(Duration.ofSeconds(10))
			.header("Authorization", "Bearer tls-token")
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("[]"))
			.build(), HttpResponse.BodyHandlers.ofString());
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
