package dev.firebreak.notifier.delivery;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.MeterRegistry;
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
import dev.firebreak.notifier.channel.SendResult;
import dev.firebreak.notifier.channel.Sender;
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
 * Two notifiers on one database, as in a rolling deploy or a pair for availability: each
 * message goes out once, the rate limit is the cluster's and not each instance's, and a
 * sender paused past its claim's lease neither sends nor records anything once a peer
 * took the message over.
 */
class TwoNotifiersTest {

	private static final String KEY = "R0UT1NGK3YS3CR3T0000000000000000";

	private static final AvroCodec<IncidentEvent> EVENTS = AvroCodec.of(IncidentEvent.class);

	private final List<Dispatcher> started = new ArrayList<>();

	private ChannelStandIn pagerDuty;

	private PGSimpleDataSource dataSource;

	private KafkaTemplate<byte[], byte[]> kafka;

	@BeforeEach
	void start() throws Exception {
		this.pagerDuty = ChannelStandIn.pagerDuty();
		PostgresFixture postgres = TestInfrastructure.postgres();
		this.dataSource = (PGSimpleDataSource) postgres.dataSource(postgres.createDatabase("notifier_two"));
		this.dataSource.setCurrentSchema("notifier");
		Flyway.configure().dataSource(this.dataSource).schemas("notifier").defaultSchema("notifier").load().migrate();
		// The outcomes' topic, also when this test runs alone.
		KafkaTopics.createAll(TestInfrastructure.kafka());
		KafkaProperties properties = new KafkaProperties();
		properties.setBootstrapServers(List.of(TestInfrastructure.kafka().bootstrapServers()));
		this.kafka = RawRecords.template(properties);
	}

	@AfterEach
	void stop() {
		this.started.forEach(Dispatcher::stop);
		this.pagerDuty.close();
	}

	@Test
	void eachTriggerGoesOutOnceAndTheRateLimitHoldsForBoth() {
		// 5 at once, then 10 a second: 30 triggers take at least 2.5 s for the pair.
		// With a bucket in each instance they would take 1 s.
		RateLimit limit = new RateLimit(10, 5);
		DeliveryStore store = store(Duration.ofSeconds(30));
		List<String> incidents = IntStream.rangeClosed(1, 30)
			.mapToObj((n) -> "INC-20261201-%04d".formatted(n))
			.toList();
		for (String incident : incidents) {
			store.record(List.of(trigger(incident)), Instant.now());
		}
		MeterRegistry metersA = new SimpleMeterRegistry();
		MeterRegistry metersB = new SimpleMeterRegistry();
		start(dispatcher(store(Duration.ofSeconds(30)), pagerDutySender(), limit, metersA));
		start(dispatcher(store(Duration.ofSeconds(30)), pagerDutySender(), limit, metersB));

		Eventually.within(Duration.ofSeconds(60))
			.until(() -> sent() == incidents.size() && sentBy(metersA) + sentBy(metersB) == incidents.size());

		List<ChannelStandIn.Received> received = this.pagerDuty.received();
		assertThat(received).extracting((trigger) -> trigger.body().path("dedup_key").asString())
			.as("every incident's trigger, each once")
			.containsExactlyInAnyOrderElementsOf(incidents);
		assertThat(received)
			.allSatisfy((trigger) -> assertThat(trigger.body().path("event_action").asString()).isEqualTo("trigger"));
		assertThat(sentBy(metersA)).as("both instances sent").isPositive();
		assertThat(sentBy(metersB)).as("both instances sent").isPositive();
		// The bucket, everywhere: n sends in a span need (n - burst) / rate seconds of
		// it.
		List<Instant> times = received.stream().map(ChannelStandIn.Received::at).sorted().toList();
		for (int first = 0; first < times.size(); first++) {
			for (int last = first + limit.burst(); last < times.size(); last++) {
				double span = Duration.between(times.get(first), times.get(last)).toMillis() / 1000.0;
				double needed = (last - first + 1 - limit.burst()) / limit.perSecond();
				// 150 ms for the time between the take and the stand-in's clock.
				assertThat(span).as("sends %d to %d", first, last).isGreaterThanOrEqualTo(needed - 0.15);
			}
		}
	}

	@Test
	void aSenderPausedPastItsLeaseNeitherSendsNorRecordsOnceAPeerTookOver() {
		DeliveryStore paused = store(Duration.ofSeconds(1));
		DeliveryStore peer = store(Duration.ofSeconds(1));
		paused.record(List.of(trigger("INC-20261201-0100")), Instant.now());
		Delivery claimedByPaused = paused.claim(Instant.now(), Set.of(Channel.PAGERDUTY)).orElseThrow();

		Dispatcher live = dispatcher(peer, pagerDutySender(), null, new SimpleMeterRegistry());
		assertThat(live.recover()).as("a live claim is left alone").isZero();
		assertThat(live.dispatchOne()).as("nothing else is due").isFalse();
		// The paused sender's lease runs out: the peer takes the trigger over and sends
		// it.
		Eventually.within(Duration.ofSeconds(10)).until(() -> live.recover() == 1);
		assertThat(live.dispatchOne()).isTrue();

		// The paused sender wakes up: its claim no longer holds, so it does not send, and
		// what it would have recorded changes nothing.
		assertThat(paused.holds(claimedByPaused)).isFalse();
		assertThat(paused.finish(claimedByPaused, "FAILED", null, "woke up late",
				outcome(claimedByPaused, NotificationStatus.FAILED), Instant.now()))
			.isFalse();
		paused.retryAt(claimedByPaused, Instant.now(), "woke up late", true);
		assertThat(this.pagerDuty.received()).singleElement()
			.satisfies((trigger) -> assertThat(trigger.body().path("dedup_key").asString())
				.isEqualTo("INC-20261201-0100"));
		assertThat(JdbcClient.create(this.dataSource)
			.sql("SELECT status || ' ' || coalesce(last_error, '-') FROM delivery")
			.query(String.class)
			.single()).isEqualTo("SENT -");
		assertThat(outcomes("INC-20261201-0100")).singleElement()
			.satisfies((outcome) -> assertThat(outcome.getStatus()).isEqualTo(NotificationStatus.SENT));
	}

