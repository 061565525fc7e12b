package dev.firebreak.notifier.delivery;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;

import dev.firebreak.notifier.channel.PagerDutySender;
import dev.firebreak.notifier.message.Notice;
import dev.firebreak.notifier.route.Kind;
import dev.firebreak.platform.CommandOutbox;
import dev.firebreak.platform.RawRecords;
import dev.firebreak.platform.Secret;
import dev.firebreak.schemas.AvroCodec;
import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.Channel;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.IncidentEventType;
import dev.firebreak.schemas.avro.NotificationOutcome;
import dev.firebreak.schemas.avro.NotificationStatus;
import dev.firebreak.schemas.avro.Severity;
import dev.firebreak.schemas.fixtures.Alerts;
import dev.firebreak.schemas.fixtures.IncidentEvents;
import dev.firebreak.schemas.fixtures.Incidents;
import dev.firebreak.testkit.ChannelStandIn;
import dev.firebreak.testkit.Eventually;
import dev.firebreak.testkit.KafkaRecords;
import dev.firebreak.testkit.KafkaTopics;
import dev.firebreak.testkit.PostgresFixture;
import dev.firebreak.testkit.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The notifier dies after PagerDuty took a trigger and before the delivery was recorded
 * as sent. Once its claim's lease ran out, the next run sends it again, with the same
 * dedup_key, so PagerDuty keeps one incident: nobody is paged twice, and the timeline
 * gets one outcome.
 */
class CrashBetweenSendingAndRecordingTest {

	private static final String KEY = "R0UT1NGK3YS3CR3T0000000000000000";

	private ChannelStandIn pagerDuty;

	private PGSimpleDataSource dataSource;

	@BeforeEach
	void start() throws Exception {
		this.pagerDuty = ChannelStandIn.pagerDuty();
		PostgresFixture postgres = TestInfrastructure.postgres();
		this.dataSource = (PGSimpleDataSource) postgres.dataSource(postgres.createDatabase("notifier_crash"));
		this.dataSource.setCurrentSchema("notifier");
		Flyway.configure().dataSource(this.dataSource).schemas("notifier").defaultSchema("notifier").load().migrate();
		// The outcomes' topic, also when this test runs alone.
		KafkaTopics.createAll(TestInfrastructure.kafka());
	}

	@AfterEach
	void stop() {
		this.pagerDuty.close();
	}

	@Test
	void theResentTriggerCarriesTheSameDedupKeyAndTheOutcomeIsReportedOnce() {
		KafkaTemplate<byte[], byte[]> kafka = kafka();
		CommandOutbox outbox = new CommandOutbox(this.dataSource, kafka);
		DeliveryStore store = new DeliveryStore(this.dataSource, outbox, Duration.ofSeconds(3));
		PagerDutySender sender = new PagerDutySender(URI.create(this.pagerDuty.url("/v2/enqueue")), Secret.of(KEY),
				"pagerduty", Duration.ofSeconds(5));
		IncidentEvent opened = IncidentEvents
			.of(IncidentEventType.OPENED,
					Incidents.open("INC-20261122-0042")
						.severity(Severity.SEV1)
						.version(1)
						.alert(Alerts.firing("ServiceDown").build())
						.build())
			.build();
		byte[] raw = AvroCodec.of(IncidentEvent.class).encode(opened);
		store.record(List.of(new DeliveryStore.New("INC-20261122-0042", 1, Channel.PAGERDUTY, Kind.TRIGGER, "pager",
				raw, Delivery.Addressee.of("pagerduty", null), null)), Instant.now());

		// The first run: claimed, sent, and then the process dies.
		Delivery claimed = store.claim(Instant.now(), java.util.Set.of(Channel.PAGERDUTY)).orElseThrow();
		sender.send(Notice.of(opened, Kind.TRIGGER, "http://api"), null, null);

		// The next run.
		Dispatcher next = new Dispatcher(store, Map.of("pagerduty", sender), Map.of(), outbox, kafka,
				new Redactor(List.of(Secret.of(KEY))),
				new Dispatcher.Settings(3, new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)), Map.of(),
						"http://api", 1, Duration.ofMillis(300)),
				Clock.systemUTC(), new SimpleMeterRegistry());
		assertThat(next.recover()).as("the claim holds for its lease: a live sender would still have it").isZero();
		Eventually.within(Duration.ofSeconds(10)).until(() -> next.recover() == 1);
		Eventually.within(Duration.ofSeconds(30)).until(next::dispatchOne);

		// PagerDuty got the same trigger twice: one dedup_key, so one incident, one page.
		List<ChannelStandIn.Received> triggers = this.pagerDuty.received();
		assertThat(triggers).hasSize(2);
		assertThat(triggers).allSatisfy((trigger) -> {
			assertThat(trigger.body().path("event_action").asString()).isEqualTo("trigger");
			assertThat(trigger.body().path("dedup_key").asString()).isEqualTo("INC-20261122-0042");
			assertThat(trigger.body().path("routing_key").asString()).isEqualTo(KEY);
		});
		assertThat(triggers.get(1).body().path("payload")).isEqualTo(triggers.get(0).body().path("payload"));
		JdbcClient jdbc = JdbcClient.create(this.dataSource);
		assertThat(
				jdbc.sql("SELECT status FROM delivery WHERE id = ?").param(claimed.id()).query(String.class).single())
			.isEqualTo("SENT");
		assertThat(next.dispatchOne()).as("nothing else to send").isFalse();
		// The timeline gets one outcome: SENT on PagerDuty.
		outbox.flush();
		List<NotificationOutcome> outcomes = KafkaRecords
			.readAll(TestInfrastructure.kafka(), Topics.INCIDENT_COMMANDS, Duration.ofSeconds(30))
			.stream()
			.filter((record) -> "INC-20261122-0042".equals(record.key()))
			.map((record) -> record.value().getNotification())
			.toList();
		assertThat(outcomes).singleElement().satisfies((outcome) -> {
			assertThat(outcome.getStatus()).isEqualTo(NotificationStatus.SENT);
			assertThat(outcome.getChannel()).isEqualTo(Channel.PAGERDUTY);
			assertThat(outcome.getEventSequence()).isEqualTo(1);
		});
	}

	private static KafkaTemplate<byte[], byte[]> kafka() {
		KafkaProperties properties = new KafkaProperties();
		properties.setBootstrapServers(List.of(TestInfrastructure.kafka().bootstrapServers()));
		return RawRecords.template(properties);
	}

}
