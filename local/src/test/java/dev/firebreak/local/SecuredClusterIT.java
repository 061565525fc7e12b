package dev.firebreak.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.firebreak.schemas.Topic;
import dev.firebreak.schemas.Topics;
import dev.firebreak.testkit.Teardown;
import dev.firebreak.testkit.ChannelStandIn;
import dev.firebreak.testkit.Eventually;
import dev.firebreak.testkit.ForkedProcess;
import dev.firebreak.testkit.KafkaBroker;
import dev.firebreak.testkit.PostgresServer;

import static dev.firebreak.testkit.PackagedServices.ROOT;
import static dev.firebreak.testkit.PackagedServices.SERVICES;
import static dev.firebreak.testkit.PackagedServices.jar;
import static dev.firebreak.testkit.PackagedServices.java;
import static dev.firebreak.testkit.PackagedServices.randomHex;
import static dev.firebreak.testkit.PackagedServices.secondsSince;
import static dev.firebreak.testkit.KafkaBroker.freePort;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The four services on a secured Kafka cluster, each with its own SASL/PLAIN principal
 * and nothing but the ACLs of {@link #ACLS} (KAFKA-SECURITY.md has the same table). The
 * broker runs the {@code StandardAuthorizer} with
 * {@code allow.everyone.if.no.acl.found=false}; an operator (the {@code admin} super
 * user) creates the catalogue's topics and the ACLs before any service starts, so no
 * service has CREATE on a catalogue topic.
 *
 * <p>
 * The services run with {@code spring.kafka.admin.auto-create=false}: left on, each would
 * look for every catalogue topic at startup and, denied DESCRIBE on those it does not
 * use, try to create them and log the refusal (harmless, but an error in the log).
 * Credentials reach them in the three documented ways: the
 * {@code spring.kafka.properties.sasl.jaas.config} argument (incident-store,
 * alert-ingest), a Spring config tree holding that property as a file
 * (remediation-engine), and a JAAS file named by {@code java.security.auth.login.config}
 * (notifier).
 *
 * <p>
 * One alert goes all the way: ingest writes it, incident-store opens the incident (and
 * creates its internal topics, transactionally), remediation-engine reports a dry run as
 * REMEDIATION_SKIPPED, notifier reports one notification sent (the outbox stand-in) and
 * one failed for good (Slack answers 400), which lands in
 * {@code firebreak.notifications.dlt}; an operator's comment goes through the API's
 * producer, before and after a restart of incident-store. Undecodable records written to
 * the four record topics make every reader write its dead-letter topic, and each consumer
 * group must commit past them; Streams must purge its repartition topics. Throughout, the
 * broker's authorizer must deny no service principal anything, and no service may log an
 * authorization error. The services' logs are kept in
 * {@code local/target/secured-cluster-it/}.
 *
 * <p>
 * {@code -Dfirebreak.acl.omit=<label>,<label>} leaves ACLs out (labels as printed at
 * start, e.g. {@code "incident-store DELETE TOPIC PREFIXED firebreak-incident-store-"}),
 * to see what breaks without them. Run by {@code ./mvnw verify} once the services are
 * packaged.
 */
class SecuredClusterIT {

	private static final String STREAMS_PREFIX = "firebreak-incident-store-";

	/** The minimal ACLs, proven by this test; KAFKA-SECURITY.md lists the same. */
	static final List<Acl> ACLS = List.of(
	// @formatter:off
			// alert-ingest: writes alerts.
			acl("alert-ingest", ResourceType.TOPIC, PatternType.LITERAL, Topics.ALERTS.name(), AclOperation.WRITE),
			// incident-store, Kafka Streams (application.id firebreak-incident-store).
			acl("incident-store", ResourceType.GROUP, PatternType.LITERAL, "firebreak-incident-store", AclOperation.READ),
			acl("incident-store", ResourceType.TOPIC, PatternType.LITERAL, Topics.ALERTS.name(), AclOperation.READ),
			acl("incident-store", ResourceType.TOPIC, PatternType.LITERAL, Topics.INCIDENT_COMMANDS.name(), AclOperation.READ),
			// The dead man's switch raises and clears its own alert on the alerts topic.
			acl("incident-store", ResourceType.TOPIC, PatternType.LITERAL, Topics.ALERTS.name(), AclOperation.WRITE),
			acl("incident-store", ResourceType.TOPIC, PatternType.LITERAL, Topics.INCIDENTS.name(), AclOperation.WRITE),
			acl("incident-store", ResourceType.TOPIC, PatternType.LITERAL, Topics.INCIDENT_EVENTS.name(), AclOperation.WRITE),
			acl("incident-store", ResourceType.TOPIC, PatternType.LITERAL, Topics.ALERTS.deadLetter().name(), AclOperation.WRITE),
			acl("incident-store", ResourceType.TOPIC, PatternType.LITERAL, Topics.INCIDENT_COMMANDS.deadLetter().name(), AclOperation.WRITE),
			acl("incident-store", ResourceType.TOPIC, PatternType.PREFIXED, STREAMS_PREFIX, AclOperation.CREATE),
			acl("incident-store", ResourceType.TOPIC, PatternType.PREFIXED, STREAMS_PREFIX, AclOperation.READ),
			acl("incident-store", ResourceType.TOPIC, PatternType.PREFIXED, STREAMS_PREFIX, AclOperation.WRITE),
			acl("incident-store", ResourceType.TOPIC, PatternType.PREFIXED, STREAMS_PREFIX, AclOperation.DELETE),
			acl("incident-store", ResourceType.TRANSACTIONAL_ID, PatternType.PREFIXED, STREAMS_PREFIX, AclOperation.WRITE),
			// incident-store, projection (group firebreak-incident-projection) and its dead letters.
			acl("incident-store", ResourceType.GROUP, PatternType.LITERAL, "firebreak-incident-projection", AclOperation.READ),
			acl("incident-store", ResourceType.TOPIC, PatternType.LITERAL, Topics.INCIDENTS.name(), AclOperation.READ),
			acl("incident-store", ResourceType.TOPIC, PatternType.LITERAL, Topics.INCIDENT_EVENTS.name(), AclOperation.READ),
			acl("incident-store", ResourceType.TOPIC, PatternType.LITERAL, Topics.INCIDENTS.deadLetter().name(), AclOperation.WRITE),
			acl("incident-store", ResourceType.TOPIC, PatternType.LITERAL, Topics.INCIDENT_EVENTS.deadLetter().name(), AclOperation.WRITE),
			// incident-store, the operator API's commands.
			acl("incident-store", ResourceType.TOPIC, PatternType.LITERAL, Topics.INCIDENT_COMMANDS.name(), AclOperation.WRITE),
			// remediation-engine.
			acl("remediation-engine", ResourceType.GROUP, PatternType.LITERAL, "firebreak-remediation-engine", AclOperation.READ),
			acl("remediation-engine", ResourceType.TOPIC, PatternType.LITERAL, Topics.INCIDENT_EVENTS.name(), AclOperation.READ),
			acl("remediation-engine", ResourceType.TOPIC, PatternType.LITERAL, Topics.INCIDENTS.name(), AclOperation.READ),
			acl("remediation-engine", ResourceType.TOPIC, PatternType.LITERAL, Topics.INCIDENT_COMMANDS.name(), AclOperation.WRITE),
			acl("remediation-engine", ResourceType.TOPIC, PatternType.LITERAL, Topics.INCIDENT_EVENTS.deadLetter().name(), AclOperation.WRITE),
			// notifier.
			acl("notifier", ResourceType.GROUP, PatternType.LITERAL, "firebreak-notifier", AclOperation.READ),
			acl("notifier", ResourceType.TOPIC, PatternType.LITERAL, Topics.INCIDENT_EVENTS.name(), AclOperation.READ),
			acl("notifier", ResourceType.TOPIC, PatternType.LITERAL, Topics.INCIDENT_COMMANDS.name(), AclOperation.WRITE),
			acl("notifier", ResourceType.TOPIC, PatternType.LITERAL, Topics.INCIDENT_EVENTS.deadLetter().name(), AclOperation.WRITE),
			acl("notifier", ResourceType.TOPIC, PatternType.LITERAL, Topics.NOTIFICATIONS_DEAD_LETTER.name(), AclOperation.WRITE));
	// @formatter:on

	/** What a service logs when Kafka refuses it something. */
	private static final List<String> AUTHORIZATION_ERRORS = List.of("TopicAuthorizationException",
			"GroupAuthorizationException", "TransactionalIdAuthorizationException", "ClusterAuthorizationException",
			"AUTHORIZATION_FAILED", "SaslAuthenticationException");

	private static final Logger log = LoggerFactory.getLogger(SecuredClusterIT.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private static final String PLAIN_LOGIN = "org.apache.kafka.common.security.plain.PlainLoginModule";

	@TempDir
	Path work;

	/** What the test started, stopped in reverse order. */
	private final Teardown started = new Teardown();

	/** The broker's authorizer: every request it denied. */
	private final Denials denials = new Denials();

	private final Map<String, String> passwords = new LinkedHashMap<>();

	private String operatorToken;

	private String senderToken;

	private int storePort;

	private Map<String, Integer> ports;

	private final Map<String, List<String>> commands = new HashMap<>();

	@AfterEach
	void stopEverything() {
		this.denials.of(SERVICES).forEach((denied) -> log.warn("Denied: {}", denied));
		this.started.close();
		this.denials.detach();
		keepLogs();
	}

	@Test
	void everyServiceWorksWithItsMinimalAclsAndIsDeniedNothing() throws Exception {
		long began = System.nanoTime();
		for (String service : SERVICES) {
			assertThat(jar(service)).as("packaged %s (./mvnw verify packages it first)", service).exists();
		}
		List<Acl> acls = aclsToGrant();
		this.passwords.put("admin", randomHex(16));
		SERVICES.forEach((service) -> this.passwords.put(service, randomHex(16)));

		this.denials.attach();
		KafkaBroker broker = this.started.add(KafkaBroker.startNew(securedBroker(this.passwords)));
		PostgresServer postgres = this.started.add(PostgresServer.startNew());
		createDatabase(postgres);
		Admin admin = this.started.add(Admin.create(client(broker, "admin")));
		// What an operator does before the services start: topics, then ACLs.
		admin.createTopics(Topics.all().stream().map((topic) -> topic.newTopic((short) 1)).toList()).all().get();
		admin.createAcls(acls.stream().map(Acl::binding).toList()).all().get();
		Eventually.within(Duration.ofSeconds(30))
			.until(() -> admin.describeAcls(AclBindingFilter.ANY).values().get().size() == acls.size());

		ChannelStandIn slack = this.started.add(ChannelStandIn.slack());
		// Slack refuses the first message for good: notifier dead-letters it.
		slack.answer(400, null, "invalid_payload");
		Map<String, ForkedProcess> services = new LinkedHashMap<>();
		prepareServices(broker, postgres, slack);
		SERVICES.forEach((service) -> services.put(service, start(service)));
		services.forEach(this::awaitReady);
		log.info("Four services ready on a secured cluster {} s after the start", secondsSince(began));

		// One alert through ingest: the incident opens.
		HttpResponse<String> posted = post(
				"http://127.0.0.1:" + this.ports.get("alert-ingest") + "/api/v1/alerts/alertmanager", this.senderToken,
				webhook());
		assertThat(posted.statusCode()).as("ingest: %s", posted.body()).isBetween(200, 299);
		String[] incident = new String[1];
		Eventually.within(Duration.ofMinutes(1)).untilAsserted(() -> {
			JsonNode items = api("/api/v1/incidents").path("items");
			assertThat(items.size()).isEqualTo(1);
			assertThat(items.get(0).path("title").asString()).contains("DiskSpaceHigh");
			assertThat(items.get(0).path("status").asString()).isEqualTo("OPEN");
			incident[0] = items.get(0).path("id").asString();
		});
		String id = incident[0];

		// Remediation (dry run by default) and notification outcomes come back as
		// commands.
		Eventually.within(Duration.ofMinutes(1))
			.untilAsserted(() -> assertThat(timelineTypes(id)).contains("OPENED", "REMEDIATION_SKIPPED",
					"NOTIFICATION_SENT", "NOTIFICATION_FAILED"));
		// The operator API's producer writes commands too.
		HttpResponse<String> comment = post(
				"http://127.0.0.1:" + this.storePort + "/api/v1/incidents/" + id + "/comment", this.operatorToken,
				"{\"text\":\"seen on a secured cluster\"}");
		assertThat(comment.statusCode()).as("comment: %s", comment.body()).isEqualTo(202);
		Eventually.within(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(timelineTypes(id)).contains("COMMENTED"));

		// Restarted, incident-store finds its internal topics and goes on.
		services.get("incident-store").close();
		services.put("incident-store", start("incident-store"));
		awaitReady("incident-store", services.get("incident-store"));
		HttpResponse<String> again = post("http://127.0.0.1:" + this.storePort + "/api/v1/incidents/" + id + "/comment",
				this.operatorToken, "{\"text\":\"still seen after a restart\"}");
		assertThat(again.statusCode()).as("comment: %s", again.body()).isEqualTo(202);
		Eventually.within(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(timelineTypes(id)).filteredOn("COMMENTED"::equals).hasSize(2));
		log.info("Incident {} timeline on a secured cluster: {}", id, timelineTypes(id));

		// Undecodable records: every reader writes its dead-letter topic and commits past
		// them (a consumer commits only once its dead letter is written).
		Map<String, RecordMetadata> poison = new HashMap<>();
		try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(client(broker, "admin"),
				new ByteArraySerializer(), new ByteArraySerializer())) {
			for (Topic<String, ?> topic : Topics.records()) {
				poison.put(topic.name(),
						producer
							.send(new ProducerRecord<>(topic.name(), "poison".getBytes(StandardCharsets.UTF_8),
									"not avro".getBytes(StandardCharsets.UTF_8)))
							.get());
			}
		}
		Eventually.within(Duration.ofMinutes(1)).untilAsserted(() -> {
			// Streams writes its dead letters exactly once; a consumer's retry may write
			// one twice.
			Map<String, Integer> deadLetters = deadLetters(broker);
			assertThat(deadLetters).containsEntry(Topics.ALERTS.deadLetter().name(), 1)
				.containsEntry(Topics.INCIDENT_COMMANDS.deadLetter().name(), 1);
			assertThat(deadLetters.get(Topics.INCIDENTS.deadLetter().name())).isPositive();
			assertThat(deadLetters.get(Topics.INCIDENT_EVENTS.deadLetter().name())).as("projection, engine, notifier")
				.isGreaterThanOrEqualTo(3);
			assertThat(deadLetters.get(Topics.NOTIFICATIONS_DEAD_LETTER.name())).isPositive();
			assertCommittedPast(admin, "firebreak-incident-store", Topics.ALERTS.name(), poison);
			assertCommittedPast(admin, "firebreak-incident-store", Topics.INCIDENT_COMMANDS.name(), poison);
			assertCommittedPast(admin, "firebreak-incident-projection", Topics.INCIDENTS.name(), poison);
			assertCommittedPast(admin, "firebreak-incident-projection", Topics.INCIDENT_EVENTS.name(), poison);
			assertCommittedPast(admin, "firebreak-remediation-engine", Topics.INCIDENT_EVENTS.name(), poison);
			assertCommittedPast(admin, "firebreak-notifier", Topics.INCIDENT_EVENTS.name(), poison);
		});

		// Streams purges what it has read from its repartition topics (DeleteRecords).
		Eventually.within(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(purged(admin)).isTrue());

		// A heartbeat, then none: the dead man's switch writes its own alert to
		// the alerts topic, and the alerting pipeline's silence opens.
		HttpResponse<String> heartbeat = post(
				"http://127.0.0.1:" + this.ports.get("alert-ingest") + "/api/v1/alerts/alertmanager", this.senderToken,
				watchdog());
		assertThat(heartbeat.statusCode()).as("ingest: %s", heartbeat.body()).isBetween(200, 299);
		Eventually.within(Duration.ofMinutes(1))
			.untilAsserted(() -> assertThat(api("/api/v1/incidents").path("items").findValuesAsString("title"))
				.anySatisfy((title) -> assertThat(title).startsWith("AlertingPipelineSilent")));

		services.forEach((service, process) -> assertThat(process.isAlive()).as(service + " alive").isTrue());
		assertThat(this.denials.of(SERVICES)).as("requests of a service the broker denied").isEmpty();
		for (String service : SERVICES) {
			List<String> lines = Files.readAllLines(log(service));
			assertThat(lines).as("%s's log (%s)", service, log(service))
				.noneMatch((line) -> AUTHORIZATION_ERRORS.stream().anyMatch(line::contains));
		}
		log.info("Secured cluster test done in {} s", secondsSince(began));
	}

	/** Each service's command line, kept for a restart. */
	private void prepareServices(KafkaBroker broker, PostgresServer postgres, ChannelStandIn slack) throws IOException {
		Path secrets = Files.createDirectories(this.work.resolve("secrets"));
		this.operatorToken = randomHex(24);
		this.senderToken = randomHex(24);
		Path operatorTokenFile = Files.writeString(secrets.resolve("operator-token"), this.operatorToken);
		Path senderTokenFile = Files.writeString(secrets.resolve("sender-token"), this.senderToken);
		Path adminTokenFile = Files.writeString(secrets.resolve("admin-token"), randomHex(24));
		this.storePort = freePort();
		this.ports = Map.of("incident-store", this.storePort, "remediation-engine", freePort(), "notifier", freePort(),
				"alert-ingest", freePort());

		// Three ways to give a service its Kafka credentials, all as documented: the
		// property (incident-store, alert-ingest), a JAAS file named by the standard
		// system property (notifier), and a Spring config tree, one file per property
		// (remediation-engine: /run/secrets in a container).
		Path jaasFile = Files.writeString(secrets.resolve("notifier.jaas"),
				"KafkaClient {\n  " + jaas("notifier") + "\n};\n");
		Path configTree = Files.createDirectories(secrets.resolve("remediation-engine"));
		Files.writeString(configTree.resolve("spring.kafka.properties.sasl.jaas.config"), jaas("remediation-engine"));

		Map<String, List<String>> jvm = Map.of("notifier", List.of("-Djava.security.auth.login.config=" + jaasFile));
		Map<String, List<String>> settings = Map.of("incident-store",
				List.of("--spring.kafka.properties.sasl.jaas.config=" + jaas("incident-store"),
						"--firebreak.security.tokens[0].name=operator",
						"--firebreak.security.tokens[0].token-file=" + operatorTokenFile,
						"--firebreak.security.tokens[0].role=operator",
						"--spring.kafka.streams.state-dir=" + this.work.resolve("streams"),
						// Purge repartition topics every second, not every 30.
						"--spring.kafka.streams.properties.repartition.purge.interval.ms=1000",
						// The dead man's switch, quickly.
						"--firebreak.incidents.heartbeat.silent-after=5s", "--firebreak.incidents.review-tick=1s"),
				"remediation-engine",
				List.of("--spring.config.import=configtree:" + configTree + "/",
						"--firebreak.security.tokens[0].name=admin",
						"--firebreak.security.tokens[0].token-file=" + adminTokenFile,
						"--firebreak.security.tokens[0].role=admin"),
				"notifier",
				List.of("--firebreak.public-url=http://127.0.0.1:" + this.storePort,
						"--firebreak.notifier.slack.webhook-url=" + slack.url("/services/T0/B0/acl"),
						"--firebreak.notifier.outbox.stand-in=true",
						"--firebreak.notifier.outbox.file=" + this.work.resolve("outbox.jsonl")),
				"alert-ingest",
				List.of("--spring.kafka.properties.sasl.jaas.config=" + jaas("alert-ingest"),
						"--firebreak.security.tokens[0].name=alertmanager",
						"--firebreak.security.tokens[0].token-file=" + senderTokenFile,
						"--firebreak.security.tokens[0].role=sender"));
		for (String service : SERVICES) {
			// C1 only: four JVMs start on two cores in half the time.
			List<String> command = new ArrayList<>(List.of(java(), "-Xmx512m", "-XX:TieredStopAtLevel=1"));
			command.addAll(jvm.getOrDefault(service, List.of()));
			command.addAll(List.of("-jar", jar(service).toString(), "--server.port=" + this.ports.get(service),
					"--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
					"--spring.kafka.security.protocol=SASL_PLAINTEXT", "--spring.kafka.properties.sasl.mechanism=PLAIN",
					// The operator created the topics; nobody looks for them.
					"--spring.kafka.admin.auto-create=false",
					"--spring.datasource.url=" + postgres.jdbcUrl("firebreak"),
					"--spring.datasource.username=firebreak", "--spring.datasource.password=firebreak"));
			command.addAll(settings.get(service));
			this.commands.put(service, command);
		}
	}

	private ForkedProcess start(String service) {
		return this.started.add(ForkedProcess.start(service, this.commands.get(service), log(service)));
	}

	private void awaitReady(String service, ForkedProcess process) {
		process.awaitReady("http://127.0.0.1:" + this.ports.get(service) + "/actuator/health/readiness",
				Duration.ofMinutes(3));
	}

	/**
	 * One KRaft node whose client listener (still named PLAINTEXT) speaks SASL/PLAIN,
	 * with a user per entry; the StandardAuthorizer refuses what no ACL allows. The
	 * controller listener stays plaintext, its principal ANONYMOUS a super user (test
	 * only).
	 */
	static Map<String, String> securedBroker(Map<String, String> passwords) {
		String users = passwords.entrySet()
			.stream()
			.map((user) -> "user_" + user.getKey() + "=\"" + user.getValue() + "\"")
			.collect(Collectors.joining(" "));
		return Map.of("listener.security.protocol.map", "PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
				"sasl.enabled.mechanisms", "PLAIN", "sasl.mechanism.inter.broker.protocol", "PLAIN",
				"listener.name.plaintext.plain.sasl.jaas.config",
				PLAIN_LOGIN + " required username=\"admin\" password=\"" + passwords.get("admin") + "\" " + users + ";",
				"authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer", "super.users",
				"User:admin;User:ANONYMOUS", "allow.everyone.if.no.acl.found", "false");
	}

	/** The services' logs, kept in target/ for whoever reads a failure. */
	private void keepLogs() {
		try {
			Path kept = Files.createDirectories(Path.of("target", "secured-cluster-it"));
			for (String service : SERVICES) {
				if (Files.exists(log(service))) {
					Files.copy(log(service), kept.resolve(service + ".log"), StandardCopyOption.REPLACE_EXISTING);
				}
			}
		}
		catch (IOException ex) {
			log.warn("Could not keep the services' logs", ex);
		}
	}

	private String jaas(String user) {
		return PLAIN_LOGIN + " required username=\"" + user + "\" password=\"" + this.passwords.get(user) + "\";";
	}

	private Map<String, Object> client(KafkaBroker broker, String user) {
		return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
				CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT", SaslConfigs.SASL_MECHANISM, "PLAIN",
				SaslConfigs.SASL_JAAS_CONFIG, jaas(user), ProducerConfig.ACKS_CONFIG, "all");
	}

	/** Records in each dead-letter topic, read committed. */
	private Map<String, Integer> deadLetters(KafkaBroker broker) {
		Map<String, Object> config = new HashMap<>(client(broker, "admin"));
		config.remove(ProducerConfig.ACKS_CONFIG);
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		Map<String, Integer> counts = new HashMap<>();
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
				new ByteArrayDeserializer())) {
			List<TopicPartition> partitions = new ArrayList<>();
			for (Topic<?, ?> topic : Topics.all()) {
				if (topic.name().endsWith(Topic.DEAD_LETTER_SUFFIX)) {
					counts.put(topic.name(), 0);
					consumer.partitionsFor(topic.name())
						.forEach(
								(partition) -> partitions.add(new TopicPartition(topic.name(), partition.partition())));
				}
			}
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (partitions.stream().anyMatch((partition) -> consumer.position(partition) < end.get(partition))
					&& System.nanoTime() < deadline) {
				consumer.poll(Duration.ofMillis(200))
					.forEach((record) -> counts.merge(record.topic(), 1, Integer::sum));
			}
		}
		return counts;
	}

	private static void assertCommittedPast(Admin admin, String group, String topic, Map<String, RecordMetadata> poison)
			throws Exception {
		RecordMetadata written = poison.get(topic);
		TopicPartition partition = new TopicPartition(topic, written.partition());
		OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group)
			.partitionsToOffsetAndMetadata()
			.get()
			.get(partition);
		assertThat(committed).as("%s's offset on %s", group, partition).isNotNull();
		assertThat(committed.offset()).as("%s's offset on %s", group, partition).isGreaterThan(written.offset());
	}

	/** Whether some repartition topic of incident-store has records purged. */
	private static boolean purged(Admin admin) throws Exception {
		Set<String> repartition = admin.listTopics()
			.names()
			.get()
			.stream()
			.filter((name) -> name.startsWith(STREAMS_PREFIX) && name.endsWith("-repartition"))
			.collect(Collectors.toSet());
		Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
		admin.describeTopics(repartition)
			.allTopicNames()
			.get()
			.values()
			.forEach((topic) -> topic.partitions()
				.forEach((partition) -> earliest.put(new TopicPartition(topic.name(), partition.partition()),
						OffsetSpec.earliest())));
		return admin.listOffsets(earliest).all().get().values().stream().anyMatch((offsets) -> offsets.offset() > 0);
	}

	/** Role firebreak owning database firebreak, as LocalInfrastructure makes them. */
	private static void createDatabase(PostgresServer postgres) throws Exception {
		try (Connection connection = postgres.dataSource(postgres.adminDatabase()).getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE ROLE firebreak LOGIN PASSWORD 'firebreak'");
			statement.execute("CREATE DATABASE firebreak OWNER firebreak");
		}
	}

	/** deploy/'s Watchdog, as Alertmanager delivers it. */
	private static String watchdog() {
		return """
				{"version": "4", "status": "firing", "receiver": "firebreak", "groupKey": "{}:{alertname=\\"Watchdog\\"}",
				 "groupLabels": {"alertname": "Watchdog"}, "commonLabels": {}, "commonAnnotations": {},
				 "externalURL": "http://alertmanager:9093",
				 "alerts": [{"status": "firing", "fingerprint": "0a1b2c3d4e5f6071",
				   "labels": {"alertname": "Watchdog", "severity": "none", "heartbeat": "true", "cluster": "acl"},
				   "annotations": {"summary": "Alerting pipeline heartbeat"},
				   "startsAt": "%s", "endsAt": "0001-01-01T00:00:00Z"}]}
				"""
			.formatted(Instant.now());
	}

	/** A disk filling up, critical: SEV2, the dry-run log clean-up, every channel. */
	private static String webhook() {
		return """
				{"version": "4", "status": "firing", "receiver": "firebreak", "groupKey": "{}:{alertname=\\"DiskSpaceHigh\\"}",
				 "groupLabels": {"alertname": "DiskSpaceHigh"}, "commonLabels": {}, "commonAnnotations": {},
				 "externalURL": "http://alertmanager:9093",
				 "alerts": [{"status": "firing", "fingerprint": "5ec0e1dacc15a5e1",
				   "labels": {"alertname": "DiskSpaceHigh", "severity": "critical", "cluster": "acl",
				              "job": "node", "instance": "node-1:9100", "mountpoint": "/var/log"},
				   "annotations": {"summary": "Disk /var/log is 96 percent full"},
				   "startsAt": "%s", "endsAt": "0001-01-01T00:00:00Z"}]}
				"""
			.formatted(Instant.now());
	}

	private List<Acl> aclsToGrant() {
		Set<String> omit = Arrays.stream(System.getProperty("firebreak.acl.omit", "").split(","))
			.map(String::strip)
			.filter((label) -> !label.isEmpty())
			.collect(Collectors.toSet());
		Set<String> labels = ACLS.stream().map(Acl::label).collect(Collectors.toSet());
		assertThat(labels).as("ACLs to omit").containsAll(omit);
		ACLS.forEach((acl) -> log.info("ACL{} {}", omit.contains(acl.label()) ? " OMITTED" : "", acl.label()));
		return ACLS.stream().filter((acl) -> !omit.contains(acl.label())).toList();
	}

	private List<String> timelineTypes(String incidentId) throws Exception {
		List<String> types = new ArrayList<>();
		api("/api/v1/incidents/" + incidentId + "/timeline")
			.forEach((entry) -> types.add(entry.path("type").asString()));
		return types;
	}

	private JsonNode api(String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.storePort + path))
			.timeout(Duration.ofSeconds(10))
			.header("Authorization", "Bearer " + this.operatorToken)
			.build();
		HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

	private static HttpResponse<String> post(String url, String token, String body) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private Path log(String program) {
		return this.work.resolve("logs").resolve(program + ".log");
	}

	private static Acl acl(String user, ResourceType type, PatternType pattern, String name, AclOperation operation) {
		return new Acl(user, type, pattern, name, operation);
	}

	/** One ALLOW entry for a service's principal, from any host. */
	record Acl(String user, ResourceType type, PatternType pattern, String name, AclOperation operation) {

		AclBinding binding() {
			return new AclBinding(new ResourcePattern(this.type, this.name, this.pattern),
					new AccessControlEntry("User:" + this.user, "*", this.operation, AclPermissionType.ALLOW));
		}

		String label() {
			return this.user + " " + this.operation + " " + this.type + " " + this.pattern + " " + this.name;
		}

	}

	/**
	 * The authorizer's audit log ({@code kafka.authorizer.logger}, in this JVM): it logs
	 * a denied request at INFO.
	 */
	private static final class Denials extends AppenderBase<ILoggingEvent> {

		private final List<String> denied = new CopyOnWriteArrayList<>();

		private ch.qos.logback.classic.Logger audit;

		void attach() {
			this.audit = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("kafka.authorizer.logger");
			this.audit.setLevel(Level.INFO);
			setContext(this.audit.getLoggerContext());
			start();
			this.audit.addAppender(this);
		}

		void detach() {
			if (this.audit != null) {
				this.audit.detachAppender(this);
				this.audit.setLevel(null);
				stop();
			}
		}

		@Override
		protected void append(ILoggingEvent event) {
			if (event.getLevel().isGreaterOrEqual(Level.INFO)) {
				this.denied.add(event.getFormattedMessage());
			}
		}

		List<String> of(List<String> users) {
			return this.denied.stream()
				.filter((line) -> users.stream().anyMatch((user) -> line.contains("User:" + user + " ")))
				.distinct()
				.toList();
		}

	}

}
