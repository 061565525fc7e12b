package dev.firebreak.notifier;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.avro.Channel;
import dev.firebreak.schemas.avro.Finding;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.IncidentEventType;
import dev.firebreak.schemas.avro.IncidentStatus;
import dev.firebreak.schemas.avro.NotificationOutcome;
import dev.firebreak.schemas.avro.NotificationStatus;
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
 * The whole notifier on a broker of its own, a real PostgreSQL, a real SMTP server
 * (GreenMail) and real HTTP servers playing Slack and PagerDuty that check every payload.
 * Each test uses incidents of its own.
 */
@SpringBootTest
@ExtendWith(OutputCaptureExtension.class)
class NotifierTest {

	static final String ROUTING_KEY = "R0UT1NGK3YS3CR3T0000000000000000";

	static final String SLACK_TOKEN = "XXS3CR3TT0K3NXX";

	private static final KafkaBroker BROKER = KafkaBroker.startNew();

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final GreenMail SMTP = new GreenMail(ServerSetupTest.SMTP.dynamicPort());

	private static ChannelStandIn slack;

	private static ChannelStandIn pagerDuty;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
		SMTP.start();
		slack = ChannelStandIn.slack();
		pagerDuty = ChannelStandIn.pagerDuty();
		PostgresFixture postgres = TestInfrastructure.postgres();
		String database = postgres.createDatabase("notifier");
		registry.add("spring.kafka.bootstrap-servers", BROKER::bootstrapServers);
		registry.add("spring.datasource.url", () -> postgres.jdbcUrl(database));
		registry.add("spring.datasource.username", postgres::username);
		registry.add("spring.datasource.password", postgres::password);
		registry.add("spring.mail.host", () -> "127.0.0.1");
		registry.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
		registry.add("firebreak.notifier.email.to", () -> "oncall@example.com");
		registry.add("firebreak.notifier.slack.webhook-url", () -> slack.url("/services/T0/B0/" + SLACK_TOKEN));
		registry.add("firebreak.notifier.slack.rate-per-second", () -> "20");
		registry.add("firebreak.notifier.slack.burst", () -> "5");
		registry.add("firebreak.notifier.pagerduty.events-url", () -> pagerDuty.url("/v2/enqueue"));
		registry.add("firebreak.notifier.pagerduty.routing-key", () -> ROUTING_KEY);
		registry.add("firebreak.notifier.pagerduty.rate-per-second", () -> "20");
		registry.add("firebreak.notifier.pagerduty.burst", () -> "5");
		registry.add("firebreak.notifier.email.rate-per-second", () -> "50");
		registry.add("firebreak.notifier.retry.max-attempts", () -> "3");
		registry.add("firebreak.notifier.retry.initial-backoff", () -> "100ms");
		registry.add("firebreak.notifier.retry.max-backoff", () -> "1s");
		registry.add("firebreak.notifier.fallbacks.SLACK", () -> "EMAIL");
		String outbox = java.nio.file.Files.createTempDirectory("outbox").resolve("outbox.jsonl").toString();
		registry.add("firebreak.notifier.outbox.file", () -> outbox);
	}

	@AfterAll
	static void stop() {
		slack.close();
		pagerDuty.close();
		SMTP.stop();
		BROKER.close();
	}

	@Test
	void anIncidentsLifeIsOneTriggerAcknowledgeAndResolveWithOneDedupKeyAndOneEmailThread() throws Exception {
		String id = "INC-20261122-0001";
		send(event(IncidentEventType.OPENED, id, 1, Severity.SEV2, IncidentStatus.OPEN));
		send(event(IncidentEventType.ALERT_ADDED, id, 2, Severity.SEV2, IncidentStatus.OPEN));
		send(event(IncidentEventType.ACKNOWLEDGED, id, 3, Severity.SEV2, IncidentStatus.ACKNOWLEDGED));
		send(event(IncidentEventType.RESOLVED, id, 4, Severity.SEV2, IncidentStatus.RESOLVED));
		// Redelivered: changes nothing.
		send(event(IncidentEventType.OPENED, id, 1, Severity.SEV2, IncidentStatus.OPEN));

		List<NotificationOutcome> outcomes = awaitOutcomes(id, 9);
		assertThat(outcomes)
			.allSatisfy((outcome) -> assertThat(outcome.getStatus()).isEqualTo(NotificationStatus.SENT));
		assertThat(outcomes.stream().map((outcome) -> outcome.getChannel() + "@" + outcome.getEventSequence()))
			.containsExactlyInAnyOrder("PAGERDUTY@1", "PAGERDUTY@3", "PAGERDUTY@4", "SLACK@1", "SLACK@3", "SLACK@4",
					"EMAIL@1", "EMAIL@3", "EMAIL@4");

		List<ChannelStandIn.Received> pages = forIncident(pagerDuty, id);
		assertThat(pages).extracting((page) -> page.body().path("event_action").asString())
			.containsExactly("trigger", "acknowledge", "resolve");
		assertThat(pages).extracting((page) -> page.body().path("dedup_key").asString()).containsOnly(id);
		assertThat(pages.get(0).body().path("payload").path("severity").asString()).isEqualTo("error");
		assertThat(pages.get(0).body().path("payload").path("summary").asString()).startsWith("[SEV2] " + id);
		assertThat(pagerDuty.problems()).isEmpty();

		assertThat(forIncident(slack, id)).hasSize(3);
		assertThat(slack.problems()).isEmpty();

		List<MimeMessage> mails = Eventually.within(WAIT).until(() -> mails(id), (list) -> list.size() == 3);
		assertThat(mails.get(0).getMessageID()).isEqualTo("<" + id + "@firebreak.local>");
		assertThat(mails.get(1).getHeader("In-Reply-To")[0]).isEqualTo("<" + id + "@firebreak.local>");
		assertThat(mails.get(2).getHeader("References")[0]).isEqualTo("<" + id + "@firebreak.local>");
		assertThat(mails.get(0).getHeader("Auto-Submitted")[0]).isEqualTo("auto-generated");
		assertThat(mails.get(0).getSubject()).startsWith("[SEV2] " + id);
	}

	@Test
	void aSev4IncidentGoesToSlackOnlyAndMaintenanceSuppressesWithAReason() {
		String quiet = "INC-20261122-0002";
		send(event(IncidentEventType.OPENED, quiet, 1, Severity.SEV4, IncidentStatus.OPEN));
		assertThat(awaitOutcomes(quiet, 1)).singleElement()
			.satisfies((outcome) -> assertThat(outcome.getChannel()).isEqualTo(Channel.SLACK));

		String maintained = "INC-20261122-0003";
		IncidentEvent inMaintenance = IncidentEvents
			.of(IncidentEventType.OPENED,
					Incidents.open(maintained)
						.severity(Severity.SEV2)
						.version(1)
						.alert(alert(maintained))
						.inMaintenance()
						.build())
			.reason("opened by ServiceDown")
			.at(Instant.now())
			.build();
		send(inMaintenance);
		List<NotificationOutcome> suppressed = awaitOutcomes(maintained, 3);
		assertThat(suppressed).allSatisfy((outcome) -> {
			assertThat(outcome.getStatus()).isEqualTo(NotificationStatus.SUPPRESSED);
			assertThat(outcome.getReason()).startsWith("the incident is in maintenance");
		});
		assertThat(forIncident(slack, maintained)).isEmpty();
		assertThat(forIncident(pagerDuty, maintained)).isEmpty();
	}

	@Test
	void retryableAnswersAreRetriedHonouringRetryAfterAndAPermanentOneFailsToTheDeadLetterTopicAndTheFallback(
			CapturedOutput output) {
		String id = "INC-20261122-0004";
		slack.answer(429, "1");
		slack.answer(503, null);
		send(event(IncidentEventType.OPENED, id, 1, Severity.SEV4, IncidentStatus.OPEN));
		NotificationOutcome sent = awaitOutcomes(id, 1).get(0);
		assertThat(sent.getStatus()).isEqualTo(NotificationStatus.SENT);
		assertThat(sent.getAttempts()).isEqualTo(3);

		String broken = "INC-20261122-0005";
		slack.answer(400, null);
		send(event(IncidentEventType.OPENED, broken, 1, Severity.SEV4, IncidentStatus.OPEN));
		List<NotificationOutcome> outcomes = awaitOutcomes(broken, 2);
		assertThat(outcomes).extracting((outcome) -> outcome.getChannel() + " " + outcome.getStatus())
			.containsExactly("SLACK FAILED", "EMAIL SENT");
		assertThat(outcomes.get(0).getReason()).startsWith("400");

		List<ConsumerRecord<String, byte[]>> letters = Eventually.within(WAIT)
			.until(() -> KafkaRecords.readAll(BROKER, Topics.NOTIFICATIONS_DEAD_LETTER, WAIT)
				.stream()
				.filter((record) -> broken.equals(record.key()))
				.toList(), (list) -> !list.isEmpty());
		String letter = new String(letters.get(0).value());
		assertThat(letter).contains("\"channel\":\"SLACK\"").contains("\"incidentId\":\"" + broken + "\"");

		// No secret anywhere an operator or another system reads.
		String commands = KafkaRecords.readAll(BROKER, Topics.INCIDENT_COMMANDS, WAIT)
			.stream()
			.map((record) -> record.value().toString())
			.collect(Collectors.joining("\n"));
		for (String secret : List.of(ROUTING_KEY, SLACK_TOKEN)) {
			assertThat(letter).doesNotContain(secret);
			assertThat(commands).doesNotContain(secret);
			assertThat(output.getAll()).doesNotContain(secret);
		}
	}

	@Test
	void whatFirebreakFoundIsToldOnSlackAndByEmailEscapedAndBoundedAndOnlyWhenItFoundSomething() throws Exception {
		String found = "INC-20261122-0006";
		Incident incident = Incidents.open(found).severity(Severity.SEV2).version(1).alert(alert(found)).build();
		incident.setFindings(List.of(Finding.newBuilder()
			.setRemediationId("rem-" + found)
			.setRunbookId("restart-application")
			.setStep("health")
			.setSucceeded(false)
			.setSummary("GET http://api:8080/health answered 503")
			.setOutput("<script>alert(1)</script> *DOWN* & " + "x".repeat(600))
			.setCollectedAt(Instant.parse("2026-11-22T09:59:30Z"))
			.build()));
		send(IncidentEvents.of(IncidentEventType.OPENED, incident).reason("opened").at(Instant.now()).build());
		String nothing = "INC-20261122-0007";
		send(event(IncidentEventType.OPENED, nothing, 1, Severity.SEV2, IncidentStatus.OPEN));
		assertThat(awaitOutcomes(found, 3))
			.allSatisfy((outcome) -> assertThat(outcome.getStatus()).isEqualTo(NotificationStatus.SENT));
		assertThat(awaitOutcomes(nothing, 3))
			.allSatisfy((outcome) -> assertThat(outcome.getStatus()).isEqualTo(NotificationStatus.SENT));
		// 500 characters of output at most: 35 before the x's, 464 x's and the ellipsis.
		String xs = "x".repeat(464);

		List<String> texts = new java.util.ArrayList<>();
		forIncident(slack, found).get(0)
			.body()
			.path("blocks")
			.forEach((block) -> texts.add(block.path("text").path("text").asString()));
		assertThat(texts).containsSubsequence("*What Firebreak found*",
				"• health (runbook restart-application): GET http://api:8080/health answered 503\n```\n"
						+ "&lt;script&gt;alert(1)&lt;/script&gt; *DOWN* &amp; " + xs + "…\n```");
		assertThat(forIncident(slack, nothing).get(0).body().toString()).doesNotContain("What Firebreak found");
		assertThat(slack.problems()).isEmpty();

		MimeMessage mail = Eventually.within(WAIT).until(() -> mails(found), (list) -> !list.isEmpty()).get(0);
		assertThat(body(mail, "text/plain")).contains("""
				What Firebreak found:
				  - health (runbook restart-application): GET http://api:8080/health answered 503
				      <script>alert(1)</script> *DOWN* & %s…
				""".formatted(xs));
		assertThat(body(mail, "text/html"))
			.contains("<h3>What Firebreak found</h3><ul>"
					+ "<li>health (runbook restart-application): GET http://api:8080/health answered 503"
					+ "<pre>&lt;script&gt;alert(1)&lt;/script&gt; *DOWN* &amp; " + xs + "&hellip;</pre></li></ul>")
			.doesNotContain("<script>");
		MimeMessage plain = Eventually.within(WAIT).until(() -> mails(nothing), (list) -> !list.isEmpty()).get(0);
		assertThat(body(plain, "text/plain")).doesNotContain("What Firebreak found");
		assertThat(body(plain, "text/html")).doesNotContain("What Firebreak found");
	}

	@Test
	void aStormOf500IncidentsStaysWithinTheRateLimitAndLosesNothing() {
		int before = slack.received().size();
		for (int i = 0; i < 500; i++) {
			send(event(IncidentEventType.OPENED, "INC-20261123-%04d".formatted(i), 1, Severity.SEV4,
					IncidentStatus.OPEN));
		}
		Eventually.within(Duration.ofSeconds(120))
			.until(() -> slack.received()
				.stream()
				.map((received) -> received.body().path("text").asString())
				.filter((text) -> text.contains("INC-20261123-"))
				.count() == 500);
		List<Instant> arrivals = slack.received()
			.subList(before, slack.received().size())
			.stream()
			.map(ChannelStandIn.Received::at)
			.sorted()
			.toList();
		// 20 a second with a burst of 5: no second-long window holds more than 25 (+1 for
		// clock edges).
		for (int i = 0; i < arrivals.size(); i++) {
			Instant end = arrivals.get(i).plusSeconds(1);
			long inWindow = arrivals.subList(i, arrivals.size()).stream().takeWhile((at) -> at.isBefore(end)).count();
			assertThat(inWindow).as("messages in the second after #" + i).isLessThanOrEqualTo(26);
		}
	}

	private static IncidentEvent event(IncidentEventType type, String id, long sequence, Severity severity,
			IncidentStatus status) {
		IncidentEvents event = IncidentEvents
			.of(type, Incidents.open(id).severity(severity).status(status).version(sequence).alert(alert(id)).build())
			.reason(type.name().toLowerCase())
			.at(Instant.now());
		if (type == IncidentEventType.ACKNOWLEDGED) {
			event.by(dev.firebreak.schemas.avro.ActorKind.OPERATOR, "olivia");
		}
		return event.build();
	}

	private static AlertEvent alert(String id) {
		return Alerts.firing("ServiceDown").label("service", "api-" + id).label("instance", "api-1").build();
	}

	private static void send(IncidentEvent event) {
		KafkaRecords.produce(BROKER, Topics.INCIDENT_EVENTS, Map.entry(event.getIncidentId(), event));
	}

	private static List<NotificationOutcome> awaitOutcomes(String id, int count) {
		return NotificationOutcomes.await(BROKER, id, count);
	}

	private static List<NotificationOutcome> outcomes(String id) {
		return NotificationOutcomes.of(BROKER, id);
	}

	private static List<ChannelStandIn.Received> forIncident(ChannelStandIn server, String id) {
		return server.received().stream().filter((received) -> received.body().toString().contains(id)).toList();
	}

	/** The message's first part of a type ({@code text/plain}, {@code text/html}). */
	private static String body(Part part, String type) throws Exception {
		if (part.isMimeType(type)) {
			return part.getContent().toString().replace("\r\n", "\n");
		}
		if (part.isMimeType("multipart/*")) {
			Multipart multipart = (Multipart) part.getContent();
			for (int i = 0; i < multipart.getCount(); i++) {
				String body = body(multipart.getBodyPart(i), type);
				if (body != null) {
					return body;
				}
			}
		}
		return null;
	}

	private static List<MimeMessage> mails(String id) throws Exception {
		List<MimeMessage> found = new java.util.ArrayList<>();
		for (MimeMessage message : SMTP.getReceivedMessages()) {
			if (message.getSubject().contains(id)) {
				found.add(message);
			}
		}
		return found;
	}

}
