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
 * first argument once the catalogue's topics exist, then runs until killed. With a second
 * argument, every topic of the catalogue is created with that many partitions (a service
 * started with {@code --firebreak.topics.partitions} of the same count finds them all);
 * otherwise only the alerts, with the catalogue's.
 */
public final class BrokerProcess {

	private BrokerProcess() {
	}

	public static void main(String[] args) throws Exception {
		KafkaBroker broker = KafkaBroker.startNew();
		Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
		if (args.length > 1) {
			int partitions = Integer.parseInt(args[1]);
			KafkaTopics.create(broker, Topics.all().stream().map((topic) -> topic.withPartitions(partitions)).toList());
		}
		else {
			KafkaTopics.create(broker, List.of(Topics.ALERTS));
		}
		Files.writeString(Path.of(args[0]), broker.bootstrapServers());
		Thread.currentThread().join();
	}

}
