package dev.firebreak.testkit;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;

import dev.firebreak.schemas.Topic;
import dev.firebreak.schemas.Topics;

/** Creates and lists topics of the catalogue on a test cluster. */
public final class KafkaTopics {

	private KafkaTopics() {
	}

	/** Creates every topic of the catalogue that does not exist yet. */
	public static void createAll(KafkaFixture kafka) {
		create(kafka, Topics.all());
	}

	/**
	 * Creates the topics that do not exist yet, with the catalogue's settings and one
	 * replica.
	 */
	public static void create(KafkaFixture kafka, Collection<? extends Topic<?, ?>> topics) {
		List<NewTopic> newTopics = topics.stream().map((topic) -> topic.newTopic((short) 1)).toList();
		try (Admin admin = admin(kafka)) {
			admin.createTopics(newTopics).values().values().forEach(KafkaTopics::awaitCreated);
			// Created is not yet writable: a leader that has not loaded its partition
			// answers NOT_LEADER_OR_FOLLOWER, and an idempotent producer retrying into it
			// has been seen to fail with OutOfOrderSequenceException. Wait until every
			// partition's leader answers for it.
			Set<String> names = newTopics.stream().map(NewTopic::name).collect(Collectors.toSet());
			Eventually.within(Duration.ofSeconds(30)).until(() -> leadersAnswer(admin, names));
		}
	}

	private static boolean leadersAnswer(Admin admin, Set<String> names) throws Exception {
		Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
		for (TopicDescription topic : admin.describeTopics(names).allTopicNames().get().values()) {
			for (TopicPartitionInfo partition : topic.partitions()) {
				if (partition.leader() == null) {
					return false;
				}
				partitions.put(new TopicPartition(topic.name(), partition.partition()), OffsetSpec.latest());
			}
		}
		admin.listOffsets(partitions).all().get();
		return true;
	}

	public static Set<String> names(KafkaFixture kafka) {
		try (Admin admin = admin(kafka)) {
			return admin.listTopics().names().get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Cannot list topics", ex.getCause());
		}
	}

	public static Admin admin(KafkaFixture kafka) {
		return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
	}

	private static void awaitCreated(org.apache.kafka.common.KafkaFuture<Void> creation) {
		try {
			creation.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException ex) {
			if (!(ex.getCause() instanceof TopicExistsException)) {
				throw new IllegalStateException("Cannot create topic", ex.getCause());
			}
		}
	}

}
