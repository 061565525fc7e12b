package dev.firebreak.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.firebreak.faults.Cluster.Instance;
import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentStatus;
import dev.firebreak.testkit.ChannelStandIn;
import dev.firebreak.testkit.Eventually;
import dev.firebreak.testkit.Teardown;

import static dev.firebreak.testkit.KafkaBroker.freePort;
import static dev.firebreak.testkit.PackagedServices.SERVICES;
import static dev.firebreak.testkit.PackagedServices.jar;
import static dev.firebreak.testkit.PackagedServices.randomHex;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault suite: two instances of every service as processes, a storm of alerts through
 * ingest, and one fault after another while it blows: each instance killed with
 * {@code kill -9} in turn, both remediation-engines killed one after the other, the
 * broker stopped and started, PostgreSQL away for 30 s, one instance of every service
 * paused (SIGSTOP) past the session timeout and its leases, then woken; once everything
 * has settled, a replay: incident-store from empty state directories and the projection
 * under a new consumer group, from the beginning of the topics.
 *
 * <p>
 * Then the invariants, exactly: every alert answered 2xx is counted in exactly one
 * incident, one incident per correlation group, each resolved; the non-idempotent runbook
 * ran at most once per incident; each PagerDuty message (incident, event action) the
 * notifier recorded as sent reached PagerDuty, and none it did not record; Slack and
 * email duplicates counted and bounded by the notifier's crashes; nothing left pending,
 * sending or running; the projection equals {@code firebreak.incidents}; the replay
 * changed nothing and told nobody anything again. Each fault's figures (how long a sender
 * waited for a 2xx, how long an alert raised during it took to page, duplicates) are
 * logged and written to {@code target/fault-figures.md}.
 */
class FaultSuiteIT {

	private static final Logger log = LoggerFactory.getLogger(FaultSuiteIT.class);

	/**
	 * A group resolves this long after its first alert: after its page, when all is well.
	 */
	private static final Duration RESOLVE_AFTER = Duration.ofSeconds(40);

	/** How long every incident has, once the storm is over, to reach its end. */
	private static final Duration SETTLE = Duration.ofMinutes(4);

	/**
	 * What a notifier sends at once, at most: so many messages a crash can leave in
	 * flight.
	 */
	private static final int NOTIFIER_THREADS = 4;

	@TempDir
	Path work;

	private final Teardown started = new Teardown();

	private final List<Fault> faults = new ArrayList<>();

	@AfterEach
	void stopEverything() {
		this.started.close();
	}

