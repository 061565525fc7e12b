package dev.firebreak.notifier;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

import dev.firebreak.notifier.delivery.DeliveryStore;
import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.AutomationState;
import dev.firebreak.schemas.avro.EscalationLevel;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.IncidentEventType;
import dev.firebreak.schemas.avro.IncidentStatus;
import dev.firebreak.schemas.avro.NotificationOutcome;
import dev.firebreak.schemas.avro.Severity;
import dev.firebreak.schemas.fixtures.Alerts;
import dev.firebreak.schemas.fixtures.IncidentEvents;
import dev.firebreak.schemas.fixtures.Incidents;
import dev.firebreak.testkit.ChannelStandIn;
import dev.firebreak.testkit.Eventually;
import dev.firebreak.testkit.KafkaBroker;
import dev.firebreak.testkit.KafkaRecords;
import dev.firebreak.testkit.PostgresFixture;
import dev.firebreak.testkit.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An escalation policy against the real stand-ins: seed 004's path with a PagerDuty
 * service and a Slack channel per level, an on-call schedule that hands over on Monday at
 * 09:00 in Berlin, and pages told once per incident, level and target, across a restart
 * of the notifier. The notifier's clock runs from Monday 2026-11-30 07:58 UTC, two
 * minutes before Bob takes over from Alice.
 */
class EscalationTargetsTest {

	private static final String ON_CALL_KEY = "0NCA11K3Y000000000000000000000L1";

	private static final String MANAGERS_KEY = "MANAG3RSK3Y0000000000000000000L2";

	private static final Instant BEFORE_HANDOFF = Instant.parse("2026-11-30T07:58:00Z");

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final KafkaBroker BROKER = KafkaBroker.startNew();

	private static final Map<String, Object> SETTINGS = new LinkedHashMap<>();

	private static ChannelStandIn slack;

	private static ChannelStandIn pagerDuty;

	private ConfigurableApplicationContext notifier;

	@BeforeAll
	static void infrastructure() throws IOException {
		slack = ChannelStandIn.slackApi();
		pagerDuty = ChannelStandIn.pagerDuty();
		PostgresFixture postgres = TestInfrastructure.postgres();
		String database = postgres.createDatabase("escalation_targets");
		SETTINGS.put("spring.kafka.bootstrap-servers", BROKER.bootstrapServers());
		SETTINGS.put("spring.datasource.url", postgres.jdbcUrl(database));
		SETTINGS.put("spring.datasource.username", postgres.username());
		SETTINGS.put("spring.datasource.password", postgres.password());
		SETTINGS.put("server.port", "0");
		SETTINGS.put("management.server.port", "0");
		SETTINGS.put("firebreak.notifier.outbox.file",
				java.nio.file.Files.createTempDirectory("outbox").resolve("outbox.jsonl").toString());
		// The incident channel, by bot: every incident's thread, and mentions of people.
		slack("firebreak.notifier.slack", "C0INCIDENTS");
		SETTINGS.put("firebreak.notifier.slack.bot-token", "xoxb-000-S3CR3T-T0K3N");
		slack("firebreak.notifier.destinations.slack-oncall.slack", "C0ONCALL");
		slack("firebreak.notifier.destinations.slack-managers.slack", "C0MANAGERS");
		pagerDuty("pd-oncall", ON_CALL_KEY);
		pagerDuty("pd-managers", MANAGERS_KEY);
		person("alice", "U0ALICE");
		person("bob", "U0BOB");
		String schedule = "firebreak.notifier.schedules.primary.";
		SETTINGS.put(schedule + "zone", "Europe/Berlin");
		SETTINGS.put(schedule + "layers[0].people", "alice,bob");
		SETTINGS.put(schedule + "layers[0].start", "2026-11-23T09:00");
		SETTINGS.put(schedule + "layers[0].rotation", "7d");
		String levels = "firebreak.notifier.escalation.levels.";
		SETTINGS.put(levels + "L1[0].on-call", "primary");
		SETTINGS.put(levels + "L1[0].via", "PAGERDUTY,SLACK");
		SETTINGS.put(levels + "L1[1].destination", "slack-oncall");
		SETTINGS.put(levels + "L2[0].destination", "pd-managers");
		SETTINGS.put(levels + "L2[1].destination", "slack-managers");
	}

