package dev.firebreak.incidents.console;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.firebreak.incidents.api.IncidentFilter;
import dev.firebreak.incidents.api.IncidentQueries;
import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.avro.CommandType;
import dev.firebreak.schemas.avro.IncidentCommand;
import dev.firebreak.schemas.fixtures.Alerts;
import dev.firebreak.testkit.Eventually;
import dev.firebreak.testkit.KafkaBroker;
import dev.firebreak.testkit.KafkaRecords;
import dev.firebreak.testkit.PostgresFixture;
import dev.firebreak.testkit.TestInfrastructure;

/**
 * The whole service for the console's tests, on a broker of its own and a real
 * PostgreSQL, with a viewer ({@code vera}), an operator ({@code olivia}) and an admin
 * ({@code ada}), and remediation-engine's kill switch played by {@link EngineStandIn};
 * the test classes share one application context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class ConsoleService {

	static final KafkaBroker BROKER = KafkaBroker.startNew();

	static final String VIEWER = "viewer-token-0123456789";

	static final String OPERATOR = "operator-token-0123456789";

	static final String ADMIN = "admin-token-0123456789";

	/** The admin token remediation-engine knows the console by. */
	static final String CONSOLE_TO_ENGINE = "console-engine-token-0123456789";

	static final EngineStandIn ENGINE = EngineStandIn.start(CONSOLE_TO_ENGINE);

	@LocalServerPort
	int port;

	@Autowired
	IncidentQueries queries;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
		PostgresFixture postgres = TestInfrastructure.postgres();
		String database = postgres.createDatabase("console");
		registry.add("spring.kafka.bootstrap-servers", BROKER::bootstrapServers);
		registry.add("spring.datasource.url", () -> postgres.jdbcUrl(database));
		registry.add("spring.datasource.username", postgres::username);
		registry.add("spring.datasource.password", postgres::password);
		registry.add("spring.kafka.streams.state-dir", Files.createTempDirectory("console-state")::toString);
		registry.add("firebreak.security.tokens[0].name", () -> "vera");
		registry.add("firebreak.security.tokens[0].token", () -> VIEWER);
		registry.add("firebreak.security.tokens[0].role", () -> "viewer");
		registry.add("firebreak.security.tokens[1].name", () -> "olivia");
		registry.add("firebreak.security.tokens[1].token", () -> OPERATOR);
		registry.add("firebreak.security.tokens[1].role", () -> "operator");
		registry.add("firebreak.security.tokens[2].name", () -> "ada");
		registry.add("firebreak.security.tokens[2].token", () -> ADMIN);
		registry.add("firebreak.security.tokens[2].role", () -> "admin");
		registry.add("firebreak.console.remediation-engine.url", ENGINE::url);
		registry.add("firebreak.console.remediation-engine.token", () -> CONSOLE_TO_ENGINE);
	}

	/** An open incident of one alert, as the projection has it. */
	String incident(String alertname, String service) {
		AlertEvent alert = Alerts.firing(alertname)
			.label("service", service)
			.label("severity", "critical")
			.annotation("summary", alertname + " on " + service)
			.receivedAt(Instant.now())
			.startsAt(Instant.now())
			.build();
		KafkaRecords.produce(BROKER, Topics.ALERTS, Map.entry(alert.getFingerprint(), alert));
		return Eventually.within(Duration.ofSeconds(60))
			.until(() -> this.queries
				.list(IncidentFilter.of(null, null, List.of("service=" + service), null, null, null, null, null, 10))
				.items(), (items) -> items.size() == 1)
			.get(0)
			.id();
	}

	/** The commands of a type for an incident on the commands topic. */
	static List<IncidentCommand> commands(String incidentId, CommandType type) {
		return KafkaRecords.readAll(BROKER, Topics.INCIDENT_COMMANDS, Duration.ofSeconds(2))
			.stream()
			.map(ConsumerRecord::value)
			.filter((command) -> command.getIncidentId().equals(incidentId) && command.getType() == type)
			.toList();
	}

	String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

}
