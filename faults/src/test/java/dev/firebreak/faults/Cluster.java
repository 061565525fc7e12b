package dev.firebreak.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import dev.firebreak.local.LocalInfrastructure;
import dev.firebreak.testkit.ForkedProcess;

import static dev.firebreak.testkit.KafkaBroker.freePort;
import static dev.firebreak.testkit.PackagedServices.SERVICES;
import static dev.firebreak.testkit.PackagedServices.jar;
import static dev.firebreak.testkit.PackagedServices.java;
import static dev.firebreak.testkit.PackagedServices.randomHex;

/**
 * Two instances of each of the four services, each a process of its own running its
 * packaged jar, on one Kafka broker and one PostgreSQL (the local run's). The leases and
 * the Kafka session timeout are 10 s instead of their defaults, so that a paused or
 * killed instance's work moves within the suite's time.
 */
final class Cluster implements AutoCloseable {

	/** Remediation attempts' and deliveries' leases, and Kafka's session timeout. */
	static final Duration TAKEOVER = Duration.ofSeconds(10);

	private static final Duration READY = Duration.ofMinutes(4);

	private final LocalInfrastructure infrastructure;

	private final List<Instance> instances;

	private Cluster(LocalInfrastructure infrastructure, List<Instance> instances) {
		this.infrastructure = infrastructure;
		this.instances = instances;
	}

	/**
	 * Starts the broker and PostgreSQL, then two instances of every service, and waits
	 * until all eight are ready.
	 * @param work where data, state, secrets and logs go
	 * @param channels where the notifier sends: Slack's and PagerDuty's URLs, SMTP's port
	 * @param runbooks remediation-engine's runbook directory
	 */
	static Cluster start(Path work, Channels channels, Path runbooks) throws Exception {
		LocalInfrastructure infrastructure = LocalInfrastructure.start(work.resolve("data"), freePort(), freePort(),
				freePort());
		Path secrets = Files.createDirectories(work.resolve("secrets"));
		Path senderToken = Files.writeString(secrets.resolve("sender-token"), randomHex(24));
		Path operatorToken = Files.writeString(secrets.resolve("operator-token"), randomHex(24));
		Path adminToken = Files.writeString(secrets.resolve("admin-token"), randomHex(24));
		String session = "=" + TAKEOVER.toMillis();
		Map<String, List<String>> settings = Map.of("incident-store",
				List.of("--firebreak.security.tokens[0].name=operator",
						"--firebreak.security.tokens[0].token-file=" + operatorToken,
						"--firebreak.security.tokens[0].role=operator",
						"--spring.kafka.streams.properties.session.timeout.ms" + session),
				"remediation-engine",
				List.of("--firebreak.remediation.runbooks=" + runbooks, "--firebreak.remediation.dry-run=false",
						"--firebreak.remediation.lease=" + TAKEOVER.toSeconds() + "s",
						"--firebreak.security.tokens[0].name=admin",
						"--firebreak.security.tokens[0].token-file=" + adminToken,
						"--firebreak.security.tokens[0].role=admin",
						"--spring.kafka.consumer.properties.session.timeout.ms" + session),
				"notifier",
				List.of("--firebreak.notifier.slack.webhook-url=" + channels.slack(),
						"--firebreak.notifier.pagerduty.events-url=" + channels.pagerDuty(),
						"--firebreak.notifier.pagerduty.routing-key=" + channels.routingKey(),
						"--firebreak.notifier.email.from=firebreak@faults.test",
						"--firebreak.notifier.email.to[0]=oncall@faults.test", "--spring.mail.host=127.0.0.1",
						"--spring.mail.port=" + channels.smtpPort(),
						"--firebreak.notifier.claim-lease=" + TAKEOVER.toSeconds() + "s",
						// The stand-ins take more than Slack's 1 and PagerDuty's 2 a
						// second: the
						// storm's messages go out as fast as it raises them.
						"--firebreak.notifier.slack.rate-per-second=20", "--firebreak.notifier.slack.burst=20",
						"--firebreak.notifier.pagerduty.rate-per-second=20", "--firebreak.notifier.pagerduty.burst=20",
						"--firebreak.notifier.outbox.file=" + work.resolve("outbox.jsonl"),
						"--spring.kafka.consumer.properties.session.timeout.ms" + session),
				"alert-ingest",
				List.of("--firebreak.security.tokens[0].name=sender",
						"--firebreak.security.tokens[0].token-file=" + senderToken,
						"--firebreak.security.tokens[0].role=sender"));
		List<Instance> instances = new ArrayList<>();
		for (String service : SERVICES) {
			for (int index = 1; index <= 2; index++) {
				int port = freePort();
				List<String> command = new ArrayList<>(List.of(java(), "-Xmx384m", "-XX:TieredStopAtLevel=1",
						"-XX:+UseSerialGC", "-jar", jar(service).toString(), "--server.port=" + port,
						"--spring.kafka.bootstrap-servers=" + infrastructure.bootstrapServers(),
						"--spring.datasource.url=" + infrastructure.jdbcUrl(), "--spring.datasource.username=firebreak",
						"--spring.datasource.password=firebreak"));
				command.addAll(settings.get(service));
				if (service.equals("incident-store")) {
					command.add(
							"--spring.kafka.streams.state-dir=" + work.resolve("state").resolve(service + "-" + index));
				}
				instances.add(new Instance(service, index, port, command, work.resolve("logs")));
			}
		}
		Cluster cluster = new Cluster(infrastructure, List.copyOf(instances));
		try {
			instances.forEach(Instance::start);
			cluster.awaitReady();
		}
		catch (RuntimeException | Error ex) {
			cluster.close();
			throw ex;
		}
		return cluster;
	}

