package dev.firebreak.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.AlertEvent;

/**
 * Measures incident-store on a real broker. The workload: distinct firing alerts over
 * 2,000 services (four instances each, below the blast radius), each delivered twice in a
 * row as Alertmanager HA pairs do, so that every distinct alert gives exactly one
 * incident event and its duplicate none.
 * <ul>
 * <li>{@code preload <bootstrap> <distinct>}: writes the alerts before the service
 * starts.</li>
 * <li>{@code drain <bootstrap> <events>}: times, from the first committed incident event,
 * until the last expected one is committed (read_committed).</li>
 * <li>{@code latency <bootstrap> <deliveries/s> <seconds>}: paces new alerts and reports
 * the time from each alert's append to its incident event being readable.</li>
 * </ul>
 */
public final class IncidentBenchmark {

	private static final int SERVICES = 2000;

	private IncidentBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		switch (args[0]) {
			case "preload" -> preload(args[1], Integer.parseInt(args[2]));
			case "drain" -> drain(args[1], Integer.parseInt(args[2]));
			case "latency" -> latency(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
			default -> throw new IllegalArgumentException("preload, drain or latency");
		}
	}

	private static AlertEvent alert(String run, long n) {
		return BenchmarkClients.alert(
				Map.of("alertname", "HighResponseTime", "service", "svc-" + (n % SERVICES), "instance",
						"host-" + ((n / SERVICES) % 4), "severity", "warning", "run", run, "endpoint", "/api/" + n),
				System.currentTimeMillis());
	}

	private static void preload(String bootstrap, int distinct) {
		try (KafkaProducer<String, AlertEvent> producer = BenchmarkClients.alertProducer(bootstrap)) {
			for (long n = 0; n < distinct; n++) {
				AlertEvent alert = alert("preload", n);
				producer.send(new ProducerRecord<>(Topics.ALERTS.name(), alert.getFingerprint(), alert));
				producer.send(new ProducerRecord<>(Topics.ALERTS.name(), alert.getFingerprint(), alert));
			}
			producer.flush();
		}
		System.out.printf("preloaded %d deliveries (%d distinct alerts)%n", 2L * distinct, distinct);
	}

	private static KafkaConsumer<String, byte[]> eventConsumer(String bootstrap, String offsetReset) {
		return BenchmarkClients.eventConsumer(bootstrap, offsetReset, new ByteArrayDeserializer());
	}

	private static void drain(String bootstrap, int events) {
		long seen = 0;
		long first = 0;
		long last = 0;
		// The service starts just before the drain: its first half includes the JIT's
		// warm-up, the second half is closer to its steady state.
		long halfSeen = 0;
		long half = 0;
		long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
		try (KafkaConsumer<String, byte[]> consumer = eventConsumer(bootstrap, "earliest")) {
			while (seen < events && System.nanoTime() < deadline) {
				int count = consumer.poll(Duration.ofMillis(20)).count();
				if (count > 0) {
					last = System.nanoTime();
					first = (seen == 0) ? last : first;
					seen += count;
					if (halfSeen == 0 && seen >= events / 2) {
						halfSeen = seen;
						half = last;
					}
				}
			}
		}
		double seconds = (last - first) / 1e9;
		double secondHalf = (last - half) / 1e9;
		System.out.printf(
				"drain: %d events (%d deliveries) in %.2f s: %.0f deliveries/s, %.0f new alerts/s"
						+ " (second half: %.0f deliveries/s)%n",
				seen, 2 * seen, seconds, 2 * seen / seconds, seen / seconds, 2 * (seen - halfSeen) / secondHalf);
	}

	private static void latency(String bootstrap, int perSecond, int seconds) throws Exception {
		String run = "latency-" + System.nanoTime();
		List<Long> latencies = new ArrayList<>();
		AtomicBoolean sending = new AtomicBoolean(true);
		AtomicLong expected = new AtomicLong();
		CountDownLatch assigned = new CountDownLatch(1);
		Thread reader = new Thread(() -> {
			try (KafkaConsumer<String, byte[]> consumer = eventConsumer(bootstrap, "latest")) {
				while (consumer.assignment().isEmpty()) {
					consumer.poll(Duration.ofMillis(100));
				}
				// Resolve "latest" now, so that no event written from here on is missed.
				consumer.assignment().forEach(consumer::position);
				assigned.countDown();
				long quietSince = System.nanoTime();
				while (sending.get() || (latencies.size() < expected.get()
						&& System.nanoTime() - quietSince < Duration.ofSeconds(10).toNanos())) {
					for (ConsumerRecord<String, byte[]> event : consumer.poll(Duration.ofMillis(5))) {
						latencies.add(System.currentTimeMillis() - event.timestamp());
						quietSince = System.nanoTime();
					}
				}
			}
		});
		reader.start();
		if (!assigned.await(30, TimeUnit.SECONDS)) {
			throw new IllegalStateException("the event reader got no partitions within 30 s");
		}
		long intervalNanos = 1_000_000_000L * 2 / perSecond;
		try (KafkaProducer<String, AlertEvent> producer = BenchmarkClients.alertProducer(bootstrap)) {
			long start = System.nanoTime();
			long distinct = (long) perSecond * seconds / 2;
			for (long n = 0; n < distinct; n++) {
				// Parked, not spinning: a spinning sender takes a core from the broker
				// and the
				// service on this two-core box. A late wake-up is caught up at once, as
				// the
				// schedule is absolute.
				long due = start + n * intervalNanos;
				for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
					LockSupport.parkNanos(wait);
				}
				AlertEvent alert = alert(run, n);
				producer.send(new ProducerRecord<>(Topics.ALERTS.name(), null, alert.getReceivedAt().toEpochMilli(),
						alert.getFingerprint(), alert));
				producer.send(new ProducerRecord<>(Topics.ALERTS.name(), null, alert.getReceivedAt().toEpochMilli(),
						alert.getFingerprint(), alert));
				expected.incrementAndGet();
			}
		}
		sending.set(false);
		reader.join();
		long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
		System.out.printf("latency at %d deliveries/s for %d s: %d events, p50 %d ms, p99 %d ms, max %d ms%n",
				perSecond, seconds, sorted.length, BenchmarkClients.percentile(sorted, 50),
				BenchmarkClients.percentile(sorted, 99), (sorted.length > 0) ? sorted[sorted.length - 1] : -1);
		if (sorted.length != expected.get()) {
			System.out.printf("WARNING: expected %d events%n", expected.get());
		}
	}

}