	@Test
	void aSendThatOutlastsItsLeaseIsCountedAndRecordedOnce() throws Exception {
		// The sender's claim holds when it starts to send; the send hangs past the lease
		// and a peer sends the same trigger. PagerDuty gets it twice with one dedup_key
		// (one incident), the timeline one outcome, and the slow sender counts its send
		// as a possible duplicate.
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch hanging = new CountDownLatch(1);
		Sender real = pagerDutySender();
		Sender hangs = new Sender() {
			@Override
			public Channel channel() {
				return real.channel();
			}

			@Override
			public String destination() {
				return real.destination();
			}

			@Override
			public SendResult send(Notice notice, String thread, String address) {
				hanging.countDown();
				try {
					release.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return real.send(notice, thread, address);
			}
		};
		DeliveryStore slowStore = store(Duration.ofSeconds(1));
		slowStore.record(List.of(trigger("INC-20261201-0200")), Instant.now());
		MeterRegistry slowMeters = new SimpleMeterRegistry();
		Dispatcher slow = dispatcher(slowStore, hangs, null, slowMeters);
		Thread sending = new Thread(slow::dispatchOne);
		sending.start();
		assertThat(hanging.await(10, TimeUnit.SECONDS)).isTrue();

		Dispatcher peer = dispatcher(store(Duration.ofSeconds(1)), pagerDutySender(), null, new SimpleMeterRegistry());
		Eventually.within(Duration.ofSeconds(10)).until(() -> peer.recover() == 1);
		assertThat(peer.dispatchOne()).isTrue();
		release.countDown();
		sending.join(30_000);

		assertThat(this.pagerDuty.received()).hasSize(2)
			.allSatisfy((trigger) -> assertThat(trigger.body().path("dedup_key").asString())
				.isEqualTo("INC-20261201-0200"));
		assertThat(slowMeters
			.counter("firebreak.notifier.deliveries", "channel", "PAGERDUTY", "result", "sent-after-takeover")
			.count()).isEqualTo(1);
		assertThat(outcomes("INC-20261201-0200")).singleElement()
			.satisfies((outcome) -> assertThat(outcome.getStatus()).isEqualTo(NotificationStatus.SENT));
	}

	private DeliveryStore store(Duration lease) {
		return new DeliveryStore(this.dataSource, new CommandOutbox(this.dataSource, this.kafka), lease);
	}

	private Dispatcher dispatcher(DeliveryStore store, Sender sender, RateLimit limit, MeterRegistry meters) {
		return new Dispatcher(store, Map.of("pagerduty", sender),
				(limit != null) ? Map.of("pagerduty", limit) : Map.of(), new CommandOutbox(this.dataSource, this.kafka),
				this.kafka, new Redactor(List.of(Secret.of(KEY))),
				new Dispatcher.Settings(3, new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)), Map.of(),
						"http://api", 2, Duration.ofMillis(300)),
				Clock.systemUTC(), meters);
	}

	private void start(Dispatcher dispatcher) {
		dispatcher.start();
		this.started.add(dispatcher);
	}

	private PagerDutySender pagerDutySender() {
		return new PagerDutySender(URI.create(this.pagerDuty.url("/v2/enqueue")), Secret.of(KEY), "pagerduty",
				Duration.ofSeconds(5));
	}

	private static double sentBy(MeterRegistry meters) {
		return meters.counter("firebreak.notifier.deliveries", "channel", "PAGERDUTY", "result", "sent").count();
	}

	private int sent() {
		return JdbcClient.create(this.dataSource)
			.sql("SELECT count(*) FROM delivery WHERE status = 'SENT'")
			.query(Integer.class)
			.single();
	}

	private static DeliveryStore.New trigger(String incident) {
		IncidentEvent opened = IncidentEvents
			.of(IncidentEventType.OPENED,
					Incidents.open(incident)
						.severity(Severity.SEV1)
						.version(1)
						.alert(Alerts.firing("ServiceDown").build())
						.build())
			.build();
		return new DeliveryStore.New(incident, 1, Channel.PAGERDUTY, Kind.TRIGGER, "pager", EVENTS.encode(opened),
				Delivery.Addressee.of("pagerduty", null), null);
	}

	private static dev.firebreak.schemas.avro.IncidentCommand outcome(Delivery delivery, NotificationStatus status) {
		return Outcomes.of(delivery.incidentId(), delivery.sequence(), delivery.channel(), delivery.to(), status,
				"pagerduty", null, null, delivery.attempts(), Instant.now());
	}

	private List<NotificationOutcome> outcomes(String incident) {
		new CommandOutbox(this.dataSource, this.kafka).flush();
		return KafkaRecords.readAll(TestInfrastructure.kafka(), Topics.INCIDENT_COMMANDS, Duration.ofSeconds(30))
			.stream()
			.filter((record) -> incident.equals(record.key()))
			.map((record) -> record.value().getNotification())
			.toList();
	}

}
