package dev.firebreak.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.testkit.KafkaRecords;
import dev.firebreak.testkit.TestInfrastructure;

/**
 * alert-ingest as it runs, on a random port, against the shared in-JVM broker; plus an
 * HTTP client that talks to it as Alertmanager does. Each test marks its alerts with its
 * own {@code run} label, so tests sharing the topic see only their alerts.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "firebreak.security.tokens[0].name=prometheus",
				"firebreak.security.tokens[0].token=" + IngestServer.TOKEN, "firebreak.security.tokens[0].role=sender",
				"firebreak.security.tokens[1].name=vera", "firebreak.security.tokens[1].token=" + IngestServer.VIEWER,
				"firebreak.security.tokens[1].role=viewer", "firebreak.security.tokens[2].name=adam",
				"firebreak.security.tokens[2].token=" + IngestServer.ADMIN, "firebreak.security.tokens[2].role=admin",
				"firebreak.security.users[0].name=alertmanager",
				"firebreak.security.users[0].password=" + IngestServer.PASSWORD,
				"firebreak.security.users[0].role=sender", "firebreak.ingest.max-request-size=64KB",
				// A small record limit, so that a test can send an alert larger than it.
				"spring.kafka.producer.properties.max.request.size=32768",
				"firebreak.ingest.max-alerts-per-request=100", "firebreak.topics.partitions=2" })
public abstract class IngestServer {

	public static final String TOKEN = "test-token-0123456789";

	public static final String VIEWER = "viewer-token-0123456789";

	public static final String ADMIN = "admin-token-0123456789";

	public static final String PASSWORD = "test-password";

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	protected final String run = UUID.randomUUID().toString();

	@LocalServerPort
	protected int port;

	@DynamicPropertySource
	static void kafka(DynamicPropertyRegistry registry) {
		registry.add("spring.kafka.bootstrap-servers", () -> TestInfrastructure.kafka().bootstrapServers());
	}

	protected HttpResponse<String> post(String path, String body) {
		return post(path, body, "Bearer " + TOKEN);
	}

	protected HttpResponse<String> post(String path, String body, String authorization) {
		return post(path, body, authorization, "application/json");
	}

	protected HttpResponse<String> post(String path, String body, String authorization, String contentType) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return send(request.build());
	}

	protected HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).GET().build());
	}

	protected HttpResponse<String> getAuthenticated(String path) {
		return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Authorization", "Bearer " + TOKEN)
			.GET()
			.build());
	}

	protected static String basic(String username, String password) {
		return "Basic "
				+ Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * A payload from {@code src/test/resources/payloads}, with this test's run id filled
	 * in.
	 */
	protected String payload(String name) {
		try (var in = getClass().getResourceAsStream("/payloads/" + name)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${run}", this.run);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Every alert of this test's run now committed on {@code firebreak.alerts}, in topic
	 * order per key.
	 */
	protected List<AlertEvent> publishedAlerts() {
		return KafkaRecords.readAll(TestInfrastructure.kafka(), Topics.ALERTS, Duration.ofSeconds(30))
			.stream()
			.map(ConsumerRecord::value)
			.filter((alert) -> this.run.equals(alert.getLabels().get("run")))
			.toList();
	}

	/** Sends a request, turning I/O failures into unchecked ones. */
	public static HttpResponse<String> send(HttpRequest request) {
		try {
			return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
