package dev.firebreak.testkit;

/** A running Kafka cluster a test can reach: the in-JVM broker, or a container. */
public interface KafkaFixture {

	/** The {@code bootstrap.servers} value for clients. */
	String bootstrapServers();

}
