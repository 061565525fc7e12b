package dev.firebreak.incidents.projection;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.firebreak.schemas.DeadLetter;
import dev.firebreak.schemas.Topic;
import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.IncidentEventType;
import dev.firebreak.schemas.avro.IncidentStatus;
import dev.firebreak.schemas.fixtures.IncidentEvents;
import dev.firebreak.schemas.fixtures.Incidents;
import dev.firebreak.testkit.Eventually;
import dev.firebreak.testkit.KafkaBroker;
import dev.firebreak.testkit.KafkaRecords;
import dev.firebreak.testkit.PostgresServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The projection in the service, on a broker and a PostgreSQL of its own: PostgreSQL
 * stopped mid-stream pauses it (health says so), and once PostgreSQL is back it catches
 * up with no gap; an undecodable record goes to the dead-letter topic and the rest of its
 * batch is written.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class ProjectionRecoveryTest {

	private static final KafkaBroker BROKER = KafkaBroker.startNew();

	private static final PostgresServer POSTGRES = PostgresServer.startNew();

	private static final int INCIDENTS = 100;

	private static final int VERSIONS = 3;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	ProjectionStatus status;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
		String database = POSTGRES.createDatabase("recovery");
		registry.add("spring.kafka.bootstrap-servers", BROKER::bootstrapServers);
		registry.add("spring.datasource.url", () -> POSTGRES.jdbcUrl(database));
		registry.add("spring.datasource.username", POSTGRES::username);
		registry.add("spring.datasource.password", POSTGRES::password);
		registry.add("spring.kafka.streams.state-dir", Files.createTempDirectory("recovery-state")::toString);
		registry.add("firebreak.security.anonymous-roles", () -> "viewer");
		registry.add("firebreak.projection.max-backoff", () -> "1s");
	}

	@AfterAll
	static void stop() {
		BROKER.close();
		POSTGRES.close();
	}

	@Test
	void postgresStoppedMidStreamLeavesNoGap() {
		KafkaRecords.produce(BROKER, Topics.INCIDENT_EVENTS, events(0, INCIDENTS / 2));
		Eventually.within(Duration.ofSeconds(60)).until(() -> eventRows() == (INCIDENTS / 2) * VERSIONS);

		POSTGRES.stop();
		KafkaRecords.produce(BROKER, Topics.INCIDENT_EVENTS, events(INCIDENTS / 2, INCIDENTS));
		Eventually.within(Duration.ofSeconds(60)).until(() -> this.status.health(true).getStatus().equals(Status.DOWN));
		POSTGRES.start();

		Eventually.within(Duration.ofSeconds(60))
			.ignoreExceptionsInstanceOf(DataAccessResourceFailureException.class)
			.until(() -> eventRows() == INCIDENTS * VERSIONS);
		assertThat(this.status.health(true).getStatus()).isEqualTo(Status.UP);
		assertThat(this.jdbc.queryForObject(
				"SELECT count(*) FROM incident WHERE version = " + VERSIONS + " AND status = 'RESOLVED'", Long.class))
			.isEqualTo(INCIDENTS);
	}

	@Test
	void anUndecodableRecordGoesToTheDeadLetterTopicAndTheRestIsWritten() {
		IncidentEvent good = IncidentEvents
			.of(IncidentEventType.OPENED, Incidents.open("INC-20261122-9999").version(1).build())
			.build();
		Topic<String, byte[]> raw = new Topic<>(Topics.INCIDENT_EVENTS.name(), Serdes.String(), Serdes.ByteArray(),
				Topics.INCIDENT_EVENTS.cleanup(), Topics.INCIDENT_EVENTS.retention(),
				Topics.INCIDENT_EVENTS.partitions());
		KafkaRecords.produce(BROKER, raw,
				Map.entry("INC-20261122-9998", "not avro".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
		KafkaRecords.produce(BROKER, Topics.INCIDENT_EVENTS, Map.entry(good.getIncidentId(), good));

		Eventually.within(Duration.ofSeconds(60))
			.until(() -> this.jdbc.queryForObject("SELECT count(*) FROM incident WHERE id = 'INC-20261122-9999'",
					Long.class) == 1);
		List<ConsumerRecord<byte[], byte[]>> dead = KafkaRecords.consume(BROKER, Topics.INCIDENT_EVENTS.deadLetter(), 1,
				Duration.ofSeconds(30));
		assertThat(DeadLetter.header(dead.get(0).headers(), DeadLetter.REASON)).isEqualTo("BAD_MARKER");
		assertThat(new String(dead.get(0).value(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("not avro");
	}

	@Test
	void aRecordTheDatabaseRefusesGoesToTheDeadLetterTopicAndItsNeighboursAreWritten() {
		IncidentEvent before = IncidentEvents
			.of(IncidentEventType.OPENED, Incidents.open("INC-20261122-9990").version(1).build())
			.build();
		// PostgreSQL keeps no NUL character in text: it will refuse this one every time.
		IncidentEvent refused = IncidentEvent
			.newBuilder(IncidentEvents
				.of(IncidentEventType.COMMENTED, Incidents.open("INC-20261122-9991").version(2).build())
				.build())
			.setReason("a comment with a \u0000 in it")
			.build();
		IncidentEvent after = IncidentEvents
			.of(IncidentEventType.OPENED, Incidents.open("INC-20261122-9992").version(1).build())
			.build();
		KafkaRecords.produce(BROKER, Topics.INCIDENT_EVENTS, Map.entry(before.getIncidentId(), before),
				Map.entry(refused.getIncidentId(), refused), Map.entry(after.getIncidentId(), after));

		List<ConsumerRecord<byte[], byte[]>> dead = Eventually.within(Duration.ofSeconds(60))
			.until(() -> KafkaRecords.readAll(BROKER, Topics.INCIDENT_EVENTS.deadLetter(), Duration.ofSeconds(5))
				.stream()
				.filter((record) -> "DATABASE_REFUSED".equals(DeadLetter.header(record.headers(), DeadLetter.REASON)))
				.toList(), (letters) -> !letters.isEmpty());
		assertThat(new String(dead.get(0).key(), java.nio.charset.StandardCharsets.UTF_8))
			.isEqualTo("INC-20261122-9991");
		assertThat(DeadLetter.header(dead.get(0).headers(), DeadLetter.EXCEPTION)).startsWith("org.postgresql");
		Eventually.within(Duration.ofSeconds(60))
			.until(() -> this.jdbc.queryForObject(
					"SELECT count(*) FROM incident WHERE id IN ('INC-20261122-9990', 'INC-20261122-9992')",
					Long.class) == 2);
		assertThat(this.jdbc
			.queryForObject("SELECT count(*) FROM incident_event WHERE incident_id = 'INC-20261122-9991'", Long.class))
			.isZero();
	}

	/**
	 * Rows of the storm's events; while PostgreSQL is down, an error the wait ignores.
	 */
	private long eventRows() {
		return this.jdbc.queryForObject("SELECT count(*) FROM incident_event WHERE incident_id LIKE 'INC-20261122-0%'",
				Long.class);
	}

	/** Three events per incident: opened, acknowledged, resolved. */
	private static List<Map.Entry<String, IncidentEvent>> events(int from, int to) {
		List<Map.Entry<String, IncidentEvent>> events = new ArrayList<>();
		for (int n = from; n < to; n++) {
			String id = String.format("INC-20261122-%04d", n);
			IncidentStatus[] statuses = { IncidentStatus.OPEN, IncidentStatus.ACKNOWLEDGED, IncidentStatus.RESOLVED };
			IncidentEventType[] types = { IncidentEventType.OPENED, IncidentEventType.ACKNOWLEDGED,
					IncidentEventType.RESOLVED };
			for (int version = 1; version <= VERSIONS; version++) {
				IncidentEvent event = IncidentEvents
					.of(types[version - 1], Incidents.open(id).status(statuses[version - 1]).version(version).build())
					.build();
				events.add(Map.entry(id, event));
			}
		}
		return events;
	}

}
