package dev.firebreak.platform;

import java.util.Optional;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.firebreak.schemas.Topics;

/**
 * How a service creates the catalogue's topics when they are missing.
 *
 * @param partitions partitions of every topic; the incident topics must share one count
 * @param replicationFactor replicas per partition; unset means the broker's
 * {@code default.replication.factor}
 */
@ConfigurationProperties("firebreak.topics")
public record TopicsProperties(@DefaultValue("" + Topics.DEFAULT_PARTITIONS) int partitions, Short replicationFactor) {

	public TopicsProperties {
		if (partitions < 1) {
			throw new IllegalArgumentException("firebreak.topics.partitions must be at least 1, not " + partitions);
		}
		if (replicationFactor != null && replicationFactor < 1) {
			throw new IllegalArgumentException(
					"firebreak.topics.replication-factor must be at least 1, not " + replicationFactor);
		}
	}

	Optional<Short> replication() {
		return Optional.ofNullable(this.replicationFactor);
	}

}
