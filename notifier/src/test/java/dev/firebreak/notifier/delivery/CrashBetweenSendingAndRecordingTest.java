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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;

import dev.firebreak.testkit.ChannelStandIn;
import dev.firebreak.notifier.channel.PagerDutySender;
import dev.firebreak.notifier.message.Notice;
import dev.firebreak.notifier.route.Kind;
import dev.firebreak.platform.CommandOutbox;
import dev.firebreak.platform.Secret;
import dev.firebreak.schemas.AvroCodec;
import dev.firebreak.schemas.avro.Channel;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.IncidentEventType;
import dev.firebreak.schemas.avro.Severity;
import dev.firebreak.schemas.fixtures.Alerts;
import dev.firebreak.schemas.fixtures.IncidentEvents;
import dev.firebreak.schemas.fixtures.Incidents;
import dev.firebreak.testkit.Eventually;
import dev.firebreak.testkit.PostgresFixture;
import dev.firebreak.testkit.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The notifier dies after PagerDuty took a trigger and before the delivery was recorded
 * as sent. The next run sends it again, with the same dedup_key, so PagerDuty keeps one
 * incident: nobody is paged twice, and the timeline gets one outcome.
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
	}

	@AfterEach
	void stop() {
		this.pagerDuty.close();
	}

	@Test
	void theResentTriggerCarriesTheSameDedupKeyAndTheOutcomeIsReportedOnce() {
		CommandOutbox outbox = new CommandOutbox(this.dataSource, unusedKafka());
		DeliveryStore store = new DeliveryStore(this.dataSource, outbox);
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
		store.record(List
			.of(new DeliveryStore.New("INC-20261122-0042", 1, Channel.PAGERDUTY, Kind.TRIGGER, "pager", raw, null)),
				Instant.now());

		// The first run: claimed, sent, and then the process dies.
		Delivery claimed = store.claim(Instant.now()).orElseThrow();
		sender.send(Notice.of(opened, Kind.TRIGGER, "http://api"), null);

		// The next run.
		Dispatcher next = new Dispatcher(store, Map.of(Channel.PAGERDUTY, sender), Map.of(), outbox, unusedKafka(),
				new Redactor(List.of(Secret.of(KEY))), new Dispatcher.Settings(3,
						new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)), Map.of(), "http://api", 1),
				Clock.systemUTC(), new SimpleMeterRegistry());
		assertThat(store.recover()).isEqualTo(1);
		Eventually.within(Duration.ofSeconds(30)).until(next::dispatchOne);

		List<ChannelStandIn.Received> triggers = this.pagerDuty.received();
		assertThat(triggers).hasSize(2);
		assertThat(triggers).extracting((trigger) -> trigger.body().path("dedup_key").asString())
			.containsOnly("INC-20261122-0042");
		assertThat(triggers.stream().map((trigger) -> trigger.body().path("dedup_key").asString()).distinct())
			.as("PagerDuty incidents, i.e. pages")
			.hasSize(1);
		JdbcClient jdbc = JdbcClient.create(this.dataSource);
		assertThat(
				jdbc.sql("SELECT status FROM delivery WHERE id = ?").param(claimed.id()).query(String.class).single())
			.isEqualTo("SENT");
		assertThat(jdbc.sql("SELECT count(*) FROM outbox").query(Integer.class).single()).isEqualTo(1);
		assertThat(next.dispatchOne()).as("nothing else to send").isFalse();
	}

	/** Nothing here publishes: a delivery that succeeds writes no dead letter. */
	private static KafkaTemplate<byte[], byte[]> unusedKafka() {
		return null;
	}

}