	@Test
	void underEveryFaultNoAlertIsLostAndNothingHappensTwice() throws Exception {
		for (String service : SERVICES) {
			assertThat(jar(service)).as("packaged %s (./mvnw verify packages it first)", service).exists();
		}
		GreenMail smtp = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		smtp.start();
		this.started.add(smtp::stop);
		ChannelStandIn slack = this.started.add(ChannelStandIn.slack());
		ChannelStandIn pagerDuty = this.started.add(ChannelStandIn.pagerDuty());
		ChannelStandIn target = this.started.add(ChannelStandIn.webhook());
		Ledger.Channels channels = new StandIns(pagerDuty, slack, target, smtp);

		long starting = System.nanoTime();
		Cluster cluster = this.started.add(
				Cluster.start(
						this.work, new Cluster.Channels(slack.url("/services/T0/B0/faults"),
								pagerDuty.url("/v2/enqueue"), randomHex(16), smtp.getSmtp().getPort()),
						writeRunbook(target)));
		log.info("Two instances of each service ready in {} s",
				Duration.ofNanos(System.nanoTime() - starting).toSeconds());

		Storm storm = this.started
			.add(new Storm(cluster.instances("alert-ingest").stream().map(Instance::port).toList(),
					Files.readString(this.work.resolve("secrets/sender-token")), RESOLVE_AFTER));
		storm.start(Duration.ofSeconds(2));
		TimeUnit.SECONDS.sleep(10);

		// 1. kill -9 of each instance in turn: the first of each service, then the
		// second, each started again at once; the first are ready again before their
		// peers die.
		for (int index = 1; index <= 2; index++) {
			for (String service : SERVICES) {
				Instance instance = cluster.instance(service, index);
				fault("kill -9 " + instance, () -> {
					instance.kill();
					TimeUnit.SECONDS.sleep(3);
					instance.start();
				});
				TimeUnit.SECONDS.sleep(3);
			}
			cluster.awaitReady();
		}
		// Both instances of one service, one after the other: no remediation-engine
		// at all for a while, its attempts in flight left to whoever comes back.
		Instance engine1 = cluster.instance("remediation-engine", 1);
		Instance engine2 = cluster.instance("remediation-engine", 2);
		fault("kill -9 both remediation-engines", () -> {
			engine1.kill();
			TimeUnit.SECONDS.sleep(5);
			engine2.kill();
			TimeUnit.SECONDS.sleep(5);
			engine1.start();
			engine2.start();
			engine1.awaitReady();
			engine2.awaitReady();
		});
		TimeUnit.SECONDS.sleep(10);

		// 2. The broker stopped cleanly and started again.
		fault("broker stopped 15 s", () -> {
			cluster.infrastructure().broker().stop();
			TimeUnit.SECONDS.sleep(15);
			cluster.infrastructure().broker().start();
		});
		TimeUnit.SECONDS.sleep(5);

		// 3. PostgreSQL away for 30 s.
		fault("PostgreSQL stopped 30 s", () -> {
			cluster.infrastructure().postgres().stop();
			TimeUnit.SECONDS.sleep(30);
			cluster.infrastructure().postgres().start();
		});
		TimeUnit.SECONDS.sleep(5);

		// 4. One instance of every service paused past the session timeout and its
		// leases:
		// its partitions and its leased work move to its peer; woken, it must not act on
		// what it held.
		List<Instance> paused = SERVICES.stream().map((service) -> cluster.instance(service, 1)).toList();
		fault("SIGSTOP one instance of each service 25 s", () -> {
			paused.forEach(Instance::pause);
			Thread.sleep(Cluster.TAKEOVER.multipliedBy(2).plusSeconds(5).toMillis());
			paused.forEach(Instance::resume);
		});
		TimeUnit.SECONDS.sleep(5);
		storm.stopOpening();

		// Everything the storm raised reaches its end.
		Eventually.within(SETTLE).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
			assertThat(storm.allResolved()).as("every group's alerts accepted and resolved").isTrue();
			Ledger ledger = Ledger.read(cluster.infrastructure(), channels);
			assertThat(ledger.stormIncidents().values()).allSatisfy((incidents) -> assertThat(incidents)
				.allSatisfy((incident) -> assertThat(incident.getStatus()).isEqualTo(IncidentStatus.RESOLVED)));
			assertThat(ledger.deliveryStatuses()).doesNotContainKeys("PENDING", "SENDING");
			assertThat(ledger.attemptsByStatus()).doesNotContainKeys("STARTED", "GATHERING", "VERIFYING");
			assertThat(ledger.projected()).hasSameSizeAs(ledger.incidents());
		});
		Ledger settled = Ledger.read(cluster.infrastructure(), channels);
		log.info("The storm: {} groups, {} posts, {} incidents, {} events, deliveries {}, attempts {}",
				storm.groups().size(), storm.posts().size(), settled.incidents().size(), settled.events().size(),
				settled.deliveryStatuses(), settled.attemptsByStatus());
		assertInvariants(storm, settled);

		// 5. Replay: incident-store from empty state directories, the projection emptied
		// and rebuilt under a new group from the beginning of both topics. Nothing
		// changes, nobody hears anything.
		String replayGroup = "firebreak-incident-projection-replay";
		fault("replay: fresh state directories, projection group from the start", () -> {
			for (Instance store : cluster.instances("incident-store")) {
				store.stop();
			}
			cluster.emptyProjection();
			for (Instance store : cluster.instances("incident-store")) {
				Cluster.delete(this.work.resolve("state").resolve(store.name()));
				store.set("firebreak.projection.group-id", replayGroup);
				store.start();
			}
			cluster.instances("incident-store").forEach(Instance::awaitReady);
		});
		Map<TopicPartition, Long> projectedUpTo = committed(cluster, "firebreak-incident-projection");
		Eventually.within(Duration.ofMinutes(2))
			.pollInterval(Duration.ofSeconds(2))
			.untilAsserted(() -> assertThat(committed(cluster, replayGroup)).as("where the replay has read up to")
				.isEqualTo(projectedUpTo));
		TimeUnit.SECONDS.sleep(5);
		Ledger replayed = Ledger.read(cluster.infrastructure(), channels);
		assertThat(replayed.encodedIncidents()).as("incidents after the replay").isEqualTo(settled.encodedIncidents());
		assertThat(replayed.events()).as("no event emitted again").hasSameSizeAs(settled.events());
		assertThat(replayed.projected()).as("the projection rebuilt").isEqualTo(settled.projected());
		assertThat(replayed.projectedEvents()).as("the timelines rebuilt").isEqualTo(settled.projectedEvents());
		assertThat(replayed.pagedRequests()).as("PagerDuty told nothing again").hasSameSizeAs(settled.pagedRequests());
		assertThat(replayed.slack()).as("Slack told nothing again").hasSameSizeAs(settled.slack());
		assertThat(replayed.mails()).as("no mail again").hasSameSizeAs(settled.mails());
		assertThat(replayed.runs()).as("no runbook run again").hasSameSizeAs(settled.runs());

		report(storm, replayed);
	}

	/** The invariants, exactly, on what the storm and the faults left. */
	private void assertInvariants(Storm storm, Ledger ledger) {
		Map<String, List<Incident>> incidents = ledger.stormIncidents();
		// Every alert answered 2xx is in exactly one incident, one per correlation group.
		assertThat(storm.posts()).as("posts never answered 2xx").noneMatch((post) -> post.accepted() == null);
		assertThat(incidents.keySet()).as("a group per incident")
			.isEqualTo(storm.groups().stream().map(Storm.Group::service).collect(Collectors.toSet()));
		for (Storm.Group group : storm.groups()) {
			assertThat(incidents.get(group.service())).as("incidents of %s", group.service())
				.singleElement()
				.satisfies((incident) -> {
					assertThat(incident.getCounts().getAlerts()).as("alerts of %s", group.service())
						.isEqualTo(group.accepted().size());
					assertThat(incident.getCounts().getResolved()).as("resolved alerts of %s", group.service())
						.isEqualTo(group.accepted().size());
					assertThat(incident.getStatus()).isEqualTo(IncidentStatus.RESOLVED);
				});
		}
		assertThat(storm.groups()).allSatisfy((group) -> assertThat(group.accepted()).hasSize(3));

		// The runbook is not idempotent: at most one run per incident.
		Set<String> stormIds = incidents.values()
			.stream()
			.flatMap(List::stream)
			.map(Incident::getId)
			.collect(Collectors.toSet());
		Map<String, Long> runs = ledger.runsByIncident();
		assertThat(runs.keySet()).as("runs for incidents of the storm").isSubsetOf(stormIds);
		assertThat(runs).as("runs per incident").allSatisfy((incident, count) -> assertThat(count).isOne());
		assertThat(ledger.attemptsByStatus()).as("attempts")
			.doesNotContainKeys("STARTED", "GATHERING", "VERIFYING", "AWAITING_APPROVAL");

		// Nothing the notifier was asked to send is left behind or given up.
		assertThat(ledger.deliveryStatuses()).as("deliveries by status")
			.doesNotContainKeys("PENDING", "SENDING", "FAILED");
		// Every message recorded as sent was received, and nothing that was not recorded.
		// A crash (or a pause past the lease) between a send and its record makes the
		// message go again: PagerDuty folds a repeat into the same alert (dedup_key),
		// Slack and email have no idempotency and show it twice. Repeats are counted,
		// bounded by the messages the notifiers had in flight, and reported.
		long inFlightBound = this.faults.stream().filter(Fault::mayRepeatMessages).count() * NOTIFIER_THREADS;
		Map<String, Long> sent = ledger.sent("PAGERDUTY");
		Map<String, Long> paged = ledger.paged();
		assertThat(paged.keySet()).as("PagerDuty's (dedup_key, event_action)").isEqualTo(sent.keySet());
		assertThat(sent).as("PagerDuty messages recorded as sent, each received")
			.allSatisfy((message, count) -> assertThat(paged.get(message)).isGreaterThanOrEqualTo(count));
		long pagerDutyRepeats = ledger.pagedRequests().size() - sum(sent);
		long slackRepeats = ledger.slack().size() - sum(ledger.sent("SLACK"));
		long mailRepeats = ledger.mails().size() - sum(ledger.sent("EMAIL"));
		log.info("Messages sent again after a crash or a pause: PagerDuty {}, Slack {}, email {} (bound {})",
				pagerDutyRepeats, slackRepeats, mailRepeats, inFlightBound);
		assertThat(List.of(pagerDutyRepeats, slackRepeats, mailRepeats)).as("repeats: PagerDuty, Slack, email")
			.allSatisfy((repeats) -> assertThat(repeats).isBetween(0L, inFlightBound));
		// PagerDuty's last word on every incident it heard of is resolve: no trigger
		// overtook it, or it would open the incident again.
		Map<String, String> lastWord = new TreeMap<>();
		ledger.pagedRequests()
			.forEach((request) -> lastWord.put(request.body().path("dedup_key").asString(),
					request.body().path("event_action").asString()));
		lastWord.keySet().retainAll(stormIds);
		assertThat(lastWord).as("PagerDuty's last event action per incident")
			.allSatisfy((incident, action) -> assertThat(action).isEqualTo("resolve"));

		// The projection equals the topic.
		Map<String, Ledger.Projected> topic = ledger.incidents()
			.values()
			.stream()
			.collect(Collectors.toMap((incident) -> incident.getId(),
					(incident) -> new Ledger.Projected(incident.getVersion(), incident.getStatus().name())));
		assertThat(ledger.projected()).as("the projection").isEqualTo(topic);
		assertThat(ledger.events()).as("events on firebreak.incident-events, by (incident, sequence)")
			.extracting((event) -> event.getIncidentId() + "#" + event.getSequence())
			.doesNotHaveDuplicates();
		assertThat(ledger.projectedEvents()).as("events in the projection").isEqualTo(ledger.events().size());
	}

	private static long sum(Map<String, Long> counts) {
		return counts.values().stream().mapToLong(Long::longValue).sum();
	}

	/** Each fault's figures, logged and written to target/fault-figures.md. */
	private void report(Storm storm, Ledger ledger) throws Exception {
		Map<String, Instant> pagedAt = new TreeMap<>();
		ledger.pagedRequests()
			.stream()
			.filter((request) -> request.body().path("event_action").asString().equals("trigger"))
			.forEach((request) -> pagedAt.putIfAbsent(request.body().path("dedup_key").asString(), request.at()));
		Map<String, String> incidentOf = ledger.stormIncidents()
			.entrySet()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, (entry) -> entry.getValue().get(0).getId()));
		StringBuilder figures = new StringBuilder(
				"| fault | lasted | longest wait for a 2xx | groups raised during it: paged, slowest from alert to page | repeated requests (PagerDuty, Slack) |\n"
						+ "| --- | --- | --- | --- | --- |\n");
		for (int i = 0; i < this.faults.size(); i++) {
			Fault fault = this.faults.get(i);
			Instant until = (i + 1 < this.faults.size()) ? this.faults.get(i + 1).start() : Instant.MAX;
			Duration longestWait = storm.posts()
				.stream()
				.filter((post) -> !post.first().isBefore(fault.start()) && post.first().isBefore(fault.end()))
				.map(Storm.Post::waited)
				.max(Duration::compareTo)
				.orElse(Duration.ZERO);
			List<Storm.Group> during = storm.groups()
				.stream()
				.filter((group) -> !group.openedAt().isBefore(fault.start()) && group.openedAt().isBefore(fault.end()))
				.toList();
			List<Duration> toPage = during.stream()
				.filter((group) -> pagedAt.containsKey(incidentOf.get(group.service())))
				.map((group) -> Duration.between(group.openedAt(), pagedAt.get(incidentOf.get(group.service()))))
				.toList();
			log.info("{}: groups raised during it, alert to page: {}", fault.name(),
					during.stream()
						.map((group) -> group.service() + " " + incidentOf.get(group.service()) + " opened "
								+ group.openedAt() + " paged " + pagedAt.get(incidentOf.get(group.service())))
						.toList());
			String slowestPage = toPage.stream()
				.max(Duration::compareTo)
				.map((slowest) -> "%d of %d, slowest %d s".formatted(toPage.size(), during.size(), slowest.toSeconds()))
				.orElse("none of " + during.size());
			figures.append("| %s | %d s | %.1f s | %s | %d, %d |\n".formatted(fault.name(), fault.lasted().toSeconds(),
					longestWait.toMillis() / 1000.0, slowestPage,
					repeatsBetween(ledger.pagedRequests(), fault.start(), until),
					repeatsBetween(ledger.slack(), fault.start(), until)));
		}
		figures.append(("%nGroups %d, posts %d (retried %d), incidents %d, events %d, runbook runs %d; "
				+ "PagerDuty %d requests, Slack %d, email %d%n")
			.formatted(storm.groups().size(), storm.posts().size(),
					storm.posts().stream().filter((post) -> post.attempts() > 1).count(),
					ledger.stormIncidents().size(), ledger.events().size(), ledger.runs().size(),
					ledger.pagedRequests().size(), ledger.slack().size(), ledger.mails().size()));
		log.info("Fault figures:\n{}", figures);
		Files.writeString(Path.of("target", "fault-figures.md"), figures);
	}

	private static long repeatsBetween(List<ChannelStandIn.Received> received, Instant from, Instant until) {
		List<String> bodies = new ArrayList<>();
		long repeats = 0;
		for (ChannelStandIn.Received request : received) {
			String body = request.body().toString();
			if (!request.at().isBefore(from) && request.at().isBefore(until) && bodies.contains(body)) {
				repeats++;
			}
			bodies.add(body);
		}
		return repeats;
	}

	/** Runs a fault, timing it. */
	private void fault(String name, Action action) throws Exception {
		log.info("Fault: {}", name);
		Instant start = Instant.now();
		action.run();
		Fault fault = new Fault(name, start, Instant.now());
		this.faults.add(fault);
		log.info("Fault over: {} ({} s)", name, fault.lasted().toSeconds());
	}

	/** The offsets a consumer group has committed. */
	private static Map<TopicPartition, Long> committed(Cluster cluster, String group) throws Exception {
		try (Admin admin = Admin
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.infrastructure().bootstrapServers()))) {
			return admin.listConsumerGroupOffsets(group)
				.partitionsToOffsetAndMetadata()
				.get()
				.entrySet()
				.stream()
				.collect(Collectors.toMap(Map.Entry::getKey, (entry) -> entry.getValue().offset()));
		}
	}

	private Path writeRunbook(ChannelStandIn target) throws Exception {
		Path runbooks = Files.createDirectories(this.work.resolve("runbooks"));
		Files.writeString(runbooks.resolve("storm.yaml"),
				"""
						id: storm-restart
						description: Restart the storm's service; the target logs every run
						match: { labels: { alertname: %s } }
						action: { type: http, method: POST, url: "%s/{{incident.id}}", body: "{}", timeout: 5s }
						target: "{{labels.service}}"
						guardrails: { dryRun: false, idempotent: false, maxAttempts: 1, circuitBreaker: { failures: 100000, window: 1m } }
						verification: { window: 5s }
						"""
					.formatted(Storm.ALERTNAME, target.url("/run")));
		return runbooks;
	}

	@FunctionalInterface
	private interface Action {

		void run() throws Exception;

	}

	/** A fault, from its start until it was over. */
	private record Fault(String name, Instant start, Instant end) {

		Duration lasted() {
			return Duration.between(this.start, this.end);
		}

		/**
		 * A fault that may leave a notifier's messages sent but not recorded: a notifier
		 * died or stalled, or its database went away.
		 */
		boolean mayRepeatMessages() {
			return this.name.contains("notifier") || this.name.contains("SIGSTOP") || this.name.contains("PostgreSQL");
		}

	}

	/** The stand-ins, as the ledger reads them. */
	private record StandIns(ChannelStandIn pagerDuty, ChannelStandIn slack, ChannelStandIn target,
			GreenMail smtp) implements Ledger.Channels {

		@Override
		public List<String> mails() throws Exception {
			List<String> mails = new ArrayList<>();
			for (MimeMessage message : this.smtp.getReceivedMessages()) {
				mails.add(message.getSubject() + "\n" + GreenMailUtil.getBody(message));
			}
			return mails;
		}

	}

}
