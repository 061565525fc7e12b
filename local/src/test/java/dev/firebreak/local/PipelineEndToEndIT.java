package dev.firebreak.local;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentStatus;
import dev.firebreak.testkit.Teardown;
import dev.firebreak.testkit.ChannelStandIn;
import dev.firebreak.testkit.Eventually;
import dev.firebreak.testkit.ForkedProcess;

import static dev.firebreak.testkit.PackagedServices.ROOT;
import static dev.firebreak.testkit.PackagedServices.SERVICES;
import static dev.firebreak.testkit.PackagedServices.jar;
import static dev.firebreak.testkit.PackagedServices.java;
import static dev.firebreak.testkit.PackagedServices.randomHex;
import static dev.firebreak.testkit.PackagedServices.secondsSince;
import static dev.firebreak.testkit.KafkaBroker.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole pipeline on this machine, from a real Prometheus to the people told. A real
 * Prometheus evaluates seed 003's alert rules (only their {@code for:} shortened) against
 * two scrape targets: {@code checkout}, which is down, and {@code node}, whose disk is
 * 96% full. A real Alertmanager posts its webhook to alert-ingest with a bearer token.
 * The four services run as their packaged jars on a Kafka broker and a PostgreSQL started
 * as {@code ./firebreak up} starts them; Slack and PagerDuty are local HTTP servers that
 * check what they receive, email goes to a real SMTP server (GreenMail), and a downstream
 * consumer reads {@code firebreak.incidents} with {@code read_committed}.
 *
 * <p>
 * The checkout incident opens (SEV2, from {@code severity: critical}); the runbook's
 * command starts the missing service for real; Prometheus sees it up, the alert resolves
 * and the incident resolves by itself, with the remediation in its timeline.
 *
 * <p>
 * The other tests load seed 000's rules against a stopped database, and all five seeds'
 * rules together, one alert of each firing.
 *
 * <p>
 * Needs Debian's {@code prometheus} and {@code prometheus-alertmanager} ({@code .ci/run}
 * installs them); without them it skips, saying so. Run by {@code ./mvnw verify} once the
 * services are packaged.
 */
class PipelineEndToEndIT {

	/** A host whose /var/log is 96% full: DiskSpaceHigh. */
	private static final String FULL_DISK = """
			# TYPE node_filesystem_size_bytes gauge
			node_filesystem_size_bytes{device="sda1",mountpoint="/var/log"} 100000000000
			# TYPE node_filesystem_free_bytes gauge
			node_filesystem_free_bytes{device="sda1",mountpoint="/var/log"} 4000000000
			""";

	/**
	 * A Docker host's cAdvisor: the compose service web's container uses 3GiB (seed 000's
	 * HighMemoryUsage), the database's 1GiB; no memory limits, no CPU.
	 */
	private static final String CONTAINER_OVER_2GIB = """
			# TYPE container_memory_working_set_bytes gauge
			container_memory_working_set_bytes{id="/docker/abc",image="checker:1.1",name="checker-web-1",container_label_com_docker_compose_service="web"} 3221225472
			container_memory_working_set_bytes{id="/docker/def",image="postgres:16",name="checker-db-1",container_label_com_docker_compose_service="db"} 1073741824
			""";

	/** The five seeds' rule files, as deploy/prometheus/rules ships them. */
	private static final List<String> SEED_RULES = List.of("rules/seed-000-website-checker.yml",
			"rules/seed-001-audit-app.yml", "rules/seed-002-analytics-platform.yml", "rules/seed-003-selextract.yml",
			"rules/seed-004-fraiseql.yml");