	private static void slack(String prefix, String channel) {
		SETTINGS.put(prefix + ".channel", channel);
		SETTINGS.put(prefix + ".api-url", slack.url("/api"));
		SETTINGS.put(prefix + ".rate-per-second", "50");
		SETTINGS.put(prefix + ".burst", "10");
	}

	private static void pagerDuty(String name, String key) {
		String prefix = "firebreak.notifier.destinations." + name + ".pagerduty.";
		SETTINGS.put(prefix + "routing-key", key);
		SETTINGS.put(prefix + "events-url", pagerDuty.url("/v2/enqueue"));
		SETTINGS.put(prefix + "rate-per-second", "50");
		SETTINGS.put(prefix + "burst", "10");
	}

	private static void person(String name, String slackUser) {
		SETTINGS.put("firebreak.notifier.people." + name + ".slack", slackUser);
		SETTINGS.put("firebreak.notifier.people." + name + ".pagerduty", "pd-oncall");
	}

	@AfterAll
	static void stop() {
		slack.close();
		pagerDuty.close();
		BROKER.close();
	}

	@AfterEach
	void close() {
		if (this.notifier != null) {
			this.notifier.close();
		}
	}

	/** The notifier's time: real time moved to {@code at}, and on as the test runs. */
	@Configuration(proxyBeanMethods = false)
	static class TestClock {

		static volatile Duration offset = Duration.ZERO;

		@Bean
		@Primary
		Clock testClock() {
			return new Clock() {

				@Override
				public ZoneId getZone() {
					return ZoneOffset.UTC;
				}

				@Override
				public Clock withZone(ZoneId zone) {
					return this;
				}

				@Override
				public Instant instant() {
					return Instant.now().plus(offset);
				}

			};
		}

		static void at(Instant at) {
			offset = Duration.between(Instant.now(), at);
		}

	}

	private void start() {
		// As arguments: they stand over application.yml, as an operator's would.
		this.notifier = new SpringApplicationBuilder(NotifierApplication.class, TestClock.class).run(SETTINGS.entrySet()
			.stream()
			.map((setting) -> "--" + setting.getKey() + "=" + setting.getValue())
			.toArray(String[]::new));
	}

	@Test
	void eachLevelTellsItsOwnPeopleOnItsOwnServiceAndChannel() {
		TestClock.at(BEFORE_HANDOFF);
		start();
		String id = "INC-20261130-0001";

		send(event(id, 1, IncidentEventType.OPENED, EscalationLevel.L1, IncidentStatus.OPEN));
		// The incident channel's message, and L1's three: Alice by PagerDuty and Slack,
		// the
		// on-call channel.
		List<NotificationOutcome> l1 = awaitOutcomes(id, 4);
		send(event(id, 2, IncidentEventType.ESCALATED, EscalationLevel.L2, IncidentStatus.OPEN));
		awaitOutcomes(id, 7);
		send(event(id, 3, IncidentEventType.RESOLVED, EscalationLevel.L2, IncidentStatus.RESOLVED));

		// Each service's incident is resolved as the incident is: PagerDuty follows it on
		// both.
		Eventually.within(WAIT)
			.untilAsserted(() -> assertThat(pages(id)).containsExactlyInAnyOrder(ON_CALL_KEY + " trigger",
					MANAGERS_KEY + " trigger", ON_CALL_KEY + " resolve", MANAGERS_KEY + " resolve"));
		assertThat(pages(id)).startsWith(ON_CALL_KEY + " trigger", MANAGERS_KEY + " trigger");
		assertThat(l1).filteredOn((outcome) -> outcome.getLevel() == EscalationLevel.L1)
			.extracting((outcome) -> outcome.getChannel() + " " + outcome.getRecipient())
			.containsExactlyInAnyOrder("PAGERDUTY alice", "SLACK alice", "SLACK slack-oncall");
		assertThat(outcomes(id)).filteredOn((outcome) -> outcome.getEventSequence() == 2)
			.filteredOn((outcome) -> outcome.getLevel() == EscalationLevel.L2)
			.extracting((outcome) -> outcome.getChannel() + " " + outcome.getRecipient())
			.containsExactlyInAnyOrder("PAGERDUTY pd-managers", "SLACK slack-managers");
		// The resolve followed every place the incident was paged, each once.
		Eventually.within(WAIT)
			.untilAsserted(() -> assertThat(outcomes(id)).filteredOn((outcome) -> outcome.getEventSequence() == 3)
				.extracting((outcome) -> outcome.getChannel() + " " + outcome.getRecipient())
				.containsExactlyInAnyOrder("SLACK null", "PAGERDUTY alice", "SLACK alice", "SLACK slack-oncall",
						"PAGERDUTY pd-managers", "SLACK slack-managers"));
		assertThat(firstPosts(id, "C0ONCALL")).singleElement()
			.satisfies((text) -> assertThat(text).contains("Opened").contains("For slack-oncall, paged at L1"));
		assertThat(firstPosts(id, "C0MANAGERS")).singleElement()
			.satisfies((text) -> assertThat(text).contains("Escalated to L2: L2 after 15m on the service-down policy's "
					+ "clock. Automation: runbook restart-service failed"));
		assertThat(firstPosts(id, "C0INCIDENTS")).anySatisfy((text) -> assertThat(text).startsWith("<@U0ALICE>")
			.contains("For alice, paged at L1")
			.contains("Paged: alice at L1 (PAGERDUTY, SLACK), slack-oncall at L1 (SLACK)"));
		assertThat(slack.problems()).isEmpty();
		assertThat(pagerDuty.problems()).isEmpty();
	}

