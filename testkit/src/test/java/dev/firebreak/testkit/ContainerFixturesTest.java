package dev.firebreak.testkit;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;

import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.fixtures.Alerts;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Testcontainers fixtures, on machines with a Docker engine; skipped cleanly
 * elsewhere.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerFixturesTest {

	@Test
	void kafkaContainerCarriesCatalogueRecords() {
		try (ContainerFixtures.ContainerKafka kafka = ContainerFixtures.kafka()) {
			KafkaTopics.create(kafka, List.of(Topics.ALERTS));
			AlertEvent alert = Alerts.firing("ServiceDown").build();
			KafkaRecords.produce(kafka, Topics.ALERTS, Map.entry(alert.getFingerprint(), alert));

			assertThat(KafkaRecords.consume(kafka, Topics.ALERTS, 1, Duration.ofSeconds(60)).get(0).value())
				.isEqualTo(alert);
		}
	}

	@Test
	void postgresContainerCreatesDatabases() throws SQLException {
		try (ContainerFixtures.ContainerPostgres postgres = ContainerFixtures.postgres();
				Connection connection = postgres.dataSource(postgres.createDatabase("containers")).getConnection()) {
			assertThat(connection.isValid(5)).isTrue();
		}
	}

}
