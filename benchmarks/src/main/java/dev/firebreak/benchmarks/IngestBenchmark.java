package dev.firebreak.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

/**
 * The same alert load, posted to alert-ingest and to Alertmanager's
 * {@code /api/v2/alerts}: alert storms (64 alerts per POST over 10k fingerprints; and 1
 * alert per POST) as fast as they are accepted, then a fixed 5k alerts/s for latency.
 * Reports accepted alerts/s, CPU per alert of the target process (and of the broker
 * behind ingest), and p50/p99 latency measured from each request's intended start (no
 * coordinated omission).
 *
 * <p>
 * Arguments: {@code name=url,pid[,extraPid] ...} per target, plus {@code rounds=N}.
 */
public final class IngestBenchmark {

	private static final int FINGERPRINTS = 10_000;

	private static final int CONCURRENCY = 16;

	private static final long CLOCK_TICKS = 100;

	private final HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4, (task) -> {
		Thread thread = new Thread(task, "benchmark-http");
		thread.setDaemon(true);
		return thread;
	})).connectTimeout(Duration.ofSeconds(5)).build();

	private final AtomicInteger sequence = new AtomicInteger();

	private IngestBenchmark() {
	}

	record Target(String name, String url, long pid, long brokerPid, String authorization) {
	}

	record Throughput(double alertsPerSecond, double cpuMicrosPerAlert, double brokerCpuMicrosPerAlert, int failed) {
	}

	record Latency(double p50Millis, double p99Millis, int failed) {
	}

	public static void main(String[] args) throws Exception {
		int rounds = 3;
		List<Target> targets = new ArrayList<>();
		for (String arg : args) {
			String[] pair = arg.split("=", 2);
			if (pair[0].equals("rounds")) {
				rounds = Integer.parseInt(pair[1]);
				continue;
			}
			String[] parts = pair[1].split(",");
			targets.add(new Target(pair[0], parts[0], Long.parseLong(parts[1]),
					(parts.length > 2) ? Long.parseLong(parts[2]) : -1, (parts.length > 3) ? parts[3] : null));
		}
		new IngestBenchmark().run(targets, rounds);
	}

	private void run(List<Target> targets, int rounds) throws Exception {
		for (Target target : targets) {
			storm(target, 64, 20_000); // warm-up: JIT, connections, producer batches
			storm(target, 1, 5_000);
		}
		Map<String, List<Round>> results = new LinkedHashMap<>();
		for (int round = 1; round <= rounds; round++) {
			for (Target target : targets) {
				Round result = new Round(storm(target, 64, 200_000), storm(target, 1, 20_000),
						fixedRate(target, 64, 5_000, Duration.ofSeconds(15)));
				print("round " + round + " " + target.name, result);
				results.computeIfAbsent(target.name, (name) -> new ArrayList<>()).add(result);
			}
		}
		System.out.println();
		System.out.println("medians over " + rounds + " rounds");
		Map<String, Round> medians = new LinkedHashMap<>();
		results.forEach((name, runs) -> {
			Round median = Round.median(runs);
			medians.put(name, median);
			print(name, median);
		});
		if (medians.size() == 2) {
			List<String> names = List.copyOf(medians.keySet());
			Round first = medians.get(names.get(0));
			Round second = medians.get(names.get(1));
			System.out.printf(Locale.ROOT,
					"ratio %s / %s in accepted alerts/s: 64 per POST %.2f, 1 per POST %.2f (medians)%n", names.get(0),
					names.get(1), first.batch.alertsPerSecond / second.batch.alertsPerSecond,
					first.single.alertsPerSecond / second.single.alertsPerSecond);
		}
	}

	private static void print(String label, Round round) {
		System.out.printf(Locale.ROOT,
				"%-30s 64/POST %8.0f alerts/s %6.1f µs CPU/alert (+broker %5.1f) | 1/POST %7.0f alerts/s %6.1f µs CPU/alert | at 5k alerts/s p50 %6.2f ms p99 %7.2f ms | failed %d%n",
				label, round.batch.alertsPerSecond, round.batch.cpuMicrosPerAlert, round.batch.brokerCpuMicrosPerAlert,
				round.single.alertsPerSecond, round.single.cpuMicrosPerAlert, round.latency.p50Millis,
				round.latency.p99Millis, round.batch.failed + round.single.failed + round.latency.failed);
	}

	/**
	 * One round against one target: a batched storm, a single-alert storm, a fixed rate.
	 */
	record Round(Throughput batch, Throughput single, Latency latency) {

		/** Each figure's median over the rounds, taken separately. */
		static Round median(List<Round> rounds) {
			return new Round(
					new Throughput(median(rounds, (r) -> r.batch.alertsPerSecond),
							median(rounds, (r) -> r.batch.cpuMicrosPerAlert),
							median(rounds, (r) -> r.batch.brokerCpuMicrosPerAlert),
							(int) median(rounds, (r) -> r.batch.failed)),
					new Throughput(median(rounds, (r) -> r.single.alertsPerSecond),
							median(rounds, (r) -> r.single.cpuMicrosPerAlert),
							median(rounds, (r) -> r.single.brokerCpuMicrosPerAlert),
							(int) median(rounds, (r) -> r.single.failed)),
					new Latency(median(rounds, (r) -> r.latency.p50Millis), median(rounds, (r) -> r.latency.p99Millis),
							(int) median(rounds, (r) -> r.latency.failed)));
		}

		private static double median(List<Round> rounds, ToDoubleFunction<Round> figure) {
			double[] values = rounds.stream().mapToDouble(figure).sorted().toArray();
			return values[values.length / 2];
		}

	}

	/**
	 * Posts {@code alerts} alerts, {@code perPost} at a time, with {@link #CONCURRENCY}
	 * requests in flight.
	 */
	private Throughput storm(Target target, int perPost, int alerts) throws Exception {
		int requests = alerts / perPost;
		Semaphore inFlight = new Semaphore(CONCURRENCY);
		AtomicInteger failed = new AtomicInteger();
		long cpuBefore = cpuTicks(target.pid);
		long brokerBefore = cpuTicks(target.brokerPid);
		long started = System.nanoTime();
		for (int i = 0; i < requests; i++) {
			inFlight.acquire();
			send(target, body(perPost)).whenComplete((status, error) -> {
				if (error != null || status != 200) {
					failed.incrementAndGet();
				}
				inFlight.release();
			});
		}
		inFlight.acquire(CONCURRENCY);
		double seconds = (System.nanoTime() - started) / 1e9;
		int accepted = (requests - failed.get()) * perPost;
		return new Throughput(accepted / seconds, micros(cpuTicks(target.pid) - cpuBefore) / accepted,
				(target.brokerPid > 0) ? micros(cpuTicks(target.brokerPid) - brokerBefore) / accepted : 0,
				failed.get());
	}

	/**
	 * Posts at a fixed rate; latency counts from when each request should have started.
	 */
	private Latency fixedRate(Target target, int perPost, int alertsPerSecond, Duration duration) throws Exception {
		int requestsPerSecond = alertsPerSecond / perPost;
		long intervalNanos = 1_000_000_000L / requestsPerSecond;
		int requests = (int) (duration.toSeconds() * requestsPerSecond);
		ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
		AtomicInteger failed = new AtomicInteger();
		List<CompletableFuture<Integer>> sends = new ArrayList<>(requests);
		long start = System.nanoTime();
		for (int i = 0; i < requests; i++) {
			long intended = start + i * intervalNanos;
			long wait = intended - System.nanoTime();
			if (wait > 0) {
				TimeUnit.NANOSECONDS.sleep(wait);
			}
			CompletableFuture<Integer> send = send(target, body(perPost));
			sends.add(send.whenComplete((status, error) -> {
				latencies.add(System.nanoTime() - intended);
				if (error != null || status != 200) {
					failed.incrementAndGet();
				}
			}));
		}
		CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
		long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
		return new Latency(percentile(sorted, 0.50), percentile(sorted, 0.99), failed.get());
	}

	private CompletableFuture<Integer> send(Target target, String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.url))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (target.authorization != null) {
			request.header("Authorization", target.authorization);
		}
		return this.http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
			.thenApply(HttpResponse::statusCode);
	}

	/**
	 * An alerts API body: {@code count} alerts drawn round-robin from
	 * {@link #FINGERPRINTS} label sets.
	 */
	private String body(int count) {
		StringBuilder body = new StringBuilder(count * 220).append('[');
		for (int i = 0; i < count; i++) {
			int n = Math.floorMod(this.sequence.getAndIncrement(), FINGERPRINTS);
			body.append((i > 0) ? "," : "")
				.append("{\"labels\":{\"alertname\":\"HighErrorRate\",\"instance\":\"host-")
				.append(n)
				.append(":9100\",\"service\":\"svc-")
				.append(n % 200)
				.append("\",\"cluster\":\"eu-1\",\"severity\":\"warning\"},")
				.append("\"annotations\":{\"summary\":\"Error rate above 5% on svc-")
				.append(n % 200)
				.append("\",\"runbook_url\":\"https://runbooks.example/high-error-rate\"},")
				.append("\"generatorURL\":\"http://prometheus:9090/graph?g0.expr=rate\"}");
		}
		return body.append(']').toString();
	}

	/** User plus system CPU of a process, in clock ticks, from /proc. */
	private static long cpuTicks(long pid) throws IOException {
		if (pid <= 0) {
			return 0;
		}
		String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
	}

	private static double micros(long ticks) {
		return ticks * 1e6 / CLOCK_TICKS;
	}

	private static double percentile(long[] sorted, double quantile) {
		if (sorted.length == 0) {
			return Double.NaN;
		}
		return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
	}

}
