package dev.firebreak.notifier.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.firebreak.notifier.NotifierApplication;
import dev.firebreak.testkit.PostgresFixture;
import dev.firebreak.testkit.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The notifier fails closed: a message for a channel that is not configured would be lost
 * quietly, so naming one stops startup with the property to set, unless the local outbox
 * is switched on to stand in for it.
 */
class FailClosedTest {

	private static final String DATABASE = TestInfrastructure.postgres().createDatabase("fail_closed");

	@Test
	void aRouteNamingAChannelThatIsNotConfiguredStopsStartup() {
		assertThatExceptionOfType(Exception.class)
			.isThrownBy(() -> start("--firebreak.notifier.slack.webhook-url=http://127.0.0.1:1/hook",
					"--firebreak.notifier.routes[0].name=pager", "--firebreak.notifier.routes[0].channels=PAGERDUTY"))
			.havingRootCause()
			.withMessage("firebreak.notifier.routes[0] (pager) names PAGERDUTY, which is not configured: configure "
					+ "it (firebreak.notifier.<channel>.*), or set firebreak.notifier.outbox.stand-in=true to write "
					+ "its messages to the local outbox");
	}

	@Test
	void aFallbackToAChannelThatIsNotConfiguredStopsStartup() {
		assertThatExceptionOfType(Exception.class)
			.isThrownBy(() -> start("--firebreak.notifier.slack.webhook-url=http://127.0.0.1:1/hook",
					"--firebreak.notifier.fallbacks.SLACK=EMAIL"))
			.havingRootCause()
			.withMessageStartingWith("firebreak.notifier.fallbacks.SLACK names EMAIL, which is not configured");
	}

	@Test
	void noChannelAtAllStopsStartup() {
		assertThatExceptionOfType(Exception.class).isThrownBy(() -> start())
			.havingRootCause()
			.withMessageStartingWith("No notification channel is configured (Slack, PagerDuty, email, webhook)");
	}

	@Test
	void theLinksOldSettingStopsStartupNamingItsReplacement() {
		assertThatExceptionOfType(Exception.class)
			.isThrownBy(() -> start("--firebreak.notifier.outbox.stand-in=true",
					"--firebreak.notifier.api-base-url=http://127.0.0.1:8081"))
			.havingRootCause()
			.withMessage("firebreak.notifier.api-base-url is no longer read: use firebreak.public-url (Firebreak's "
					+ "address as people reach it; links go to the console, {public-url}/console/incidents/{id})");
	}

	@Test
	void theOutboxStandsInOnlyWhenSwitchedOnAndTheActuatorIsClosedButForHealthAndMetrics() throws Exception {
		try (ConfigurableApplicationContext context = start("--firebreak.notifier.outbox.stand-in=true",
				"--firebreak.notifier.routes[0].name=pager", "--firebreak.notifier.routes[0].channels=PAGERDUTY")) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();

			assertThat(status(port, "/actuator/health/readiness")).isEqualTo(200);
			assertThat(status(port, "/actuator/prometheus")).isEqualTo(200);
			assertThat(status(port, "/actuator/info")).isEqualTo(401);
			assertThat(status(port, "/actuator/env")).isEqualTo(401);
			assertThat(status(port, "/anything")).isEqualTo(401);
			// No PagerDuty webhook secret, no Slack signing secret: their paths take
			// nothing.
			assertThat(post(port, "/api/v1/integrations/pagerduty", "X-PagerDuty-Signature", "v1=00")).isEqualTo(401);
			assertThat(post(port, "/api/v1/integrations/slack", "X-Slack-Signature", "v0=00")).isEqualTo(401);
			assertThat(post(port, "/api/v1/integrations/other", "X-Slack-Signature", "v0=00")).isEqualTo(401);
		}
	}

	private static ConfigurableApplicationContext start(String... arguments) {
		PostgresFixture postgres = TestInfrastructure.postgres();
		List<String> all = new ArrayList<>(List.of("--server.port=0",
				"--spring.kafka.bootstrap-servers=" + TestInfrastructure.kafka().bootstrapServers(),
				"--spring.datasource.url=" + postgres.jdbcUrl(DATABASE),
				"--spring.datasource.username=" + postgres.username(),
				"--spring.datasource.password=" + postgres.password()));
		all.addAll(List.of(arguments));
		return new SpringApplicationBuilder(NotifierApplication.class).run(all.toArray(String[]::new));
	}

	private static int post(int port, String path, String header, String value) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
				.header(header, value)
				.header("X-Slack-Request-Timestamp", Long.toString(java.time.Instant.now().getEpochSecond()))
				.POST(HttpRequest.BodyPublishers.ofString("{}"))
				.build(), HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

	private static int status(int port, String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
					HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

}