	private static final Logger log = LoggerFactory.getLogger(PipelineEndToEndIT.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	@TempDir
	Path work;

	/** What the test started, stopped in reverse order. */
	private final Teardown started = new Teardown();

	private String operatorToken;

	/** The secret PagerDuty signs its webhooks to the notifier with. */
	private final String pagerDutyWebhookSecret = randomHex(16);

	private int storePort;

	@AfterEach
	void stopEverything() {
		this.started.close();
	}

	@Test
	void prometheusAlertOpensAnIncidentThatTheRunbookResolvesAndEveryChannelHearsOf() throws Exception {
		int checkoutPort = freePort();
		Pipeline pipeline = startPipeline(writeRunbook(checkoutPort));
		ChannelStandIn slack = pipeline.slack();
		ChannelStandIn pagerDuty = pipeline.pagerDuty();
		GreenMail smtp = pipeline.smtp();
		Downstream downstream = pipeline.downstream();

		// Work on the disks is under way: a window covers DiskSpaceHigh before it fires.
		Instant now = Instant.now();
		String window = """
				{"id": "disk-work", "name": "Disk work", "matchers": ["alertname=DiskSpaceHigh"],
				 "startsAt": "%s", "endsAt": "%s"}""".formatted(now.minusSeconds(60), now.plus(Duration.ofHours(1)));
		// 503 with Retry-After while the topology still takes its partitions: sent again.
		Eventually.within(Duration.ofSeconds(60))
			.until(() -> post("/api/v1/maintenance-windows", window).statusCode() == 202);
		Eventually.within(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(api("/api/v1/maintenance-windows").findValues("activeNow"))
				.map(JsonNode::asBoolean)
				.containsExactly(true));

		ScrapeTarget node = this.started.add(ScrapeTarget.start(0, FULL_DISK));
		Alerting alerting = startAlerting(pipeline, (alertmanagerPort) -> writePrometheusConfig(alertmanagerPort,
				"alert_rules.yml", Map.of("checkout", checkoutPort, "node", node.port())));
		int prometheusPort = alerting.prometheusPort();
		long prometheusStarted = alerting.startedAt();

		// Both incidents open with the severity that severity: critical maps to.
		AtomicReference<String> checkout = new AtomicReference<>();
		AtomicReference<String> disk = new AtomicReference<>();
		Eventually.within(Duration.ofMinutes(3)).untilAsserted(() -> {
			checkout.set(downstream.incidentWith("job", "checkout").orElseThrow());
			// Node alerts are grouped per host (the shipped grouping rule "host").
			disk.set(downstream.incidentWith("instance", "127.0.0.1:" + node.port()).orElseThrow());
		});
		Incident opened = downstream.states(checkout.get()).get(0);
		assertThat(opened.getStatus()).isEqualTo(IncidentStatus.OPEN);
		assertThat(opened.getTitle()).contains("ServiceDown");
		assertThat(opened.getSeverity()).hasToString("SEV2");
		log.info("ServiceDown opened {} and DiskSpaceHigh {}, {} s after Prometheus started", checkout.get(),
				disk.get(), secondsSince(prometheusStarted));
		Eventually.within(Duration.ofSeconds(30)).untilAsserted(() -> {
			JsonNode diskIncident = api("/api/v1/incidents/" + disk.get());
			assertThat(diskIncident.path("title").asString()).contains("DiskSpaceHigh");
			assertThat(diskIncident.path("severity").asString()).isEqualTo("SEV2");
			assertThat(diskIncident.path("status").asString()).isEqualTo("OPEN");
			assertThat(diskIncident.path("inMaintenance").asBoolean()).isTrue();
			assertThat(diskIncident.path("groupingRule").asString()).isEqualTo("host");
		});
		assertThat(downstream.states(disk.get()).get(0).getInMaintenance()).as("already when it opened").isTrue();

		// The runbook started the missing service, Prometheus saw it up, and the incident
		// resolved by itself with the remediation in its timeline.
		Eventually.within(Duration.ofMinutes(3)).untilAsserted(() -> {
			assertThat(api("/api/v1/incidents/" + checkout.get()).path("status").asString()).isEqualTo("RESOLVED");
			assertThat(timelineTypes(checkout.get())).contains("REMEDIATION_SUCCEEDED");
		});
		log.info("{} resolved {} s after Prometheus started; its timeline: {}", checkout.get(),
				secondsSince(prometheusStarted), timelineTypes(checkout.get()));
		long pid = Long.parseLong(Files.readString(this.work.resolve("checkout.pid")).trim());
		this.started.add(() -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
		assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
		JsonNode up = get("http://127.0.0.1:" + prometheusPort + "/api/v1/query?query=up%7Bjob%3D%22checkout%22%7D",
				null);
		assertThat(up.path("data").path("result").get(0).path("value").get(1).asString()).isEqualTo("1");
		List<JsonNode> timeline = new ArrayList<>();
		api("/api/v1/incidents/" + checkout.get() + "/timeline").forEach(timeline::add);
		assertThat(timeline).map((entry) -> entry.path("type").asString())
			.containsSubsequence("OPENED", "REMEDIATION_STARTED", "ALERT_RESOLVED", "RESOLVED")
			.contains("REMEDIATION_SUCCEEDED");
		assertThat(timeline).filteredOn((entry) -> entry.path("type").asString().startsWith("REMEDIATION_"))
			.allSatisfy((entry) -> assertThat(entry.path("details").path("runbook").asString())
				.isEqualTo("start-checkout"));
		assertThat(timeline).filteredOn((entry) -> entry.path("type").asString().equals("RESOLVED"))
			.singleElement()
			.satisfies((entry) -> assertThat(entry.path("actorKind").asString()).isNotEqualTo("OPERATOR"));

		// Automation first: the runbook fixed it within its window, so nobody was paged.
		// Slack heard it open (the runbook having its turn) and resolve, an email reached
		// the SMTP server, and PagerDuty was held, as the timeline says.
		Eventually.within(Duration.ofMinutes(1)).untilAsserted(() -> {
			assertThat(slack.received()).map((request) -> request.body().path("text").asString())
				.anySatisfy((text) -> assertThat(text).contains(checkout.get(), "Opened", "auto-remediation first"))
				.anySatisfy((text) -> assertThat(text).contains(checkout.get(), "Resolved"));
			assertThat(smtp.getReceivedMessages()).extracting(MimeMessage::getSubject)
				.anySatisfy((subject) -> assertThat(subject).contains(checkout.get()));
			List<JsonNode> told = new ArrayList<>();
			api("/api/v1/incidents/" + checkout.get() + "/timeline").forEach(told::add);
			assertThat(told).filteredOn((entry) -> entry.path("type").asString().equals("NOTIFICATION_SUPPRESSED"))
				.filteredOn((entry) -> entry.path("details").path("channel").asString().equals("PAGERDUTY"))
				.isNotEmpty()
				.allSatisfy((entry) -> assertThat(entry.path("reason").asString())
					.isEqualTo("held: automation first, a runbook has its turn before anyone is paged"));
		});
		assertThat(timelineTypes(checkout.get())).doesNotContain("AUTOMATION_ENDED");
		assertThat(slack.problems()).isEmpty();
		assertThat(pagerDuty.problems()).isEmpty();

		// The incident that opened inside the window: nothing run, nobody told, and its
		// timeline says so.
		Eventually.within(Duration.ofMinutes(1))
			.untilAsserted(() -> assertThat(timelineTypes(disk.get())).containsExactlyInAnyOrder("OPENED",
					"ESCALATION_CLOCK_SET", "MAINTENANCE_SUPPRESSED", "REMEDIATION_SKIPPED", "NOTIFICATION_SUPPRESSED",
					"NOTIFICATION_SUPPRESSED", "NOTIFICATION_SUPPRESSED"));
		List<JsonNode> diskTimeline = new ArrayList<>();
		api("/api/v1/incidents/" + disk.get() + "/timeline").forEach(diskTimeline::add);
		assertThat(diskTimeline).map((entry) -> entry.path("type").asString())
			.startsWith("OPENED", "ESCALATION_CLOCK_SET", "MAINTENANCE_SUPPRESSED");
		assertThat(diskTimeline).filteredOn((entry) -> entry.path("type").asString().equals("NOTIFICATION_SUPPRESSED"))
			.map((entry) -> entry.path("details").path("channel").asString())
			.containsExactlyInAnyOrder("SLACK", "EMAIL", "PAGERDUTY");
		assertThat(diskTimeline).filteredOn((entry) -> entry.path("type").asString().equals("REMEDIATION_SKIPPED"))
			.singleElement()
			.satisfies((entry) -> assertThat(entry.path("reason").asString())
				.isEqualTo("the incident is in maintenance window disk-work"));
		assertThat(this.work.resolve("cleaned")).as("the disk runbook never ran").doesNotExist();
		assertThat(pagerDuty.received()).as("one incident fixed by its runbook, one in maintenance: no page").isEmpty();
		assertThat(slack.received()).map((request) -> request.body().toString())
			.noneSatisfy((text) -> assertThat(text).contains(disk.get()));
		assertThat(smtp.getReceivedMessages()).extracting(MimeMessage::getSubject)
			.noneSatisfy((subject) -> assertThat(subject).contains(disk.get()));

		// The downstream consumer saw each state once, in order, ending where the API is
		// (once the last notifications' outcomes, which come after the resolution, are
		// in).
		Eventually.within(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(downstream.states(checkout.get())).last()
				.satisfies((last) -> assertThat(last.getVersion())
					.isEqualTo(api("/api/v1/incidents/" + checkout.get()).path("version").asLong())));
		JsonNode resolved = api("/api/v1/incidents/" + checkout.get());
		assertThat(downstream.incidentIds()).as("no other rule fired").containsOnly(checkout.get(), disk.get());
		List<Incident> states = downstream.states(checkout.get());
		assertThat(states).map(Incident::getVersion).isSorted().doesNotHaveDuplicates();
		assertThat(states).map(Incident::getStatus)
			.containsSubsequence(IncidentStatus.OPEN, IncidentStatus.RESOLVED)
			.last()
			.isEqualTo(IncidentStatus.RESOLVED);
		assertThat(states.get(states.size() - 1).getSeverity()).hasToString(resolved.path("severity").asString());
	}

	/**
	 * The dead man's switch, on a shortened interval (silent after 15 s): Prometheus
	 * fires deploy/'s Watchdog, Alertmanager sends it to Firebreak every two seconds, and
	 * it is never an incident. Prometheus stops: Alertmanager resolves the heartbeat and
	 * stops sending it, and Firebreak opens a SEV1 incident saying the alerting pipeline
	 * is silent, told on every configured channel (Slack, PagerDuty, email). Prometheus
	 * returns: the heartbeat does, and the incident resolves, on PagerDuty too.
	 */
	@Test
	void whenTheHeartbeatStopsTheAlertingPipelineIsSilentAndEveryChannelHearsOfIt() throws Exception {
		int alertmanagerPort = freePort();
		Pipeline pipeline = startPipeline(writeAlertingCheckRunbook(alertmanagerPort),
				"--firebreak.incidents.heartbeat.silent-after=15s", "--firebreak.incidents.review-tick=1s");
		Downstream downstream = pipeline.downstream();
		// A short resend delay: the alerts Prometheus sends end 4 s after its last
		// evaluation, so that Alertmanager notices its death in seconds rather than
		// minutes.
		Alerting alerting = startAlerting(pipeline, alertmanagerPort, (port) -> writePrometheusConfig(port,
				List.of("rules/watchdog.yml"), Map.of(), pipeline.ports().values()), "--rules.alert.resend-delay=1s");

		// Heartbeats arrive, are acknowledged by alert-ingest, and open nothing.
		Eventually.within(Duration.ofMinutes(1))
			.untilAsserted(() -> assertThat(promValue(alerting,
					"sum(firebreak_alerts_publish_seconds_count{job=\"firebreak\", outcome=\"acknowledged\"})"))
				.isGreaterThanOrEqualTo(3));
		assertThat(downstream.incidentIds()).as("the heartbeat is never an incident").isEmpty();

		alerting.prometheus().kill();
		long stopped = System.nanoTime();
		AtomicReference<String> silent = new AtomicReference<>();
		Eventually.within(Duration.ofMinutes(2))
			.untilAsserted(() -> silent.set(downstream.incidentWith("service", "prometheus").orElseThrow()));
		log.info("The heartbeat stopped; {} opened {} s later", silent.get(), secondsSince(stopped));
		JsonNode incident = api("/api/v1/incidents/" + silent.get());
		assertThat(incident.path("title").asString())
			.isEqualTo("AlertingPipelineSilent: alerting pipeline silent, no Watchdog heartbeat for 15s");
		assertThat(incident.path("severity").asString()).isEqualTo("SEV1");
		assertThat(incident.path("status").asString()).isEqualTo("OPEN");
		Eventually.within(Duration.ofMinutes(1)).untilAsserted(() -> {
			assertThat(pagedIncidents(pipeline.pagerDuty())).containsExactly(silent.get());
			assertThat(pipeline.slack().received()).map((request) -> request.body().toString())
				.anySatisfy((text) -> assertThat(text).contains(silent.get(), "alerting pipeline silent"));
			assertThat(mailTexts(pipeline.smtp(), silent.get()))
				.anySatisfy((text) -> assertThat(text).contains("no Watchdog heartbeat for 15s"));
		});

		// Firebreak checked Alertmanager, which is up: Prometheus is the broken part.
		Eventually.within(Duration.ofMinutes(1)).untilAsserted(() -> {
			JsonNode finding = api("/api/v1/incidents/" + silent.get()).path("findings").path(0);
			assertThat(finding.path("runbook").asString()).isEqualTo("check-alerting");
			assertThat(finding.path("succeeded").asBoolean()).isTrue();
		});

		restartPrometheus(alerting);
		Eventually.within(Duration.ofMinutes(2)).untilAsserted(() -> {
			assertThat(api("/api/v1/incidents/" + silent.get()).path("status").asString()).isEqualTo("RESOLVED");
			assertThat(pipeline.pagerDuty().received())
				.filteredOn((request) -> request.body().path("dedup_key").asString().equals(silent.get()))
				.map((request) -> request.body().path("event_action").asString())
				.containsSubsequence("trigger", "resolve");
		});
		assertThat(downstream.incidentIds()).as("the heartbeat is never an incident").containsExactly(silent.get());
		assertThat(pipeline.pagerDuty().problems()).isEmpty();
		assertThat(pipeline.slack().problems()).isEmpty();

		// Firebreak's dashboard shows this run: a request refused (no token), a record
		// nobody can decode dead-lettered, and every panel's expression has data.
		HttpResponse<String> anonymous = HTTP
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pipeline.ingestPort() + "/api/v2/alerts"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("[]"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(anonymous.statusCode()).isEqualTo(401);
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers()), new StringSerializer(),
				new StringSerializer())) {
			producer.send(new ProducerRecord<>(Topics.ALERTS.name(), "not-avro", "not an alert")).get();
		}
		assertEveryDashboardExpressionHasData(alerting);
	}

