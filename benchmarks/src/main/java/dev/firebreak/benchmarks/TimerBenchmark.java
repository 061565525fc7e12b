package dev.firebreak.benchmarks;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.IncidentEventType;

/**
 * How late incident-store's timers fire with many open incidents in one task. The
 * workload: one firing alert each of that many distinct services, all preloaded, so each
 * opens an incident of its own. Their alertname has no policy of its own and their
 * severity is warning: the fallback SEV3 policy, with an automation window, so each
 * incident waits {@code firebreak.incidents.automation-grace} for a runbook and, with no
 * remediation-engine running, gets an {@code AUTOMATION_ENDED} event when that grace
 * timer fires. The incidents open at the alerts' record timestamps (the preload's wall
 * clock), so the timers fall due together, grace after the preload.
 * <ul>
 * <li>{@code preload <bootstrap> <incidents>}: writes the alerts before the service
 * starts.</li>
 * <li>{@code measure <bootstrap> <incidents> <grace seconds> <cap seconds>}: reads the
 * incident events (read_committed) from the start: the drain (every {@code OPENED}), then
 * each {@code AUTOMATION_ENDED}, whose lateness is the wall clock when it was polled less
 * its due time (the incident's openedAt plus the grace). Stops when every timer fired or
 * cap seconds after the first was due; the timers not fired by then count as late by at
 * least the time since they fell due, and a figure they bound is marked {@code >=}.</li>
 * </ul>
 * The last line is the round's result, {@code result key=value ...}, for the script.
 */
public final class TimerBenchmark {

	private static final Duration HARD_LIMIT = Duration.ofMinutes(20);

