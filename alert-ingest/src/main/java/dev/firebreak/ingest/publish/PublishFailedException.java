package dev.firebreak.ingest.publish;

/**
 * Kafka did not acknowledge every alert in time. The request answers 503, so Alertmanager
 * sends it again; some of its alerts may already be on the topic, which deduplication
 * handles.
 */
public class PublishFailedException extends RuntimeException {

	PublishFailedException(String message, Throwable cause) {
		super(message, cause);
	}

}
