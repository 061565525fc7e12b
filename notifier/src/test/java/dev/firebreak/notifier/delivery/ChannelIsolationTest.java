package dev.firebreak.notifier.delivery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.IncidentEventType;
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
 * A mail server that takes the connection and never says a word holds up email only:
 * PagerDuty goes out at once, and the email attempt ends at the SMTP read timeout (the
 * service's default, not the test's) to be tried again.
 */
@SpringBootTest
class ChannelIsolationTest {

	/**
	 * A broker of its own: on the shared one, other tests' incidents would queue their
	 * emails on the hung server ahead of this one's.
	 */
	private static final KafkaBroker BROKER = KafkaBroker.startNew();

	private static final List<Socket> HELD = new CopyOnWriteArrayList<>();

	private static ServerSocket silentSmtp;

	private static ChannelStandIn pagerDuty;

	@Autowired
	DataSource dataSource;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
		silentSmtp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(() -> {
			while (!silentSmtp.isClosed()) {
				try {
					HELD.add(silentSmtp.accept());
				}
				catch (IOException ex) {
					return;
				}
			}
		}, "silent-smtp");
		acceptor.setDaemon(true);
		acceptor.start();
		pagerDuty = ChannelStandIn.pagerDuty();
		PostgresFixture postgres = TestInfrastructure.postgres();
		String database = postgres.createDatabase("channel_isolation");
		registry.add("spring.kafka.bootstrap-servers", BROKER::bootstrapServers);
		registry.add("spring.datasource.url", () -> postgres.jdbcUrl(database));
		registry.add("spring.datasource.username", postgres::username);
		registry.add("spring.datasource.password", postgres::password);
		registry.add("spring.mail.host", () -> "127.0.0.1");
		registry.add("spring.mail.port", silentSmtp::getLocalPort);
		registry.add("firebreak.notifier.email.to", () -> "oncall@example.com");
		registry.add("firebreak.notifier.pagerduty.events-url", () -> pagerDuty.url("/v2/enqueue"));
		registry.add("firebreak.notifier.pagerduty.routing-key", () -> "R0UT1NGK3Y0000000000000000000000");
		registry.add("firebreak.notifier.group-id", () -> "notifier-channel-isolation");
	}

	@AfterAll
	static void stop() throws IOException {
		silentSmtp.close();
		for (Socket socket : HELD) {
			socket.close();
		}
		pagerDuty.close();
		BROKER.close();
	}

	@Test
	void aHungMailServerDelaysNeitherPagerDutyNorItsOwnRetry() {
		String id = "INC-20261122-0801";
		Instant sent = Instant.now();
		IncidentEvent opened = IncidentEvents
			.of(IncidentEventType.OPENED,
					Incidents.open(id)
						.severity(Severity.SEV1)
						.version(1)
						.alert(Alerts.firing("ServiceDown").label("service", "isolated").build())
						.build())
			.at(sent)
			.build();
		KafkaRecords.produce(BROKER, Topics.INCIDENT_EVENTS, Map.entry(id, opened));

		Eventually.within(Duration.ofSeconds(30))
			.until(() -> pagerDuty.received()
				.stream()
				.anyMatch((page) -> id.equals(page.body().path("dedup_key").asString())));
		assertThat(Duration.between(sent, Instant.now())).as("PagerDuty despite a hung mail server")
			.isLessThan(Duration.ofSeconds(8));
		// The mail server is reached (PagerDuty may well be done first) and holds the
		// connection.
		Eventually.within(Duration.ofSeconds(10)).until(() -> !HELD.isEmpty());

		String error = Eventually.within(Duration.ofSeconds(40))
			.until(() -> JdbcClient.create(this.dataSource)
				.sql("SELECT last_error FROM delivery WHERE incident_id = ? AND channel = 'EMAIL'")
				.param(id)
				.query(String.class)
				.optional()
				.orElse(null), (last) -> last != null);
		assertThat(error).startsWith("SMTP failed").containsIgnoringCase("timed out");
	}

}
