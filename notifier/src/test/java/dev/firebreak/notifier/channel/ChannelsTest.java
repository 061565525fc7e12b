package dev.firebreak.notifier.channel;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import dev.firebreak.testkit.ChannelStandIn;
import dev.firebreak.notifier.message.Notice;
import dev.firebreak.notifier.route.Kind;
import dev.firebreak.platform.Secret;
import dev.firebreak.schemas.avro.EscalationLevel;
import dev.firebreak.schemas.avro.IncidentEventType;
import dev.firebreak.schemas.avro.IncidentStatus;
import dev.firebreak.schemas.avro.Severity;

import static org.assertj.core.api.Assertions.assertThat;

/** Each channel against a real server: answers sorted into sent, retry and permanent. */
class ChannelsTest {

	private ChannelStandIn webhook;

	private GreenMail smtp;

	@BeforeEach
	void start() throws Exception {
		this.webhook = ChannelStandIn.webhook();
		this.smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
		this.smtp.start();
	}

	@AfterEach
	void stop() {
		this.webhook.close();
		this.smtp.stop();
	}

	@Test
	void theWebhookIsSignedSoThatTheReceiverCanCheckIt() {
		Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
		WebhookSender sender = new WebhookSender(URI.create(this.webhook.url("/hook")), Secret.of("s3cret-signing"),
				"ops", Duration.ofSeconds(5), clock);

		SendResult result = sender.send(notice(), null, null);

		assertThat(result.status()).isEqualTo(SendResult.Status.SENT);
		ChannelStandIn.Received received = this.webhook.received().get(0);
		String timestamp = received.headers().get("x-firebreak-timestamp");
		assertThat(timestamp).isEqualTo("1795341600");
		assertThat(received.headers().get("x-firebreak-signature"))
			.isEqualTo("v1=" + WebhookSender.sign("s3cret-signing", timestamp + "." + received.body().toString()));
		assertThat(received.headers().get("idempotency-key")).isEqualTo("INC-20261122-0001:7");
		assertThat(received.body().path("incidentId").asString()).isEqualTo("INC-20261122-0001");
	}

	@Test
	void httpAnswersAreSorted() {
		WebhookSender sender = new WebhookSender(URI.create(this.webhook.url("/hook")), Secret.of("s"), "ops",
				Duration.ofSeconds(5), Clock.systemUTC());
		this.webhook.answer(429, "7");
		this.webhook.answer(502, null);
		this.webhook.answer(404, null);

		SendResult limited = sender.send(notice(), null, null);
		assertThat(limited.status()).isEqualTo(SendResult.Status.RETRY);
		assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(7));
		assertThat(sender.send(notice(), null, null).status()).isEqualTo(SendResult.Status.RETRY);
		assertThat(sender.send(notice(), null, null).status()).isEqualTo(SendResult.Status.PERMANENT);
		this.webhook.close();
		assertThat(sender.send(notice(), null, null).status()).as("nothing listens").isEqualTo(SendResult.Status.RETRY);
	}

	@Test
	void retryAfterIsReadAsSecondsOrAsADate() {
		assertThat(HttpDelivery.retryAfter("30")).isEqualTo(Duration.ofSeconds(30));
		String inAMinute = ZonedDateTime.now(ZoneOffset.UTC)
			.plusMinutes(1)
			.format(DateTimeFormatter.RFC_1123_DATE_TIME);
		assertThat(HttpDelivery.retryAfter(inAMinute)).isBetween(Duration.ofSeconds(55), Duration.ofSeconds(61));
		assertThat(HttpDelivery.retryAfter("soon")).isNull();
		assertThat(HttpDelivery.retryAfter(null)).isNull();
	}

	@Test
	void emailGoesOutWithItsThreadHeadersAndSmtpFailuresAreSorted() throws Exception {
		JavaMailSenderImpl mail = new JavaMailSenderImpl();
		mail.setHost("127.0.0.1");
		mail.setPort(this.smtp.getSmtp().getPort());
		EmailSender sender = new EmailSender(mail, "firebreak@example.com", List.of("oncall@example.com"),
				"firebreak.example");

		SendResult sent = sender.send(notice(), "<INC-20261122-0001@firebreak.example>", null);

		assertThat(sent.status()).isEqualTo(SendResult.Status.SENT);
		assertThat(sent.messageId()).isEqualTo("<INC-20261122-0001.7@firebreak.example>");
		var received = this.smtp.getReceivedMessages()[0];
		assertThat(received.getMessageID()).isEqualTo(sent.messageId());
		assertThat(received.getHeader("In-Reply-To")[0]).isEqualTo("<INC-20261122-0001@firebreak.example>");

		this.smtp.stop();
		assertThat(sender.send(notice(), null, null).status()).as("no server").isEqualTo(SendResult.Status.RETRY);
	}

	private static Notice notice() {
		return new Notice("INC-20261122-0001", 7, IncidentEventType.OPENED, Kind.TRIGGER, "api is down", Severity.SEV2,
				IncidentStatus.OPEN, EscalationLevel.L1, "Opened", Map.of("service", "api"), 1, 1, List.of(), List.of(),
				Instant.parse("2026-11-22T10:00:00Z"), "http://console/console/incidents/INC-20261122-0001",
				"http://console/console/incidents/INC-20261122-0001#timeline", null, null, null, null, null, null);
	}

}