	@Test
	void theOnCallPersonIsWhoeverTheScheduleNamesWhenTheMessageGoes() {
		TestClock.at(BEFORE_HANDOFF);
		start();
		String before = "INC-20261130-0002";
		String after = "INC-20261130-0003";

		send(event(before, 1, IncidentEventType.OPENED, EscalationLevel.L1, IncidentStatus.OPEN));
		awaitOutcomes(before, 3);
		// Monday 09:00 in Berlin (08:00 UTC): Bob's week begins.
		TestClock.at(Instant.parse("2026-11-30T08:00:05Z"));
		send(event(after, 1, IncidentEventType.OPENED, EscalationLevel.L1, IncidentStatus.OPEN));
		awaitOutcomes(after, 3);

		assertThat(trigger(before).path("payload").path("custom_details").path("paged").asString()).isEqualTo("alice");
		assertThat(trigger(after).path("payload").path("custom_details").path("paged").asString()).isEqualTo("bob");
		assertThat(firstPosts(after, "C0INCIDENTS")).anySatisfy((text) -> assertThat(text).startsWith("<@U0BOB>"));
		assertThat(outcomes(after)).filteredOn((outcome) -> outcome.getChannel().name().equals("PAGERDUTY"))
			.extracting(NotificationOutcome::getRecipient)
			.containsExactly("bob");
	}

	@Test
	void whileARunbookHasItsTurnNobodyIsPagedAndTheHandOverPagesTheFirstLevel() {
		TestClock.at(BEFORE_HANDOFF);
		start();
		String id = "INC-20261130-0004";

		send(IncidentEvents
			.of(IncidentEventType.OPENED,
					incident(id, 1, EscalationLevel.L1, IncidentStatus.OPEN).automation(AutomationState.WAITING)
						.build())
			.reason("opened by ServiceDown")
			.at(Instant.now())
			.build());
		Eventually.within(WAIT)
			.untilAsserted(() -> assertThat(firstPosts(id, "C0INCIDENTS")).singleElement()
				.satisfies((text) -> assertThat(text).contains("auto-remediation first")));

		send(IncidentEvents
			.of(IncidentEventType.AUTOMATION_ENDED,
					incident(id, 2, EscalationLevel.L1, IncidentStatus.OPEN).automation(AutomationState.ENDED).build())
			.reason("runbook restart-service failed: people are paged")
			.at(Instant.now())
			.build());

		Eventually.within(WAIT).untilAsserted(() -> assertThat(pages(id)).containsExactly(ON_CALL_KEY + " trigger"));
		assertThat(trigger(id).path("payload").path("summary").asString()).as("paged by the hand-over, not the opening")
			.contains("Handed to people: runbook restart-service failed: people are paged");
		assertThat(outcomes(id)).filteredOn((outcome) -> outcome.getEventSequence() == 1)
			.extracting((outcome) -> outcome.getChannel() + " " + outcome.getRecipient())
			.containsExactly("SLACK null");
	}

