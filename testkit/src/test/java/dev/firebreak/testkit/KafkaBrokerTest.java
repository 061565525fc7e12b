package dev.firebreak.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.fixtures.Alerts;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaBrokerTest {

	private static KafkaBroker broker;

	@BeforeAll
	static void startBroker() {
		broker = KafkaBroker.startNew();
		KafkaTopics.createAll(broker);
	}

	@AfterAll
	static void closeBroker() {
		broker.close();
	}

	@Test
	void createsEveryTopicOfTheCatalogue() {
		assertThat(KafkaTopics.names(broker))
			.containsAll(Topics.all().stream().map(dev.firebreak.schemas.Topic::name).toList());
	}

	@Test
	void refusesToCreateTopicsByAccident() {
		Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
				ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000);
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
				new StringSerializer())) {
			assertThat(producer.send(new ProducerRecord<>("firebreak.typo", "k", "v")))
				.failsWithin(Duration.ofSeconds(10));
		}
	}

	@Test
	void readCommittedSeesCommittedTransactionsOnly() {
		AlertEvent committed = Alerts.firing("Committed").build();
		AlertEvent aborted = Alerts.firing("Aborted").build();
		Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
				ProducerConfig.TRANSACTIONAL_ID_CONFIG, "testkit-transactions");
		try (KafkaProducer<String, AlertEvent> producer = new KafkaProducer<>(config,
				Topics.ALERTS.keySerde().serializer(), Topics.ALERTS.valueSerde().serializer())) {
			producer.initTransactions();
			producer.beginTransaction();
			producer.send(new ProducerRecord<>(Topics.ALERTS.name(), aborted.getFingerprint(), aborted));
			producer.flush();
			producer.abortTransaction();
			producer.beginTransaction();
			producer.send(new ProducerRecord<>(Topics.ALERTS.name(), committed.getFingerprint(), committed));
			producer.commitTransaction();
		}

		List<ConsumerRecord<String, AlertEvent>> records = KafkaRecords.readAll(broker, Topics.ALERTS,
				Duration.ofSeconds(30));

		assertThat(records).extracting(ConsumerRecord::value).contains(committed).doesNotContain(aborted);
	}

	@Test
	void restartsAtTheSameAddressWithItsData() {
		String address = broker.bootstrapServers();
		AlertEvent before = Alerts.firing("BeforeRestart").build();
		KafkaRecords.produce(broker, Topics.ALERTS, Map.entry(before.getFingerprint(), before));

		broker.stop();
		assertThat(broker.isRunning()).isFalse();
		broker.start();

		assertThat(broker.bootstrapServers()).isEqualTo(address);
		assertThat(KafkaRecords.readAll(broker, Topics.ALERTS, Duration.ofSeconds(30)))
			.extracting(ConsumerRecord::value)
			.contains(before);
	}

}
