package dev.firebreak.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.AlertEvent;

/**
 * Measures incident-store on a real broker. The workload: distinct firing alerts over
 * 2,000 services (four instances each, below the blast radius), each delivered twice in a
 * row as Alertmanager HA pairs do, so that every distinct alert gives exactly one
 * incident event and its duplicate none. Each batch of alerts carries a {@code run} label
 * of its own, so that no two batches share a fingerprint.
 * <ul>
 * <li>{@code preload <bootstrap> <distinct> [run]}: writes the alerts (run
 * {@code preload} unless named).</li>
 * <li>{@code preload-sized <bootstrap> <distinct> <alerts per incident> <run>}: the same,
 * but over {@code distinct / alerts per incident} services of the run's own, so that each
 * incident ends with that many alerts.</li>
 * <li>{@code drain-topic <bootstrap> <topic> <records> <deliveries per record> <start|end>
 * <ready file> <timeout s>}: times, from the first committed record of the topic (e.g.
 * {@code firebreak.incident-events}), until the last expected one is committed
 * (read_committed); counts from the topic's start (waiting for it to exist) or only what
 * is written from now on ({@code end}); creates the ready file once it holds its offsets,
 * and gives up after the timeout, saying so.</li>
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
			case "preload" ->
				preload(args[1], Integer.parseInt(args[2]), (args.length > 3) ? args[3] : "preload", SERVICES, "svc-");
			case "preload-sized" -> {
				int distinct = Integer.parseInt(args[2]);
				int perIncident = Integer.parseInt(args[3]);
				preload(args[1], distinct, args[4], Math.max(1, distinct / perIncident), args[4] + "-svc-");
			}
			case "drain-topic" -> drainTopic(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
					"start".equals(args[5]), Path.of(args[6]), Duration.ofSeconds(Long.parseLong(args[7])));
			case "latency" -> latency(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
			default -> throw new IllegalArgumentException("preload, preload-sized, drain-topic or latency");
		}
	}

	private static AlertEvent alert(String run, long n) {
		return alert(run, n, SERVICES, "svc-");
	}

	/**
	 * The n-th alert of a run over {@code services} services named {@code prefix} and a
	 * number.
	 */
	private static AlertEvent alert(String run, long n, int services, String prefix) {
		return BenchmarkClients.alert(
				Map.of("alertname", "HighResponseTime", "service", prefix + (n % services), "instance",
						"host-" + ((n / services) % 4), "severity", "warning", "run", run, "endpoint", "/api/" + n),
				System.currentTimeMillis());
	}

	private static void preload(String bootstrap, int distinct, String run, int services, String prefix) {
		long start = System.nanoTime();
		try (KafkaProducer<String, AlertEvent> producer = BenchmarkClients.alertProducer(bootstrap)) {
			for (long n = 0; n < distinct; n++) {
				AlertEvent alert = alert(run, n, services, prefix);
				producer.send(new ProducerRecord<>(Topics.ALERTS.name(), alert.getFingerprint(), alert));
				producer.send(new ProducerRecord<>(Topics.ALERTS.name(), alert.getFingerprint(), alert));
			}
			producer.flush();
		}
		System.out.printf("preloaded %d deliveries (%d distinct alerts over %d services, run %s) in %.1f s%n",
				2L * distinct, distinct, services, run, (System.nanoTime() - start) / 1e9);
	}

	private static KafkaConsumer<String, byte[]> eventConsumer(String bootstrap, String offsetReset) {
		return BenchmarkClients.eventConsumer(bootstrap, offsetReset, new ByteArrayDeserializer());
	}

	/**
	 * Counts the records of a topic, from its start or from now on, from the first to the
	 * last expected (read_committed), and reports them as deliveries per second; the
	 * first half includes the JIT's and the caches' warm-up when the service started just
	 * before.
	 */
	private static void drainTopic(String bootstrap, String topic, int records, int deliveriesPerRecord,
			boolean fromStart, Path readyFile, Duration timeout) throws IOException {
		long seen = 0;
		long first = 0;
		long last = 0;
		long halfSeen = 0;
		long half = 0;
		long deadline = System.nanoTime() + timeout.toNanos();
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ISOLATION_LEVEL_CONFIG,
						"read_committed", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000),
				new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
			List<TopicPartition> partitions = partitions(consumer, topic);
			consumer.assign(partitions);
			if (fromStart) {
				consumer.seekToBeginning(partitions);
			}
			else {
				consumer.seekToEnd(partitions);
			}
			// Resolved now: with "end", whatever is written from here on is counted,
			// nothing before.
			partitions.forEach(consumer::position);
			Files.writeString(readyFile, "ready");
			while (seen < records && System.nanoTime() < deadline) {
				int count = consumer.poll(Duration.ofMillis(20)).count();
				if (count > 0) {
					last = System.nanoTime();
					first = (seen == 0) ? last : first;
					seen += count;
					if (halfSeen == 0 && seen >= records / 2) {
						halfSeen = seen;
						half = last;
					}
				}
			}
		}
		double seconds = (last - first) / 1e9;
		double secondHalf = (last - half) / 1e9;
		System.out.printf(
				"drain: %d records (%d deliveries) in %.2f s: %.0f deliveries/s (second half: %.0f deliveries/s)%s%n",
				seen, deliveriesPerRecord * seen, seconds, (seconds > 0) ? deliveriesPerRecord * seen / seconds : 0,
				(secondHalf > 0) ? deliveriesPerRecord * (seen - halfSeen) / secondHalf : 0, (seen < records)
						? " INCOMPLETE: " + records + " records expected within " + timeout.toSeconds() + " s" : "");
	}

	/** The topic's partitions: the script creates every topic before it counts one. */
	private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
		List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
		if (infos == null || infos.isEmpty()) {
			throw new IllegalStateException(topic + " does not exist");
		}
		return infos.stream().map((info) -> new TopicPartition(info.topic(), info.partition())).toList();
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