	/**
	 * Seed 000's and seed 001's architecture: the API and the ETL jobs need PostgreSQL
	 * (Firebreak's shipped dependencies). The database stops; Prometheus evaluates seed
	 * 000's rules as deploy/ has them: DatabaseDown, and HighErrorRate of the API and of
	 * the ETL jobs, whose requests fail. One remediation (the database's restart, which
	 * does not bring it back), one page (the database's), and the dependents' incidents
	 * inhibited by it, linked both ways, told nobody and not remediated. Restored,
	 * everything resolves and nobody else was paged.
	 */
	@Test
	void aStoppedDatabaseIsOneRemediationAndOnePageAndItsDependentsAreInhibited() throws Exception {
		AtomicBoolean databaseUp = new AtomicBoolean(false);
		Path restarts = this.work.resolve("database-restarts");
		Pipeline pipeline = startPipeline(writeDatabaseRunbook(restarts));
		ChannelStandIn pagerDuty = pipeline.pagerDuty();
		Downstream downstream = pipeline.downstream();
		ScrapeTarget postgres = this.started
			.add(ScrapeTarget.start(0, () -> "# TYPE pg_up gauge\npg_up " + (databaseUp.get() ? 1 : 0) + "\n"));
		ScrapeTarget api = this.started.add(ScrapeTarget.start(0, requestsFailingWhileDown(databaseUp)));
		ScrapeTarget etl = this.started.add(ScrapeTarget.start(0, requestsFailingWhileDown(databaseUp)));
		startAlerting(pipeline,
				(alertmanagerPort) -> writePrometheusConfig(alertmanagerPort, "rules/seed-000-website-checker.yml",
						Map.of("postgres", postgres.port(), "api", api.port(), "etl", etl.port())));

		AtomicReference<String> database = new AtomicReference<>();
		AtomicReference<List<String>> symptoms = new AtomicReference<>();
		Eventually.within(Duration.ofMinutes(3)).untilAsserted(() -> {
			database.set(downstream.incidentWith("service", "postgres").orElseThrow());
			symptoms.set(List.of(downstream.incidentWith("service", "api").orElseThrow(),
					downstream.incidentWith("service", "etl").orElseThrow()));
		});
		log.info("DatabaseDown opened {}; the API's and ETL's errors {}", database.get(), symptoms.get());

		// The dependents are symptoms of the database's outage, linked both ways.
		Eventually.within(Duration.ofMinutes(2)).untilAsserted(() -> {
			for (String symptom : symptoms.get()) {
				JsonNode inhibition = api("/api/v1/incidents/" + symptom).path("inhibition");
				assertThat(inhibition.path("state").asString()).isEqualTo("INHIBITED");
				assertThat(inhibition.path("inhibitedBy").asString()).isEqualTo(database.get());
			}
			assertThat(strings(api("/api/v1/incidents/" + database.get()).path("inhibition").path("inhibits")))
				.containsExactlyInAnyOrderElementsOf(symptoms.get());
		});

		// PagerDuty was paged for the database alone (seed 000's P1 pages at once); its
		// runbook restarted it once, and it did not come back.
		Eventually.within(Duration.ofMinutes(2)).untilAsserted(() -> {
			assertThat(timelineTypes(database.get())).contains("REMEDIATION_STARTED", "REMEDIATION_FAILED");
			assertThat(pagedIncidents(pagerDuty)).containsExactly(database.get());
		});
		assertThat(Files.readAllLines(restarts)).as("one remediation").hasSize(1);

		// What the runbook's check found is on the incident, and people read it.
		JsonNode finding = api("/api/v1/incidents/" + database.get()).path("findings").path(0);
		assertThat(finding.path("runbook").asString()).isEqualTo("restart-database");
		assertThat(finding.path("step").asString()).isEqualTo("ready");
		assertThat(finding.path("succeeded").asBoolean()).isFalse();
		assertThat(finding.path("output").asString()).contains("exitCode: 2", ":5432 - no response");
		Eventually.within(Duration.ofMinutes(1)).untilAsserted(() -> {
			assertThat(pipeline.slack().received()).map((request) -> request.body().toString())
				.anySatisfy((text) -> assertThat(text).contains(database.get(), "What Firebreak found",
						"ready (runbook restart-database)", ":5432 - no response"));
			assertThat(mailTexts(pipeline.smtp(), database.get()))
				.anySatisfy((text) -> assertThat(text).contains("What Firebreak found", ":5432 - no response"));
		});
		for (String symptom : symptoms.get()) {
			List<JsonNode> timeline = new ArrayList<>();
			api("/api/v1/incidents/" + symptom + "/timeline").forEach(timeline::add);
			assertThat(timeline).filteredOn((entry) -> entry.path("type").asString().equals("INHIBITED"))
				.singleElement()
				.satisfies((entry) -> assertThat(entry.path("reason").asString())
					.startsWith("not paged: inhibited by " + database.get() + " DatabaseDown on postgres (rule "));
			assertThat(timeline).filteredOn((entry) -> entry.path("type").asString().equals("NOTIFICATION_SUPPRESSED"))
				.isNotEmpty()
				.allSatisfy((entry) -> assertThat(entry.path("reason").asString()).satisfiesAnyOf(
						(reason) -> assertThat(reason).startsWith("inhibited by " + database.get() + " (rule "),
						(reason) -> assertThat(reason).startsWith("held: it may be a symptom")));
			assertThat(timeline).map((entry) -> entry.path("type").asString())
				.noneSatisfy((type) -> assertThat(type).startsWith("REMEDIATION_"));
		}

		// The one paged acknowledges it in PagerDuty: PagerDuty's signed webhook reaches
		// the
		// notifier, the incident is acknowledged by them, and nothing goes back to
		// PagerDuty.
		String webhook = """
				{"event":{"id":"01E2EACK%s","event_type":"incident.acknowledged","resource_type":"incident",
				"occurred_at":"%s","agent":{"id":"PLH1HKV","summary":"Paula Pager","type":"user_reference"},
				"data":{"id":"PGR0VU2","type":"incident","status":"acknowledged","incident_key":"%s"}}}"""
			.formatted(randomHex(4), Instant.now(), database.get());
		HttpResponse<String> taken = HTTP.send(HttpRequest
			.newBuilder(URI
				.create("http://127.0.0.1:" + pipeline.ports().get("notifier") + "/api/v1/integrations/pagerduty"))
			.header("Content-Type", "application/json")
			.header("X-PagerDuty-Signature", "v1=" + hmacSha256(this.pagerDutyWebhookSecret, webhook))
			.POST(HttpRequest.BodyPublishers.ofString(webhook))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(taken.statusCode()).as(taken.body()).isEqualTo(202);
		Eventually.within(Duration.ofMinutes(1)).untilAsserted(() -> {
			JsonNode incident = api("/api/v1/incidents/" + database.get());
			assertThat(incident.path("status").asString()).isEqualTo("ACKNOWLEDGED");
			assertThat(incident.path("acknowledgedBy").asString()).isEqualTo("Paula Pager (PagerDuty)");
			assertThat(timelineTypes(database.get())).contains("NOTIFICATION_SUPPRESSED");
			List<JsonNode> timeline = new ArrayList<>();
			api("/api/v1/incidents/" + database.get() + "/timeline").forEach(timeline::add);
			assertThat(timeline)
				.filteredOn((entry) -> entry.path("type").asString().equals("NOTIFICATION_SUPPRESSED")
						&& entry.path("details").path("channel").asString().equals("PAGERDUTY"))
				.anySatisfy((entry) -> assertThat(entry.path("reason").asString()).contains("came from PagerDuty"));
		});
		assertThat(pagerDuty.received()).map((request) -> request.body().path("event_action").asString())
			.as("no acknowledgement echoed to PagerDuty")
			.doesNotContain("acknowledge");

		// An operator restores the database: the outage and its symptoms resolve, and
		// the one page is resolved with it.
		databaseUp.set(true);
		Eventually.within(Duration.ofMinutes(3)).untilAsserted(() -> {
			for (String incident : List.of(database.get(), symptoms.get().get(0), symptoms.get().get(1))) {
				assertThat(api("/api/v1/incidents/" + incident).path("status").asString()).as(incident)
					.isEqualTo("RESOLVED");
			}
			assertThat(pagerDuty.received()).map((request) -> request.body().path("event_action").asString())
				.contains("resolve");
		});
		assertThat(pagedIncidents(pagerDuty)).as("nobody was paged for a symptom").containsExactly(database.get());
		assertThat(pagerDuty.problems()).isEmpty();
		assertThat(pipeline.slack().problems()).isEmpty();
		assertThat(downstream.incidentIds()).as("no other rule fired")
			.containsExactlyInAnyOrder(database.get(), symptoms.get().get(0), symptoms.get().get(1));
	}

	/**
	 * All five seeds' shipped rule files in one Prometheus (only their {@code for:} and
	 * rate ranges shortened), and five exporters whose series each trip one rule of one
	 * seed: seed 000's HighMemoryUsage (cAdvisor: a container's working set over 2GiB),
	 * seed 001's RedisDown ({@code redis_up 0}), seed 002's JobsStuck (the oldest job in
	 * processing is 90 minutes old), seed 003's DiskSpaceHigh (/var/log 96% used, from
	 * size and free) and seed 004's SSLCertificateExpiring (20 days left: under seed
	 * 004's 30 days, over seed 003's 7). Each alert opens its own incident, titled by its
	 * rule's summary, carrying the labels its rule sets, with the severity SeverityPolicy
	 * gives them (seed 000's priority P3 over its severity info: SEV3; warning: SEV3;
	 * critical: SEV2). Every rule of the five files evaluates without error and no other
	 * one is pending or firing, and the downstream consumer sees these five incidents and
	 * no other.
	 */
	@Test
	void oneAlertOfEverySeedFiresThroughItsShippedRuleAndOpensItsOwnIncident() throws Exception {
		Pipeline pipeline = startPipeline(writeNoopRunbook());
		ScrapeTarget cadvisor = this.started.add(ScrapeTarget.start(0, CONTAINER_OVER_2GIB));
		ScrapeTarget redis = this.started.add(ScrapeTarget.start(0, "# TYPE redis_up gauge\nredis_up 0\n"));
		ScrapeTarget postgres = this.started.add(ScrapeTarget.start(0,
				"# TYPE jobs_processing_oldest_age_seconds gauge\njobs_processing_oldest_age_seconds 5400\n"));
		ScrapeTarget node = this.started.add(ScrapeTarget.start(0, FULL_DISK));
		ScrapeTarget blackbox = this.started.add(ScrapeTarget.start(0, certificateExpiringIn(Duration.ofDays(20))));
		Alerting alerting = startAlerting(pipeline,
				(alertmanagerPort) -> writePrometheusConfig(alertmanagerPort, SEED_RULES,
						Map.of("cadvisor", cadvisor.port(), "redis", redis.port(), "postgres", postgres.port(), "node",
								node.port(), "blackbox", blackbox.port())));
		List<SeedAlert> expected = List.of(
				new SeedAlert("000", "HighMemoryUsage", "SEV3", "High memory usage in container checker-web-1",
						Map.of("severity", "info", "priority", "P3", "service", "web", "container", "checker-web-1",
								"job", "cadvisor", "instance", instance(cadvisor))),
				new SeedAlert("001", "RedisDown", "SEV3", "Redis " + instance(redis) + " is down",
						Map.of("severity", "warning", "service", "redis", "job", "redis", "instance", instance(redis))),
				new SeedAlert("002", "JobsStuck", "SEV3", "Jobs stuck in processing",
						Map.of("severity", "warning", "service", "orchestrator", "datasource", "primary", "job",
								"postgres", "instance", instance(postgres))),
				new SeedAlert("003", "DiskSpaceHigh", "SEV2", "Disk space critically low",
						Map.of("severity", "critical", "service", "node", "mountpoint", "/var/log", "device", "sda1",
								"job", "node", "instance", instance(node))),
				new SeedAlert("004", "SSLCertificateExpiring", "SEV2",
						"Certificate fraiseql.example.org expires in less than 30 days",
						Map.of("severity", "critical", "service", "fraiseql", "cert_name", "fraiseql.example.org",
								"job", "blackbox", "instance", instance(blackbox))));

		// One incident per seed, found by the seed label of its alert.
		Map<String, String> incidents = new TreeMap<>();
		Eventually.within(Duration.ofMinutes(2)).untilAsserted(() -> {
			for (SeedAlert alert : expected) {
				JsonNode items = api(
						"/api/v1/incidents?match=" + URLEncoder.encode("seed=" + alert.seed(), StandardCharsets.UTF_8))
					.path("items");
				assertThat(items).as("incidents of seed %s", alert.seed()).hasSize(1);
				incidents.put(alert.seed(), items.get(0).path("id").asString());
			}
		});
		log.info("One incident per seed {}, {} s after Prometheus started", incidents,
				secondsSince(alerting.startedAt()));
		assertThat(Set.copyOf(incidents.values())).as("five incidents, not merged").hasSize(5);

		// Each as its rule says: title, severity, and the labels the rule sets.
		for (SeedAlert alert : expected) {
			JsonNode incident = api("/api/v1/incidents/" + incidents.get(alert.seed()));
			assertThat(incident.path("title").asString()).isEqualTo(alert.alertname() + ": " + alert.summary());
			assertThat(incident.path("severity").asString()).as(alert.alertname()).isEqualTo(alert.severity());
			assertThat(incident.path("status").asString()).isEqualTo("OPEN");
			assertThat(incident.path("alerts")).as(alert.alertname()).singleElement().satisfies((firing) -> {
				assertThat(firing.path("status").asString()).isEqualTo("FIRING");
				assertThat(labels(firing)).containsAllEntriesOf(alert.expectedLabels());
			});
		}

		// Prometheus evaluated every rule of the five files, and only these five fire.
		List<JsonNode> rules = prometheusRules(alerting.prometheusPort());
		assertThat(rules).allSatisfy((rule) -> assertThat(rule.path("health").asString())
			.as("%s of seed %s: %s", rule.path("name").asString(), seedOf(rule), rule.path("lastError").asString())
			.isEqualTo("ok"));
		Map<String, Long> loaded = rules.stream()
			.collect(Collectors.groupingBy(PipelineEndToEndIT::seedOf, TreeMap::new, Collectors.counting()));
		assertThat(loaded).as("alerting rules per seed").isEqualTo(rulesPerSeed());
		assertThat(rules).filteredOn((rule) -> !rule.path("state").asString().equals("inactive"))
			.map((rule) -> seedOf(rule) + " " + rule.path("name").asString() + " " + rule.path("state").asString())
			.containsExactlyInAnyOrderElementsOf(
					expected.stream().map((alert) -> alert.seed() + " " + alert.alertname() + " firing").toList());
		Eventually.within(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(pipeline.downstream().incidentIds()).as("no other rule fired")
				.containsExactlyInAnyOrderElementsOf(incidents.values()));
	}

	/**
	 * An application's request counters, ten requests a scrape: half fail while the
	 * database is down, none once it is up.
	 */
	private static Supplier<String> requestsFailingWhileDown(AtomicBoolean databaseUp) {
		AtomicLong succeeded = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		return () -> {
			succeeded.addAndGet(databaseUp.get() ? 10 : 5);
			failed.addAndGet(databaseUp.get() ? 0 : 5);
			return """
					# TYPE http_requests_total counter
					http_requests_total{status="200"} %d
					http_requests_total{status="500"} %d
					""".formatted(succeeded.get(), failed.get());
		};
	}

	/** One seed's alert as its rule makes it, and the severity its incident gets. */
	private record SeedAlert(String seed, String alertname, String severity, String summary,
			Map<String, String> labels) {

		/** The rule's labels, its alertname and seed, and Prometheus's external label. */
		Map<String, String> expectedLabels() {
			Map<String, String> expected = new TreeMap<>(this.labels);
			expected.put("alertname", this.alertname);
			expected.put("seed", this.seed);
			expected.put("cluster", "e2e");
			return expected;
		}

	}

	/**
	 * blackbox_exporter's probe of FraiseQL's health URL: a certificate that expires
	 * {@code left} from now.
	 */
	private static String certificateExpiringIn(Duration left) {
		return """
				# TYPE probe_ssl_earliest_cert_expiry gauge
				probe_ssl_earliest_cert_expiry{service="fraiseql",cert_name="fraiseql.example.org"} %d
				""".formatted(Instant.now().plus(left).getEpochSecond());
	}

	/** The instance label Prometheus gives the target. */
	private static String instance(ScrapeTarget target) {
		return "127.0.0.1:" + target.port();
	}

	private static Map<String, String> labels(JsonNode alert) {
		Map<String, String> labels = new TreeMap<>();
		alert.path("labels").properties().forEach((label) -> labels.put(label.getKey(), label.getValue().asString()));
		return labels;
	}

	/**
	 * Every expression of deploy/grafana/firebreak.json, evaluated by the Prometheus
	 * scraping this run's Firebreak: each has a finite value (no "No data" panel).
	 */
	private static void assertEveryDashboardExpressionHasData(Alerting alerting) throws Exception {
		JsonNode dashboard = JSON.readTree(Files.readString(ROOT.resolve("deploy/grafana/firebreak.json")));
		List<String> expressions = new ArrayList<>();
		dashboard.path("panels")
			.forEach((panel) -> panel.path("targets")
				.forEach((target) -> expressions.add(target.path("expr").asString())));
		assertThat(expressions).hasSizeGreaterThanOrEqualTo(12);
		Eventually.within(Duration.ofMinutes(1)).untilAsserted(() -> {
			for (String expression : expressions) {
				assertThat(promQuery(alerting, expression)).as(expression)
					.anySatisfy((sample) -> assertThat(Double.parseDouble(sample.path("value").path(1).asString()))
						.isFinite());
			}
		});
	}

	/** An instant query's single value (0 when it has no result). */
	private static double promValue(Alerting alerting, String query) throws Exception {
		JsonNode result = promQuery(alerting, query);
		return result.isEmpty() ? 0 : Double.parseDouble(result.path(0).path("value").path(1).asString());
	}

	/** An instant query's result, after checking Prometheus evaluated it. */
	private static JsonNode promQuery(Alerting alerting, String query) throws Exception {
		JsonNode response = get("http://127.0.0.1:" + alerting.prometheusPort() + "/api/v1/query?query="
				+ URLEncoder.encode(query, StandardCharsets.UTF_8), null);
		assertThat(response.path("status").asString()).as(query).isEqualTo("success");
		return response.path("data").path("result");
	}

	/** Every alerting rule Prometheus has loaded, with its state and health. */
	private static List<JsonNode> prometheusRules(int prometheusPort) throws Exception {
		List<JsonNode> rules = new ArrayList<>();
		get("http://127.0.0.1:" + prometheusPort + "/api/v1/rules?type=alert", null).path("data")
			.path("groups")
			.forEach((group) -> group.path("rules").forEach(rules::add));
		return rules;
	}

	private static String seedOf(JsonNode rule) {
		return rule.path("labels").path("seed").asString();
	}

	/** How many alerting rules each seed's file in deploy/ has. */
	private static Map<String, Long> rulesPerSeed() throws IOException {
		Map<String, Long> counts = new TreeMap<>();
		for (String rules : SEED_RULES) {
			String seed = Path.of(rules).getFileName().toString().substring("seed-".length(), "seed-000".length());
			counts.put(seed,
					Files.readString(ROOT.resolve("deploy/prometheus").resolve(rules))
						.lines()
						.filter((line) -> line.trim().startsWith("- alert: "))
						.count());
		}
		return counts;
	}

	/**
	 * When the alerting pipeline is silent, check that Alertmanager is ready: a
	 * diagnostic, whose answer reaches the incident.
	 */
	private Path writeAlertingCheckRunbook(int alertmanagerPort) throws IOException {
		Path runbooks = Files.createDirectories(this.work.resolve("runbooks"));
		Files.writeString(runbooks.resolve("check-alerting.yaml"), """
				id: check-alerting
				description: Check Alertmanager when the heartbeat stops
				match: { labels: { alertname: AlertingPipelineSilent } }
				steps:
				  - name: alertmanager
				    diagnostic: true
				    action: { type: http, method: GET, url: "http://127.0.0.1:%d/-/ready", timeout: 5s }
				""".formatted(alertmanagerPort));
		return runbooks;
	}

	/**
	 * The runbooks directory remediation-engine needs, with one runbook no alert of the
	 * test matches.
	 */
	private Path writeNoopRunbook() throws IOException {
		Path runbooks = Files.createDirectories(this.work.resolve("runbooks"));
		Files.writeString(runbooks.resolve("noop.yaml"), """
				id: noop
				match: { labels: { alertname: NeverFires } }
				action: { type: command, argv: [/bin/true] }
				""");
		return runbooks;
	}

	/** The incidents PagerDuty was asked to open: each trigger's dedup key, once each. */
	private static List<String> pagedIncidents(ChannelStandIn pagerDuty) {
		return pagerDuty.received()
			.stream()
			.filter((request) -> request.body().path("event_action").asString().equals("trigger"))
			.map((request) -> request.body().path("dedup_key").asString())
			.distinct()
			.toList();
	}

	/**
	 * Seed 000's P1 response to an unreachable database, in steps: check it (a
	 * diagnostic, whose answer reaches the incident and its notifications), then restart
	 * it when the check fails. The restart is recorded and does not bring it back.
	 */
	private Path writeDatabaseRunbook(Path restarts) throws IOException {
		Path script = Files.writeString(this.work.resolve("restart-database.sh"), """
				#!/bin/sh
				# Restarts the database: here, says so.
				echo "restart $1" >> "%s"
				""".formatted(restarts));
		Path runbooks = Files.createDirectories(this.work.resolve("runbooks"));
		Files.writeString(runbooks.resolve("restart-database.yaml"), """
				id: restart-database
				description: Restart the unreachable database (seed 000, P1)
				match:
				  labels: { alertname: DatabaseDown }
				steps:
				  - name: ready
				    diagnostic: true
				    continueOnFailure: true
				    action:
				      type: command
				      argv: [/bin/sh, -c, 'echo "$0:5432 - no response"; exit 2', "{{labels.instance}}"]
				      timeout: 10s
				  - name: restart
				    when: steps.ready.succeeded == false
				    action:
				      type: command
				      argv: [/bin/sh, "%s", "{{labels.instance}}"]
				      timeout: 30s
				parameters:
				  labels.instance: "^127\\\\.0\\\\.0\\\\.1:\\\\d+$"
				guardrails: { dryRun: false, cooldown: 10m, maxAttempts: 1 }
				verification: { window: 10s }
				""".formatted(script));
		return runbooks;
	}

	/** The text/plain parts, decoded, of the emails about an incident. */
	private static List<String> mailTexts(GreenMail smtp, String incidentId) throws Exception {
		List<String> texts = new ArrayList<>();
		for (MimeMessage message : smtp.getReceivedMessages()) {
			if (message.getSubject().contains(incidentId)) {
				texts.add(plainText(message));
			}
		}
		return texts;
	}

	/** A message's text/plain part, decoded. */
	private static String plainText(Part part) throws Exception {
		if (part.isMimeType("text/plain")) {
			return part.getContent().toString();
		}
		StringBuilder text = new StringBuilder();
		if (part.isMimeType("multipart/*")) {
			Multipart multipart = (Multipart) part.getContent();
			for (int i = 0; i < multipart.getCount(); i++) {
				text.append(plainText(multipart.getBodyPart(i)));
			}
		}
		return text.toString();
	}

	private static List<String> strings(JsonNode array) {
		List<String> strings = new ArrayList<>();
		array.forEach((element) -> strings.add(element.asString()));
		return strings;
	}

	/**
	 * Starts the broker, PostgreSQL, the stand-ins for the channels, a downstream
	 * consumer and the four packaged services with these runbooks, as
	 * {@code ./firebreak up} does; skips the test when Prometheus or Alertmanager is not
	 * installed.
	 */
	private Pipeline startPipeline(Path runbooks, String... incidentStoreSettings) throws Exception {
		Optional<String> prometheus = ForkedProcess.onPath("prometheus");
		Optional<String> alertmanager = ForkedProcess.onPath("prometheus-alertmanager")
			.or(() -> ForkedProcess.onPath("alertmanager"));
		String missing = "Prometheus or Alertmanager is not installed; install them with "
				+ "`apt-get install prometheus prometheus-alertmanager` (.ci/run does)";
		if (prometheus.isEmpty() || alertmanager.isEmpty()) {
			log.warn("Skipping the end-to-end test: {}", missing);
		}
		assumeTrue(prometheus.isPresent() && alertmanager.isPresent(), missing);
		for (String service : SERVICES) {
			assertThat(jar(service)).as("packaged %s (./mvnw verify packages it first)", service).exists();
		}

		LocalInfrastructure infrastructure = LocalInfrastructure.start(this.work.resolve("data"), freePort(),
				freePort(), freePort());
		this.started.add(infrastructure);
		GreenMail smtp = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		smtp.start();
		this.started.add(smtp::stop);
		ChannelStandIn slack = this.started.add(ChannelStandIn.slack());
		ChannelStandIn pagerDuty = this.started.add(ChannelStandIn.pagerDuty());
		Downstream downstream = this.started.add(new Downstream(infrastructure.bootstrapServers()));

		Path secrets = Files.createDirectories(this.work.resolve("secrets"));
		this.operatorToken = randomHex(24);
		Path operatorTokenFile = Files.writeString(secrets.resolve("operator-token"), this.operatorToken);
		Path alertmanagerTokenFile = Files.writeString(secrets.resolve("alertmanager-token"), randomHex(24));
		String routingKey = randomHex(16);

		this.storePort = freePort();
		int ingestPort = freePort();
		Map<String, Integer> ports = Map.of("incident-store", this.storePort, "remediation-engine", freePort(),
				"notifier", freePort(), "alert-ingest", ingestPort);
		Path adminTokenFile = Files.writeString(secrets.resolve("admin-token"), randomHex(24));
		List<String> incidentStore = new ArrayList<>(List.of("--firebreak.security.tokens[0].name=operator",
				"--firebreak.security.tokens[0].token-file=" + operatorTokenFile,
				"--firebreak.security.tokens[0].role=operator",
				"--spring.kafka.streams.state-dir=" + this.work.resolve("streams")));
		incidentStore.addAll(List.of(incidentStoreSettings));
		Map<String, List<String>> settings = Map.of("incident-store", incidentStore, "remediation-engine",
				List.of("--firebreak.remediation.runbooks=" + runbooks, "--firebreak.remediation.dry-run=false",
						"--firebreak.security.tokens[0].name=admin",
						"--firebreak.security.tokens[0].token-file=" + adminTokenFile,
						"--firebreak.security.tokens[0].role=admin"),
				"notifier",
				List.of("--firebreak.public-url=http://127.0.0.1:" + this.storePort,
						"--firebreak.notifier.slack.webhook-url=" + slack.url("/services/T0/B0/e2e"),
						"--firebreak.notifier.pagerduty.events-url=" + pagerDuty.url("/v2/enqueue"),
						"--firebreak.notifier.pagerduty.routing-key=" + routingKey,
						"--firebreak.notifier.pagerduty.webhook-secrets[0]=" + this.pagerDutyWebhookSecret,
						"--firebreak.notifier.email.from=firebreak@e2e.test",
						"--firebreak.notifier.email.to[0]=oncall@e2e.test", "--spring.mail.host=127.0.0.1",
						"--spring.mail.port=" + smtp.getSmtp().getPort(),
						"--firebreak.notifier.outbox.file=" + this.work.resolve("outbox.jsonl")),
				"alert-ingest",
				List.of("--firebreak.security.tokens[0].name=alertmanager",
						"--firebreak.security.tokens[0].token-file=" + alertmanagerTokenFile,
						"--firebreak.security.tokens[0].role=sender"));
		PackagedPipeline.start(infrastructure, SERVICES, ports, settings, this.work.resolve("logs"), this.started,
				Duration.ofMinutes(4));
		return new Pipeline(alertmanager.get(), prometheus.get(), ingestPort, alertmanagerTokenFile, slack, pagerDuty,
				smtp, downstream, ports, infrastructure.bootstrapServers());
	}

	/**
	 * Starts Alertmanager, sending to alert-ingest, and Prometheus with the configuration
	 * written for Alertmanager's port.
	 */
	private Alerting startAlerting(Pipeline pipeline, PrometheusConfig config) throws Exception {
		return startAlerting(pipeline, freePort(), config);
	}

	/** Alertmanager on this port, and Prometheus with these flags. */
	private Alerting startAlerting(Pipeline pipeline, int alertmanagerPort, PrometheusConfig config,
			String... prometheusFlags) throws Exception {
		ForkedProcess alertmanagerProcess = this.started.add(ForkedProcess.start("alertmanager",
				List.of(pipeline.alertmanager(),
						"--config.file=" + writeAlertmanagerConfig(pipeline.ingestPort(), pipeline.alertmanagerToken()),
						"--storage.path=" + Files.createDirectories(this.work.resolve("alertmanager")),
						"--web.listen-address=127.0.0.1:" + alertmanagerPort, "--cluster.listen-address="),
				log("alertmanager")));
		alertmanagerProcess.awaitReady("http://127.0.0.1:" + alertmanagerPort + "/-/ready", Duration.ofMinutes(1));
		int prometheusPort = freePort();
		List<String> command = new ArrayList<>(
				List.of(pipeline.prometheus(), "--config.file=" + config.write(alertmanagerPort),
						"--storage.tsdb.path=" + Files.createDirectories(this.work.resolve("prometheus")),
						"--web.listen-address=127.0.0.1:" + prometheusPort));
		command.addAll(List.of(prometheusFlags));
		ForkedProcess prometheusProcess = this.started
			.add(ForkedProcess.start("prometheus", command, log("prometheus")));
		long startedAt = System.nanoTime();
		prometheusProcess.awaitReady("http://127.0.0.1:" + prometheusPort + "/-/ready", Duration.ofMinutes(1));
		return new Alerting(prometheusPort, startedAt, prometheusProcess, List.copyOf(command));
	}

	/** Starts Prometheus again, as it was, on the same port and storage. */
	private void restartPrometheus(Alerting alerting) {
		ForkedProcess prometheus = this.started
			.add(ForkedProcess.start("prometheus", alerting.command(), log("prometheus-restarted")));
		prometheus.awaitReady("http://127.0.0.1:" + alerting.prometheusPort() + "/-/ready", Duration.ofMinutes(1));
	}

	/** Writes Prometheus's configuration for Alertmanager's port. */
	@FunctionalInterface
	private interface PrometheusConfig {

		Path write(int alertmanagerPort) throws IOException;

	}

	/** What {@link #startPipeline} started. */
	private record Pipeline(String alertmanager, String prometheus, int ingestPort, Path alertmanagerToken,
			ChannelStandIn slack, ChannelStandIn pagerDuty, GreenMail smtp, Downstream downstream,
			Map<String, Integer> ports, String bootstrapServers) {
	}

	/** Prometheus's port, when it started, and how to start it again. */
	private record Alerting(int prometheusPort, long startedAt, ForkedProcess prometheus, List<String> command) {
	}

	/**
	 * The runbook for the checkout service being down: a command (no shell string, the
	 * instance label one checked argument) that starts it in the background.
	 */
	private Path writeRunbook(int checkoutPort) throws IOException {
		Path script = Files.writeString(this.work.resolve("start-checkout.sh"), """
				#!/bin/sh
				# Starts the checkout service in the background on the port of its instance label.
				"%s" -cp "%s" dev.firebreak.local.ScrapeTarget "${1##*:}" > "%s" 2>&1 &
				echo $! > "%s"
				""".formatted(java(), testClasses(), this.work.resolve("checkout.log"),
				this.work.resolve("checkout.pid")));
		Path runbooks = Files.createDirectories(this.work.resolve("runbooks"));
		// Never runs in this test: its alert fires inside a maintenance window.
		Files.writeString(runbooks.resolve("clean-disk.yaml"), """
				id: clean-disk
				match: { labels: { alertname: DiskSpaceHigh } }
				action: { type: command, argv: [/usr/bin/touch, "%s"] }
				guardrails: { dryRun: false, cooldown: 10m, maxAttempts: 1 }
				""".formatted(this.work.resolve("cleaned")));
		Files.writeString(runbooks.resolve("start-checkout.yaml"), """
				id: start-checkout
				description: Start the checkout service whose scrape target is down
				match:
				  labels: { alertname: ServiceDown, job: checkout }
				action:
				  type: command
				  argv: [/bin/sh, "%s", "{{labels.instance}}"]
				  timeout: 30s
				parameters:
				  labels.instance: "^127\\\\.0\\\\.0\\\\.1:%d$"
				guardrails: { dryRun: false, cooldown: 10m, maxAttempts: 1 }
				verification: { window: 3m }
				""".formatted(script, checkoutPort));
		return runbooks;
	}

	/** {@link #writePrometheusConfig(int, List, Map)} with one rule file. */
	private Path writePrometheusConfig(int alertmanagerPort, String rules, Map<String, Integer> jobs)
			throws IOException {
		return writePrometheusConfig(alertmanagerPort, List.of(rules), jobs);
	}

	/**
	 * {@link #writePrometheusConfig(int, List, Map, Collection)} without Firebreak's own
	 * job.
	 */
	private Path writePrometheusConfig(int alertmanagerPort, List<String> rules, Map<String, Integer> jobs)
			throws IOException {
		return writePrometheusConfig(alertmanagerPort, rules, jobs, List.of());
	}

	/**
	 * Rule files as deploy/ has them, each with every {@code for:} at 2s and every range
	 * of a rate at 5s, a scrape job per target, every second, and Firebreak's own job on
	 * these ports when there are any.
	 */
	private Path writePrometheusConfig(int alertmanagerPort, List<String> rules, Map<String, Integer> jobs,
			Collection<Integer> firebreak) throws IOException {
		Path rulesDirectory = Files.createDirectories(this.work.resolve("rules"));
		List<String> ruleFiles = new ArrayList<>();
		for (String rule : rules) {
			String written = Files.readString(ROOT.resolve("deploy/prometheus").resolve(rule));
			String quick = written.replaceAll("(?m)^(\\s+)for: \\S+$", "$1for: 2s")
				.replaceAll("\\[\\d+[mh]\\]", "[5s]");
			if (written.contains("for: ") || written.contains("rate(")) {
				assertThat(quick).as(rule).isNotEqualTo(written);
			}
			Path rulesFile = Files.writeString(rulesDirectory.resolve(Path.of(rule).getFileName()), quick);
			ruleFiles.add("\"" + rulesFile + "\"");
		}
		StringBuilder scrapes = new StringBuilder();
		new TreeMap<>(jobs).forEach((job, port) -> scrapes.append("""
				  - job_name: %s
				    static_configs: [{ targets: ["127.0.0.1:%d"] }]
				""".formatted(job, port)));
		if (!firebreak.isEmpty()) {
			// As deploy/prometheus/prometheus.yml scrapes the four services.
			scrapes.append("""
					  - job_name: firebreak
					    scrape_interval: 5s
					    metrics_path: /actuator/prometheus
					    static_configs: [{ targets: [%s] }]
					""".formatted(firebreak.stream()
				.sorted()
				.map((port) -> "\"127.0.0.1:" + port + "\"")
				.collect(Collectors.joining(", "))));
		}
		return Files.writeString(this.work.resolve("prometheus.yml"), """
				global:
				  scrape_interval: 1s
				  evaluation_interval: 1s
				  external_labels: { cluster: e2e }
				rule_files: [%s]
				alerting:
				  alertmanagers:
				    - static_configs: [{ targets: ["127.0.0.1:%d"] }]
				scrape_configs:
				""".formatted(String.join(", ", ruleFiles), alertmanagerPort) + scrapes);
	}

	/** deploy/'s routes and receiver, with timings short enough for a test. */
	private Path writeAlertmanagerConfig(int ingestPort, Path tokenFile) throws IOException {
		return Files.writeString(this.work.resolve("alertmanager.yml"), """
				route:
				  receiver: firebreak
				  group_by: [alertname, cluster, job]
				  group_wait: 1s
				  group_interval: 2s
				  repeat_interval: 4h
				  routes:
				    - matchers: ['alertname="Watchdog"']
				      receiver: firebreak
				      group_wait: 0s
				      group_interval: 1s
				      repeat_interval: 2s
				receivers:
				  - name: firebreak
				    webhook_configs:
				      - url: http://127.0.0.1:%d/api/v1/alerts/alertmanager
				        send_resolved: true
				        http_config:
				          authorization:
				            credentials_file: "%s"
				""".formatted(ingestPort, tokenFile));
	}

	private List<String> timelineTypes(String incidentId) throws Exception {
		List<String> types = new ArrayList<>();
		api("/api/v1/incidents/" + incidentId + "/timeline")
			.forEach((entry) -> types.add(entry.path("type").asString()));
		return types;
	}

	private HttpResponse<String> post(String path, String body) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.storePort + path))
			.timeout(Duration.ofSeconds(10))
			.header("Authorization", "Bearer " + this.operatorToken)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String hmacSha256(String secret, String body) throws Exception {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
	}

	private JsonNode api(String path) throws Exception {
		return get("http://127.0.0.1:" + this.storePort + path, this.operatorToken);
	}

	private static JsonNode get(String url, String token) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("GET %s: %s", url, response.body()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

	private Path log(String program) {
		return this.work.resolve("logs").resolve(program + ".log");
	}

	/** Where ScrapeTarget's class is, for the runbook's command. */
	private static Path testClasses() throws IOException {
		try {
			return Path.of(ScrapeTarget.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		}
		catch (java.net.URISyntaxException ex) {
			throw new IOException(ex);
		}
	}

	/**
	 * A system downstream of Firebreak: reads {@code firebreak.incidents} from the start
	 * with {@code read_committed}, keeping every state it sees.
	 */
	private static final class Downstream implements AutoCloseable {

		private final List<Incident> seen = new CopyOnWriteArrayList<>();

		private final Thread thread;

		private volatile boolean running = true;

		Downstream(String bootstrapServers) {
			Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
					ConsumerConfig.GROUP_ID_CONFIG, "downstream-e2e", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
					"earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
			this.thread = new Thread(() -> {
				try (KafkaConsumer<String, Incident> consumer = new KafkaConsumer<>(config,
						Topics.INCIDENTS.keySerde().deserializer(), Topics.INCIDENTS.valueSerde().deserializer())) {
					consumer.subscribe(List.of(Topics.INCIDENTS.name()));
					while (this.running) {
						consumer.poll(Duration.ofMillis(200)).forEach((record) -> {
							if (record.value() != null) {
								this.seen.add(record.value());
							}
						});
					}
				}
			}, "downstream-consumer");
			this.thread.start();
		}

		Optional<String> incidentWith(String label, String value) {
			return this.seen.stream()
				.filter((incident) -> value.equals(incident.getCorrelationLabels().get(label)))
				.map(Incident::getId)
				.findFirst();
		}

		Set<String> incidentIds() {
			return this.seen.stream().map(Incident::getId).collect(Collectors.toSet());
		}

		List<Incident> states(String incidentId) {
			return this.seen.stream().filter((incident) -> incident.getId().equals(incidentId)).toList();
		}

		@Override
		public void close() {
			this.running = false;
			try {
				this.thread.join(10_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
