package dev.firebreak.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import dev.firebreak.schemas.AlertFingerprint;
import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.avro.AlertSource;
import dev.firebreak.schemas.avro.AlertSourceKind;
import dev.firebreak.schemas.avro.AlertStatus;

/**
 * How soon an operator's action shows in the API: for each of {@code <count>} new
 * incidents, the time from the 202 of {@code POST .../acknowledge} until {@code GET
 * /api/v1/incidents/{id}} says ACKNOWLEDGED, polled every 5 ms. Usage:
 * {@code CommandLatency <bootstrap> <api-base-url> <count>}.
 */
public final class CommandLatency {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static final Pattern ID = Pattern.compile("\"id\":\"(INC-[0-9-]+)\"");

	private CommandLatency() {
	}

	public static void main(String[] args) throws Exception {
		String base = args[1];
		int count = Integer.parseInt(args[2]);
		List<Long> millis = new ArrayList<>();
		try (KafkaProducer<String, AlertEvent> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]), Topics.ALERTS.keySerde().serializer(),
				Topics.ALERTS.valueSerde().serializer())) {
			for (int n = 0; n < count; n++) {
				String service = "latency-" + System.nanoTime();
				Map<String, String> labels = Map.of("alertname", "ServiceDown", "service", service, "severity",
						"critical");
				AlertEvent alert = AlertEvent.newBuilder()
					.setFingerprint(AlertFingerprint.of(labels))
					.setStatus(AlertStatus.FIRING)
					.setLabels(labels)
					.setStartsAt(Instant.now())
					.setSource(AlertSource.newBuilder().setKind(AlertSourceKind.ALERTMANAGER_WEBHOOK).build())
					.setReceivedAt(Instant.now())
					.build();
				producer.send(new ProducerRecord<>(Topics.ALERTS.name(), alert.getFingerprint(), alert)).get();
				String id = awaitIncident(base + "/incidents?match=service%3D" + service);
				HttpResponse<String> accepted = HTTP
					.send(HttpRequest.newBuilder(URI.create(base + "/incidents/" + id + "/acknowledge"))
						.POST(HttpRequest.BodyPublishers.noBody())
						.build(), HttpResponse.BodyHandlers.ofString());
				if (accepted.statusCode() != 202) {
					throw new IllegalStateException(
							"acknowledge answered " + accepted.statusCode() + ": " + accepted.body());
				}
				long start = System.nanoTime();
				while (!get(base + "/incidents/" + id).contains("\"status\":\"ACKNOWLEDGED\"")) {
					LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
				}
				millis.add((System.nanoTime() - start) / 1_000_000);
			}
		}
		long[] sorted = millis.stream().mapToLong(Long::longValue).sorted().toArray();
		System.out.printf("acknowledge visible in the API: %d incidents, p50 %d ms, max %d ms%n", sorted.length,
				sorted[(sorted.length - 1) / 2], sorted[sorted.length - 1]);
	}

	private static String awaitIncident(String url) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (System.nanoTime() < deadline) {
			Matcher id = ID.matcher(get(url));
			if (id.find()) {
				return id.group(1);
			}
			LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
		}
		throw new IllegalStateException("no incident at " + url + " within 60 s");
	}

	private static String get(String url) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
	}

}