	private TimerBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		switch (args[0]) {
			case "preload" -> preload(args[1], Integer.parseInt(args[2]));
			case "measure" -> measure(args[1], Integer.parseInt(args[2]), Duration.ofSeconds(Long.parseLong(args[3])),
					Duration.ofSeconds(Long.parseLong(args[4])));
			default -> throw new IllegalArgumentException("preload or measure");
		}
	}

	private static void preload(String bootstrap, int incidents) {
		long first = System.currentTimeMillis();
		long last = first;
		try (KafkaProducer<String, AlertEvent> producer = BenchmarkClients.alertProducer(bootstrap)) {
			for (long n = 0; n < incidents; n++) {
				last = System.currentTimeMillis();
				AlertEvent alert = BenchmarkClients.alert(Map.of("alertname", "TimerBenchmark", "service",
						"timer-svc-" + n, "instance", "host-0", "severity", "warning"), last);
				producer.send(new ProducerRecord<>(Topics.ALERTS.name(), null, last, alert.getFingerprint(), alert));
			}
			producer.flush();
		}
		System.out.printf("preloaded %d alerts of distinct services, received over %.1f s%n", incidents,
				(last - first) / 1e3);
	}

	private static void measure(String bootstrap, int incidents, Duration grace, Duration cap) {
		long started = System.currentTimeMillis();
		Map<String, Long> pending = new HashMap<>(2 * incidents);
		long[] lateness = new long[incidents];
		int fired = 0;
		int opened = 0;
		int unexpected = 0;
		long drainFirst = 0;
		long drainLast = 0;
		long firstDue = Long.MAX_VALUE;
		long lastDue = Long.MIN_VALUE;
		long firstFired = 0;
		long lastFired = 0;
		long end;
		try (KafkaConsumer<String, IncidentEvent> consumer = BenchmarkClients.eventConsumer(bootstrap, "earliest",
				Topics.INCIDENT_EVENTS.valueSerde().deserializer())) {
			while (true) {
				long now = System.currentTimeMillis();
				long deadline = started + HARD_LIMIT.toMillis();
				if (firstDue != Long.MAX_VALUE) {
					deadline = Math.min(deadline, firstDue + cap.toMillis());
				}
				if (fired >= incidents || now >= deadline) {
					end = now;
					break;
				}
				ConsumerRecords<String, IncidentEvent> events = consumer.poll(Duration.ofMillis(20));
				long at = System.currentTimeMillis();
				for (ConsumerRecord<String, IncidentEvent> record : events) {
					IncidentEvent event = record.value();
					long due = event.getIncident().getOpenedAt().toEpochMilli() + grace.toMillis();
					if (event.getType() == IncidentEventType.OPENED) {
						pending.put(event.getIncidentId(), due);
						opened++;
						drainFirst = (drainFirst == 0) ? at : drainFirst;
						drainLast = at;
						firstDue = Math.min(firstDue, due);
						lastDue = Math.max(lastDue, due);
					}
					else if (event.getType() == IncidentEventType.AUTOMATION_ENDED) {
						if (pending.remove(event.getIncidentId()) == null || fired >= incidents) {
							unexpected++;
							continue;
						}
						lateness[fired++] = at - due;
						firstFired = (firstFired == 0) ? at : firstFired;
						lastFired = at;
					}
				}
			}
		}
		report(incidents, opened, fired, unexpected, Arrays.copyOf(lateness, fired), pending, end,
				new long[] { drainFirst, drainLast, firstDue, lastDue, firstFired, lastFired }, cap);
	}

	/**
	 * @param times the drain's first and last event, the first and last due time, the
	 * first and last timer fired: wall-clock millis
	 */
	private static void report(int incidents, int opened, int fired, int unexpected, long[] firedLateness,
			Map<String, Long> pending, long end, long[] times, Duration cap) {
		long drainFirst = times[0];
		long drainLast = times[1];
		long firstDue = times[2];
		long lastDue = times[3];
		long firstFired = times[4];
		long lastFired = times[5];
		System.out.printf(
				"drain: %d of %d incidents opened in %.1f s; the drain ended %.1f s %s the first timer was"
						+ " due; the timers fall due over %.1f s%n",
				opened, incidents, (drainLast - drainFirst) / 1e3, Math.abs(firstDue - drainLast) / 1e3,
				(drainLast <= firstDue) ? "before" : "AFTER (late start)", (lastDue - firstDue) / 1e3);
		// A timer not fired by the end is late by at least the time since it fell due.
		int notDue = 0;
		long[] all = Arrays.copyOf(firedLateness, firedLateness.length + pending.size());
		boolean[] bound = new boolean[all.length];
		int n = firedLateness.length;
		for (long due : pending.values()) {
			notDue += (due > end) ? 1 : 0;
			all[n++] = Math.max(0, end - due);
		}
		Long[] order = new Long[all.length];
		for (int i = 0; i < all.length; i++) {
			order[i] = ((long) i << 1) | ((i >= firedLateness.length) ? 1 : 0);
		}
		// Sorted by lateness; a lower bound sorts after an exact value that equals it.
		Arrays.sort(order, (a, b) -> (all[(int) (a >> 1)] != all[(int) (b >> 1)])
				? Long.compare(all[(int) (a >> 1)], all[(int) (b >> 1)]) : Long.compare(a & 1, b & 1));
		long[] sorted = new long[all.length];
		for (int i = 0; i < order.length; i++) {
			sorted[i] = all[(int) (order[i] >> 1)];
			bound[i] = (order[i] & 1) == 1 || (i > 0 && bound[i - 1]);
		}
		String p50 = figure(sorted, bound, 50);
		String p99 = figure(sorted, bound, 99);
		String max = figure(sorted, bound, 100);
		boolean capped = fired < opened;
		String last = capped ? ">=" + (end - firstDue) : String.valueOf(lastFired - firstDue);
		double rate = (fired > 1) ? (fired - 1) / ((lastFired - firstFired) / 1e3) : 0;
		System.out.printf(
				"timers: %d of %d fired%s; lateness p50 %s ms, p99 %s ms, max %s ms; last fired %s ms after"
						+ " the first was due; %.0f timers/s from the first fired to the last%n",
				fired, opened,
				capped ? " (CAPPED: measuring stopped " + cap.toSeconds() + " s after the first was due, " + notDue
						+ " not due yet; the unfired count as late by the time since they fell due, >= marks a"
						+ " lower bound)" : "",
				p50, p99, max, last, rate);
		if (unexpected > 0 || opened != incidents) {
			System.out.printf("WARNING: %d incidents opened of %d; %d AUTOMATION_ENDED events unexpected%n", opened,
					incidents, unexpected);
		}
		System.out.printf("result fired=%d opened=%d p50=%s p99=%s max=%s last=%s drain=%.1f%n", fired, opened, p50,
				p99, max, last, (drainLast - drainFirst) / 1e3);
	}

	/** The percentile in ms, {@code >=} when a timer not fired bounds it. */
	private static String figure(long[] sorted, boolean[] bound, int p) {
		if (sorted.length == 0) {
			return "-1";
		}
		int index = BenchmarkClients.percentileIndex(sorted.length, p);
		return (bound[index] ? ">=" : "") + sorted[index];
	}

}