	@Test
	void eachTargetOfALevelIsToldOncePerIncidentAcrossARestart() {
		TestClock.at(BEFORE_HANDOFF);
		start();
		String id = "INC-20261130-0005";
		send(event(id, 1, IncidentEventType.OPENED, EscalationLevel.L1, IncidentStatus.OPEN));
		send(event(id, 2, IncidentEventType.ESCALATED, EscalationLevel.L2, IncidentStatus.OPEN));
		awaitOutcomes(id, 6);
		this.notifier.close();

		start();
		// The escalation delivered again, and a later event at the same level.
		send(event(id, 2, IncidentEventType.ESCALATED, EscalationLevel.L2, IncidentStatus.OPEN));
		send(IncidentEvents
			.of(IncidentEventType.SEVERITY_CHANGED,
					incident(id, 3, EscalationLevel.L2, IncidentStatus.OPEN).severity(Severity.SEV1).build())
			.reason("blast radius")
			.detail("previous", "SEV2")
			.detail("severity", "SEV1")
			.at(Instant.now())
			.build());
		Eventually.within(WAIT)
			.until(() -> outcomes(id).stream().anyMatch((outcome) -> outcome.getEventSequence() == 3));
		DeliveryStore store = this.notifier.getBean(DeliveryStore.class);
		Eventually.within(WAIT).until(() -> store.pending() == 0);

		assertThat(pages(id)).containsExactly(ON_CALL_KEY + " trigger", MANAGERS_KEY + " trigger");
		assertThat(firstPosts(id, "C0ONCALL")).hasSize(1);
		assertThat(firstPosts(id, "C0MANAGERS")).hasSize(1);
		assertThat(outcomes(id)).filteredOn((outcome) -> outcome.getEventSequence() == 3)
			.extracting((outcome) -> outcome.getChannel() + " " + outcome.getRecipient())
			.as("only the incident channel's own message")
			.containsExactly("SLACK null");
		assertThat(pagerDuty.problems()).isEmpty();
	}

	private static IncidentEvent event(String id, long sequence, IncidentEventType type, EscalationLevel level,
			IncidentStatus status) {
		IncidentEvents event = IncidentEvents.of(type, incident(id, sequence, level, status).build())
			.reason(switch (type) {
				case ESCALATED -> "L2 after 15m on the service-down policy's clock";
				default -> type.name().toLowerCase();
			})
			.at(Instant.now());
		if (type == IncidentEventType.ESCALATED) {
			event.detail("previous", "L1").detail("level", "L2").detail("automation", "runbook restart-service failed");
		}
		return event.build();
	}

	private static Incidents incident(String id, long sequence, EscalationLevel level, IncidentStatus status) {
		return Incidents.open(id)
			.severity(Severity.SEV2)
			.status(status)
			.escalationLevel(level)
			.version(sequence)
			.alert(Alerts.firing("ServiceDown").label("service", "api-" + id).label("instance", "api-1").build());
	}

	private static void send(IncidentEvent event) {
		KafkaRecords.produce(BROKER, Topics.INCIDENT_EVENTS, Map.entry(event.getIncidentId(), event));
	}

	/** PagerDuty events of the incident, in order, as {@code <routing key> <action>}. */
	private static List<String> pages(String id) {
		return pagerDuty.received()
			.stream()
			.filter((received) -> received.body().path("dedup_key").asString().equals(id))
			.map((received) -> received.body().path("routing_key").asString() + " "
					+ received.body().path("event_action").asString())
			.toList();
	}

	private static tools.jackson.databind.JsonNode trigger(String id) {
		return Eventually.within(WAIT)
			.until(() -> pagerDuty.received()
				.stream()
				.filter((received) -> received.body().path("dedup_key").asString().equals(id))
				.findFirst(), java.util.Optional::isPresent)
			.orElseThrow()
			.body();
	}

	/**
	 * The texts of the incident's first messages in a Slack channel (not thread replies
	 * or edits).
	 */
	private static List<String> firstPosts(String id, String channel) {
		return slack.received()
			.stream()
			.filter((received) -> received.path().endsWith("/chat.postMessage"))
			.filter((received) -> !received.body().has("thread_ts"))
			.filter((received) -> received.body().path("channel").asString().equals(channel))
			.filter((received) -> received.body().toString().contains(id))
			.map((received) -> received.body().path("text").asString() + "\n" + received.body().path("blocks"))
			.toList();
	}

	private static List<NotificationOutcome> awaitOutcomes(String id, int count) {
		return NotificationOutcomes.await(BROKER, id, count);
	}

	private static List<NotificationOutcome> outcomes(String id) {
		return NotificationOutcomes.of(BROKER, id);
	}

}
