package dev.firebreak.incidents.projection;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The projection's consumer ({@code firebreak.projection.*}).
 *
 * @param groupId its consumer group; a new group replays both topics from the beginning
 * @param maxPollRecords records per batch, written in one transaction
 * @param maxBackoff the longest wait between two attempts while PostgreSQL fails
 */
@ConfigurationProperties("firebreak.projection")
public record ProjectionProperties(String groupId, int maxPollRecords, Duration maxBackoff) {

	public ProjectionProperties {
		groupId = (groupId != null) ? groupId : "firebreak-incident-projection";
		maxPollRecords = (maxPollRecords != 0) ? maxPollRecords : 1000;
		maxBackoff = (maxBackoff != null) ? maxBackoff : Duration.ofSeconds(10);
		if (groupId.isBlank()) {
			throw new IllegalArgumentException("firebreak.projection.group-id must not be blank");
		}
		if (maxPollRecords < 1) {
			throw new IllegalArgumentException("firebreak.projection.max-poll-records must be at least 1");
		}
		if (maxBackoff.isNegative() || maxBackoff.isZero()) {
			throw new IllegalArgumentException("firebreak.projection.max-backoff must be positive");
		}
	}

}
