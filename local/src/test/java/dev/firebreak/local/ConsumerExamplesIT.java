package dev.firebreak.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.firebreak.testkit.Teardown;
import dev.firebreak.testkit.Eventually;

import static dev.firebreak.testkit.PackagedServices.ROOT;
import static dev.firebreak.testkit.PackagedServices.jar;
import static dev.firebreak.testkit.PackagedServices.java;
import static dev.firebreak.testkit.PackagedServices.randomHex;
import static dev.firebreak.testkit.PackagedServices.secondsSince;
import static dev.firebreak.testkit.KafkaBroker.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The two consumer examples a downstream system starts from, run as their README says
 * against a real broker that the pipeline feeds: one alert posted to the packaged
 * alert-ingest opens an incident in the packaged incident-store, and each example must
 * print that incident (its id, status, severity and title) from
 * {@code firebreak.incidents} and its {@code OPENED} event from
 * {@code firebreak.incident-events}.
 *
 * <p>
 * The Java example runs as its runnable jar; the Python one as a script on Debian's
 * {@code python3-avro} and {@code python3-confluent-kafka} ({@code .ci/run} installs
 * them; without them that test skips, saying so). Run by {@code ./mvnw verify} once the
 * services and the example are packaged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsumerExamplesIT {

	/**
	 * The services an incident needs: the writer of incident state, and the front door.
	 */
	private static final List<String> SERVICES = List.of("incident-store", "alert-ingest");

	/** How long an example waits for another record before it stops. */
	private static final String IDLE_TIMEOUT = "10";

	private static final String TITLE = "CheckoutDown: Checkout answers no request";

	private static final Logger log = LoggerFactory.getLogger(ConsumerExamplesIT.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private Path work;

	/** What the tests started, stopped in reverse order. */
	private final Teardown started = new Teardown();

	private String bootstrapServers;

	private String incidentId;

	@BeforeAll
	void openAnIncident(@TempDir Path work) throws Exception {
		long began = System.nanoTime();
		this.work = work;
		assertThat(javaExample()).as("the example's runnable jar (./mvnw verify packages it first)").exists();
		LocalInfrastructure infrastructure = LocalInfrastructure.start(this.work.resolve("data"), freePort(),
				freePort(), freePort());
		this.started.add(infrastructure);
		this.bootstrapServers = infrastructure.bootstrapServers();

		Path secrets = Files.createDirectories(this.work.resolve("secrets"));
		String operatorToken = randomHex(24);
		String senderToken = randomHex(24);
		Map<String, Integer> ports = Map.of("incident-store", freePort(), "alert-ingest", freePort());
		Map<String, List<String>> settings = Map.of("incident-store",
				List.of("--firebreak.security.tokens[0].name=operator",
						"--firebreak.security.tokens[0].token-file="
								+ Files.writeString(secrets.resolve("operator-token"), operatorToken),
						"--firebreak.security.tokens[0].role=operator",
						"--spring.kafka.streams.state-dir=" + this.work.resolve("streams")),
				"alert-ingest",
				List.of("--firebreak.security.tokens[0].name=alertmanager",
						"--firebreak.security.tokens[0].token-file="
								+ Files.writeString(secrets.resolve("sender-token"), senderToken),
						"--firebreak.security.tokens[0].role=sender"));
		for (String service : SERVICES) {
			assertThat(jar(service)).as("packaged %s (./mvnw verify packages it first)", service).exists();
		}
		PackagedPipeline.start(infrastructure, SERVICES, ports, settings, this.work.resolve("logs"), this.started,
				Duration.ofMinutes(2));

		HttpResponse<String> posted = send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + ports.get("alert-ingest") + "/api/v1/alerts/alertmanager"))
			.header("Authorization", "Bearer " + senderToken)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(webhook())));
		assertThat(posted.statusCode()).as("ingest: %s", posted.body()).isBetween(200, 299);
		String incidents = "http://127.0.0.1:" + ports.get("incident-store") + "/api/v1/incidents";
		Eventually.within(Duration.ofSeconds(60)).untilAsserted(() -> {
			HttpResponse<String> listed = send(
					HttpRequest.newBuilder(URI.create(incidents)).header("Authorization", "Bearer " + operatorToken));
			JsonNode items = JSON.readTree(listed.body()).path("items");
			assertThat(items.size()).as("incidents: %s", listed.body()).isEqualTo(1);
			assertThat(items.get(0).path("title").asString()).isEqualTo(TITLE);
			this.incidentId = items.get(0).path("id").asString();
		});
		assertThat(this.incidentId).matches("INC-\\d{8}-\\d{4}");
		log.info("Incident {} open, {} s after the start", this.incidentId, secondsSince(began));
	}

	@AfterAll
	void stopEverything() {
		this.started.close();
	}

	@Test
	void javaExamplePrintsTheIncidentAndItsOpenedEvent() throws Exception {
		List<String> printed = run("java-consumer", List.of(java(), "-jar", javaExample().toString(), "--bootstrap",
				this.bootstrapServers, "--group", "consumer-examples-it-java", "--idle-timeout", IDLE_TIMEOUT));

		assertPrintsTheIncident(printed);
	}

	@Test
	void pythonExamplePrintsTheIncidentAndItsOpenedEvent() throws Exception {
		String python = python();
		List<String> printed = run("python-consumer",
				List.of(python, ROOT.resolve("examples/python-consumer/consume.py").toString(), "--bootstrap",
						this.bootstrapServers, "--group", "consumer-examples-it-python", "--idle-timeout",
						IDLE_TIMEOUT));

		assertPrintsTheIncident(printed);
	}

	/**
	 * The incident as it opened (SEV2 from {@code severity: critical}), from both topics:
	 * its events from {@code OPENED} on, and its record once, at the version of the
	 * opening change's last event; nothing about any other incident.
	 */
	private void assertPrintsTheIncident(List<String> printed) {
		long lastSequence = printed.stream()
			.filter((line) -> line.startsWith("firebreak.incident-events "))
			.mapToLong((line) -> Long.parseLong(line.replaceFirst(".* sequence=(\\d+) .*", "$1")))
			.max()
			.orElseThrow(() -> new AssertionError("no event printed: " + printed));
		assertThat(lastSequence).isGreaterThan(1);
		assertThat(printed).contains(
				"firebreak.incidents " + this.incidentId + " version=" + lastSequence
						+ " status=OPEN severity=SEV2 title=" + TITLE,
				"firebreak.incident-events " + this.incidentId + " sequence=1 type=OPENED status=OPEN severity=SEV2");
		assertThat(printed).filteredOn((line) -> line.startsWith("firebreak.incidents ")).hasSize(1);
		assertThat(printed).allSatisfy((line) -> assertThat(line)
			.matches("firebreak\\.(incidents|incident-events) " + this.incidentId + " (version|sequence)=.*"));
	}

	/**
	 * Runs an example until it stops by itself (its idle timeout), and returns the lines
	 * it printed; it must exit 0.
	 */
	private List<String> run(String name, List<String> command) throws Exception {
		Path out = this.work.resolve("logs/" + name + ".out");
		Path err = this.work.resolve("logs/" + name + ".err");
		Files.createDirectories(out.getParent());
		long began = System.nanoTime();
		Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
			.redirectError(err.toFile())
			.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
			.start();
		this.started.add(process::destroyForcibly);
		boolean exited = process.waitFor(60, TimeUnit.SECONDS);
		List<String> printed = Files.readAllLines(out);
		log.info("{} printed {} lines in {} s: {}", name, printed.size(), secondsSince(began), printed);
		assertThat(exited).as("%s stopped within 60 s; stderr:%n%s", name, Files.readString(err)).isTrue();
		assertThat(process.exitValue()).as("%s's exit code; stderr:%n%s", name, Files.readString(err)).isZero();
		return printed;
	}

	/** Debian's Python, where apt installs the example's two packages. */
	private static String python() throws IOException, InterruptedException {
		String python = System.getProperty("firebreak.python",
				Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3");
		String missing = python + " cannot import avro and confluent_kafka; install them with "
				+ "`apt-get install python3-avro python3-confluent-kafka` (.ci/run does)";
		Process check = new ProcessBuilder(python, "-c", "import avro.io, confluent_kafka").redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		boolean importable = check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0;
		if (!importable) {
			log.warn("Skipping the Python example: {}", missing);
		}
		assumeTrue(importable, missing);
		return python;
	}

	private static Path javaExample() {
		return ROOT.resolve("examples/java-consumer/target")
			.resolve("example-java-consumer-" + System.getProperty("firebreak.version", "0.1.0-SNAPSHOT") + ".jar");
	}

	/** The checkout service down, critical: SEV2. */
	private static String webhook() {
		return """
				{"version": "4", "status": "firing", "receiver": "firebreak", "groupKey": "{}:{alertname=\\"CheckoutDown\\"}",
				 "groupLabels": {"alertname": "CheckoutDown"}, "commonLabels": {}, "commonAnnotations": {},
				 "externalURL": "http://alertmanager:9093",
				 "alerts": [{"status": "firing", "fingerprint": "c0ffee00c0ffee00",
				   "labels": {"alertname": "CheckoutDown", "severity": "critical", "cluster": "examples",
				              "service": "checkout", "job": "checkout", "instance": "checkout-1:8080"},
				   "annotations": {"summary": "Checkout answers no request"},
				   "startsAt": "%s", "endsAt": "0001-01-01T00:00:00Z"}]}
				"""
			.formatted(Instant.now());
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
	}

}
