package dev.firebreak.notifier;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.ActorKind;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.IncidentEventType;
import dev.firebreak.schemas.avro.IncidentStatus;
import dev.firebreak.schemas.avro.Severity;
import dev.firebreak.schemas.fixtures.Alerts;
import dev.firebreak.schemas.fixtures.IncidentEvents;
import dev.firebreak.schemas.fixtures.Incidents;
import dev.firebreak.testkit.ChannelStandIn;
import dev.firebreak.testkit.Eventually;
import dev.firebreak.testkit.KafkaFixture;
import dev.firebreak.testkit.KafkaRecords;
import dev.firebreak.testkit.PostgresFixture;
import dev.firebreak.testkit.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slack with a bot token: one thread per incident, its first message kept up to date by
 * events that make no message of their own.
 */
@SpringBootTest(
		properties = { "firebreak.notifier.routes[0].name=slack", "firebreak.notifier.routes[0].channels=SLACK" })
class SlackThreadTest {

	private static final String TOKEN = "xoxb-000-S3CR3T-T0K3N";

	private static final KafkaFixture KAFKA = TestInfrastructure.kafka();

	private static ChannelStandIn slack;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
		slack = ChannelStandIn.slackApi();
		PostgresFixture postgres = TestInfrastructure.postgres();
		String database = postgres.createDatabase("slack_thread");
		registry.add("spring.kafka.bootstrap-servers", KAFKA::bootstrapServers);
		registry.add("spring.datasource.url", () -> postgres.jdbcUrl(database));
		registry.add("spring.datasource.username", postgres::username);
		registry.add("spring.datasource.password", postgres::password);
		registry.add("firebreak.notifier.slack.bot-token", () -> TOKEN);
		registry.add("firebreak.notifier.slack.channel", () -> "C0INCIDENTS");
		registry.add("firebreak.notifier.slack.api-url", () -> slack.url("/api"));
		registry.add("firebreak.notifier.slack.rate-per-second", () -> "50");
		registry.add("firebreak.notifier.slack.burst", () -> "10");
		registry.add("firebreak.notifier.outbox.stand-in", () -> "false");
	}

	@AfterAll
	static void stop() {
		slack.close();
	}

	@Test
	void oneIncidentIsOneThreadWhoseFirstMessageFollowsTheIncident() {
		String id = "INC-20261122-0700";
		send(event(IncidentEventType.OPENED, id, 1, IncidentStatus.OPEN));
		Eventually.within(Duration.ofSeconds(60)).until(() -> slack.received().size() == 1);
		send(event(IncidentEventType.ALERT_ADDED, id, 2, IncidentStatus.OPEN));
		Eventually.within(Duration.ofSeconds(60)).until(() -> slack.received().size() == 2);
		send(event(IncidentEventType.ACKNOWLEDGED, id, 3, IncidentStatus.ACKNOWLEDGED));
		Eventually.within(Duration.ofSeconds(60)).until(() -> slack.received().size() == 4);

		List<ChannelStandIn.Received> calls = slack.received();
		String root = "1795341600.000001";
		assertThat(calls).extracting(ChannelStandIn.Received::path)
			.containsExactly("/api/chat.postMessage", "/api/chat.update", "/api/chat.postMessage", "/api/chat.update");
		assertThat(calls.get(0).body().has("thread_ts")).isFalse();
		assertThat(calls.get(1).body().path("ts").asString()).isEqualTo(root);
		assertThat(calls.get(2).body().path("thread_ts").asString()).isEqualTo(root);
		assertThat(calls.get(2).body().path("text").asString()).contains("Acknowledged by olivia");
		assertThat(calls.get(3).body().path("ts").asString()).isEqualTo(root);
		assertThat(calls).allSatisfy((call) -> {
			assertThat(call.headers().get("authorization")).isEqualTo("Bearer " + TOKEN);
			assertThat(call.body().path("channel").asString()).isEqualTo("C0INCIDENTS");
		});
		assertThat(slack.problems()).isEmpty();
	}

	private static IncidentEvent event(IncidentEventType type, String id, long sequence, IncidentStatus status) {
		IncidentEvents event = IncidentEvents
			.of(type,
					Incidents.open(id)
						.severity(Severity.SEV3)
						.status(status)
						.version(sequence)
						.alert(Alerts.firing("ServiceDown").label("service", "api").build())
						.build())
			.at(Instant.now());
		if (type == IncidentEventType.ACKNOWLEDGED) {
			event.by(ActorKind.OPERATOR, "olivia");
		}
		return event.build();
	}

	private static void send(IncidentEvent event) {
		KafkaRecords.produce(KAFKA, Topics.INCIDENT_EVENTS, Map.entry(event.getIncidentId(), event));
	}

}
