package dev.firebreak.ingest.publish;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long a request waits for Kafka before it answers 503.
 *
 * @param timeout the longest a request waits for every acknowledgement; keep it below the
 * sender's HTTP timeout
 * @param retryAfter the {@code Retry-After} a 503 carries
 */
@ConfigurationProperties("firebreak.ingest.publish")
public record PublishProperties(@DefaultValue("5s") Duration timeout, @DefaultValue("5s") Duration retryAfter) {

	public PublishProperties {
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("firebreak.ingest.publish.timeout must be positive");
		}
		if (retryAfter.isNegative()) {
			throw new IllegalArgumentException("firebreak.ingest.publish.retry-after must not be negative");
		}
	}

}
