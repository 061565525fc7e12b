package dev.firebreak.ingest.publish;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.testkit.Eventually;
import dev.firebreak.testkit.KafkaBroker;
import dev.firebreak.testkit.KafkaRecords;
import dev.firebreak.testkit.KafkaTopics;

import static dev.firebreak.ingest.IngestServer.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The durability promise under a broker outage: while clients keep posting, the broker
 * stops and comes back. Every request answered 200 has all its alerts on the topic
 * exactly as sent; requests during the outage get 503 with Retry-After, in bounded time;
 * readiness follows Kafka.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "firebreak.security.anonymous-roles=sender", "firebreak.ingest.publish.timeout=2s",
				"firebreak.ingest.publish.retry-after=1s", "firebreak.topics.partitions=2",
				"spring.kafka.producer.properties.max.block.ms=1000",
				"spring.kafka.producer.properties.request.timeout.ms=1000",
				"spring.kafka.producer.properties.reconnect.backoff.max.ms=200" })
class BrokerOutageTest {

	private static final KafkaBroker broker = KafkaBroker.startNew();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final int CLIENTS = 3;

	private static final int ALERTS_PER_REQUEST = 8;

	@LocalServerPort
	int port;

	private final AtomicInteger requests = new AtomicInteger();

	private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();

	@DynamicPropertySource
	static void kafka(DynamicPropertyRegistry registry) {
		KafkaTopics.create(broker, List.of(Topics.ALERTS.withPartitions(2)));
		registry.add("spring.kafka.bootstrap-servers", broker::bootstrapServers);
	}

	@AfterAll
	static void closeBroker() {
		broker.close();
	}

	@Test
	void neverAcknowledgesAnAlertThatIsNotInKafka() throws Exception {
		AtomicBoolean running = new AtomicBoolean(true);
		ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
		for (int i = 0; i < CLIENTS; i++) {
			clients.execute(() -> {
				// Bounded: at most 2000 requests per client, and the test stops them
				// sooner.
				for (int n = 0; n < 2000 && running.get(); n++) {
					this.answers.add(postOneRequest());
				}
			});
		}
		try {
			Eventually.within(Duration.ofSeconds(30)).until(() -> count(200) >= 20);
			broker.stop();
			Eventually.within(Duration.ofSeconds(30)).until(() -> count(503) >= 3);
			assertThat(get("/actuator/health/readiness")).isEqualTo(503);
			assertThat(get("/actuator/health/liveness")).isEqualTo(200);
			int acceptedDuringOutage = count(200);
			broker.start();
			Eventually.within(Duration.ofSeconds(60)).until(() -> count(200) >= acceptedDuringOutage + 20);
			Eventually.within(Duration.ofSeconds(30)).until(() -> get("/actuator/health/readiness") == 200);
		}
		finally {
			running.set(false);
			clients.shutdown();
			assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
		}

		Map<String, AlertEvent> stored = KafkaRecords.readAll(broker, Topics.ALERTS, Duration.ofSeconds(60))
			.stream()
			.map(ConsumerRecord::value)
			.collect(
					Collectors.toMap((alert) -> alert.getLabels().get("n"), (alert) -> alert, (first, again) -> first));
		List<Answer> acknowledged = this.answers.stream().filter((answer) -> answer.status == 200).toList();
		List<Answer> refused = this.answers.stream().filter((answer) -> answer.status == 503).toList();

		assertThat(refused).isNotEmpty().allSatisfy((answer) -> assertThat(answer.retryAfter).isEqualTo("1"));
		assertThat(this.answers).allSatisfy((answer) -> assertThat(answer.status).isIn(200, 503));
		assertThat(this.answers).allSatisfy((answer) -> assertThat(answer.took).isLessThan(Duration.ofSeconds(10)));
		for (Answer answer : acknowledged) {
			for (String n : answer.alerts) {
				assertThat(stored).as("alert %s was answered 200", n).containsKey(n);
				assertThat(stored.get(n).getLabels()).containsEntry("alertname", "OutageProbe").containsEntry("n", n);
			}
		}
	}

	private Answer postOneRequest() {
		int request = this.requests.incrementAndGet();
		List<String> alerts = new ArrayList<>();
		StringBuilder body = new StringBuilder("{\"version\":\"4\",\"receiver\":\"firebreak\",\"alerts\":[");
		for (int i = 0; i < ALERTS_PER_REQUEST; i++) {
			String n = request + "-" + i;
			alerts.add(n);
			body.append((i > 0) ? "," : "")
				.append("{\"status\":\"firing\",\"labels\":{\"alertname\":\"OutageProbe\",\"n\":\"")
				.append(n)
				.append("\"},\"startsAt\":\"2026-11-22T10:00:00Z\"}");
		}
		body.append("]}");
		long started = System.nanoTime();
		HttpResponse<String> response = send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/v1/alerts/alertmanager"))
					.timeout(Duration.ofSeconds(30))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(body.toString()))
					.build());
		return new Answer(response.statusCode(), response.headers().firstValue("Retry-After").orElse(null),
				Set.copyOf(alerts), Duration.ofNanos(System.nanoTime() - started));
	}

	private int get(String path) {
		return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).GET().build())
			.statusCode();
	}

	private int count(int status) {
		return (int) this.answers.stream().filter((answer) -> answer.status == status).count();
	}

	private record Answer(int status, String retryAfter, Set<String> alerts, Duration took) {
	}

}
