package dev.firebreak.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.firebreak.schemas.Topics;
import dev.firebreak.testkit.KafkaBroker;
import dev.firebreak.testkit.KafkaTopics;

/**
 * A real Kafka broker in a process of its own, so that a benchmark measures the service's
 * CPU apart from the broker's. Writes its bootstrap address to the file named by the
 * first argument once the catalogue's topics exist, then runs until killed.
 */
public final class BrokerProcess {

	private BrokerProcess() {
	}

	public static void main(String[] args) throws Exception {
		KafkaBroker broker = KafkaBroker.startNew();
		Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
		KafkaTopics.create(broker, List.of(Topics.ALERTS));
		Files.writeString(Path.of(args[0]), broker.bootstrapServers());
		Thread.currentThread().join();
	}

}
