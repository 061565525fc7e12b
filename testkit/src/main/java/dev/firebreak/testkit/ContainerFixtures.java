package dev.firebreak.testkit;

import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** The fixtures on Testcontainers, for machines with a Docker engine. */
final class ContainerFixtures {

	static final String KAFKA_IMAGE = "apache/kafka:4.2.0";

	static final String POSTGRES_IMAGE = "postgres:17-alpine";

	private ContainerFixtures() {
	}

	static ContainerKafka kafka() {
		KafkaContainer container = new KafkaContainer(KAFKA_IMAGE)
			.withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
			.withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
			.withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
		container.start();
		return new ContainerKafka(container);
	}

	static ContainerPostgres postgres() {
		PostgreSQLContainer container = new PostgreSQLContainer(POSTGRES_IMAGE);
		container.start();
		return new ContainerPostgres(container);
	}

	record ContainerKafka(KafkaContainer container) implements KafkaFixture, AutoCloseable {

		@Override
		public String bootstrapServers() {
			return this.container.getBootstrapServers();
		}

		@Override
		public void close() {
			this.container.stop();
		}

	}

	record ContainerPostgres(PostgreSQLContainer container) implements PostgresFixture, AutoCloseable {

		@Override
		public String jdbcUrl(String database) {
			return "jdbc:postgresql://" + this.container.getHost() + ":" + this.container.getFirstMappedPort() + "/"
					+ database;
		}

		@Override
		public String username() {
			return this.container.getUsername();
		}

		@Override
		public String password() {
			return this.container.getPassword();
		}

		@Override
		public String adminDatabase() {
			return this.container.getDatabaseName();
		}

		@Override
		public void close() {
			this.container.stop();
		}

	}

}
