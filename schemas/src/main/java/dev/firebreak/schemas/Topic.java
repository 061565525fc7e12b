package dev.firebreak.schemas;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One entry of the topic catalogue: a topic's name, how its keys and values are encoded,
 * and the settings it is created with. Services use these instead of string literals.
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, Cleanup cleanup, Duration retention,
		int partitions) {

	/**
	 * The suffix of a dead-letter topic; it holds the source's raw bytes and error
	 * headers.
	 */
	public static final String DEAD_LETTER_SUFFIX = ".dlt";

	/** Kafka's cleanup policies, as the catalogue uses them. */
	public enum Cleanup {

		/** Records older than the retention are deleted. */
		DELETE,

		/** The latest record per key is kept. */
		COMPACT

	}

	public Topic {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(keySerde, "keySerde");
		Objects.requireNonNull(valueSerde, "valueSerde");
		Objects.requireNonNull(cleanup, "cleanup");
		if (cleanup == Cleanup.DELETE && (retention == null || retention.isNegative() || retention.isZero())) {
			throw new IllegalArgumentException("Topic " + name + ": a delete topic needs a positive retention");
		}
		if (partitions < 1) {
			throw new IllegalArgumentException("Topic " + name + ": partitions must be at least 1");
		}
	}

	/**
	 * The same topic with another partition count, for a deployment that needs more or
	 * fewer.
	 */
	public Topic<K, V> withPartitions(int partitions) {
		return new Topic<>(this.name, this.keySerde, this.valueSerde, this.cleanup, this.retention, partitions);
	}

	/**
	 * The dead-letter topic of this one: same name plus {@value #DEAD_LETTER_SUFFIX}, the
	 * same number of partitions, raw bytes, kept 30 days. A dead letter is placed by its
	 * key like any record (an incident's commands stay together); where it came from is
	 * in its headers ({@link DeadLetter}).
	 */
	public Topic<byte[], byte[]> deadLetter() {
		return new Topic<>(this.name + DEAD_LETTER_SUFFIX, Serdes.ByteArray(), Serdes.ByteArray(), Cleanup.DELETE,
				Topics.DEAD_LETTER_RETENTION, this.partitions);
	}

	/** The topic-level configuration Kafka creates the topic with. */
	public Map<String, String> configs() {
		if (this.cleanup == Cleanup.COMPACT) {
			return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
		}
		return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
				TopicConfig.RETENTION_MS_CONFIG, Long.toString(this.retention.toMillis()));
	}

	/** What an admin client needs to create this topic. */
	public NewTopic newTopic(short replicationFactor) {
		return newTopic(Optional.of(replicationFactor));
	}

	/**
	 * What an admin client needs to create this topic; no replication factor means the
	 * broker's default.
	 */
	public NewTopic newTopic(Optional<Short> replicationFactor) {
		return new NewTopic(this.name, Optional.of(this.partitions), replicationFactor).configs(configs());
	}

}