	LocalInfrastructure infrastructure() {
		return this.infrastructure;
	}

	/** Both instances of a service. */
	List<Instance> instances(String service) {
		return this.instances.stream().filter((instance) -> instance.service().equals(service)).toList();
	}

	/** Every instance, in the order they started. */
	List<Instance> instances() {
		return this.instances;
	}

	Instance instance(String service, int index) {
		return instances(service).get(index - 1);
	}

	/** Empties incident-store's projection, as a new database would be. */
	void emptyProjection() throws SQLException {
		try (Connection connection = DriverManager.getConnection(this.infrastructure.jdbcUrl(), "firebreak",
				"firebreak"); Statement statement = connection.createStatement()) {
			statement.execute("TRUNCATE public.incident, public.incident_alert, public.incident_event, "
					+ "public.remediation, public.notification");
		}
	}

	/** Waits until every instance answers ready. */
	void awaitReady() {
		this.instances.forEach(Instance::awaitReady);
	}

	@Override
	public void close() {
		for (int i = this.instances.size() - 1; i >= 0; i--) {
			this.instances.get(i).stop();
		}
		this.infrastructure.close();
	}

	/** Where the notifier's channels are. */
	record Channels(String slack, String pagerDuty, String routingKey, int smtpPort) {
	}

	/**
	 * One instance of a service: its port, its command, and its process while it runs.
	 */
	static final class Instance {

		private final String service;

		private final int index;

		private final int port;

		private final List<String> command;

		private final Path logs;

		private ForkedProcess process;

		private Instance(String service, int index, int port, List<String> command, Path logs) {
			this.service = service;
			this.index = index;
			this.port = port;
			this.command = new ArrayList<>(command);
			this.logs = logs;
		}

		String service() {
			return this.service;
		}

		String name() {
			return this.service + "-" + this.index;
		}

		int port() {
			return this.port;
		}

		/**
		 * Starts it with its command as it is now; its output goes to logs/<name>.log.
		 */
		synchronized void start() {
			this.process = ForkedProcess.start(name(), this.command, this.logs.resolve(name() + ".log"));
		}

		/** The same command with a setting changed or added, for the next start. */
		synchronized void set(String setting, String value) {
			this.command.removeIf((argument) -> argument.startsWith("--" + setting + "="));
			this.command.add("--" + setting + "=" + value);
		}

		synchronized void awaitReady() {
			this.process.awaitReady("http://127.0.0.1:" + this.port + "/actuator/health/readiness", READY);
		}

		/** kill -9. */
		synchronized void kill() {
			this.process.kill();
		}

		/** SIGSTOP. */
		synchronized void pause() {
			this.process.pause();
		}

		/** SIGCONT. */
		synchronized void resume() {
			this.process.resume();
		}

		/** SIGTERM, as a deploy stops it. */
		synchronized void stop() {
			if (this.process != null) {
				this.process.close();
			}
		}

		@Override
		public String toString() {
			return name();
		}

	}

	/** Deletes a directory and what it holds, as losing a disk would. */
	static void delete(Path directory) throws IOException {
		if (Files.exists(directory)) {
			try (var paths = Files.walk(directory)) {
				paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
			}
		}
	}

}
