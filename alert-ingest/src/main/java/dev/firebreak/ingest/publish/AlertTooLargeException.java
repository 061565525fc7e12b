package dev.firebreak.ingest.publish;

/**
 * An alert larger than Kafka takes in one record: it can never be stored, so the request
 * is refused whole (413), which Alertmanager does not retry.
 */
public class AlertTooLargeException extends RuntimeException {

	AlertTooLargeException(int index, int size, int limit) {
		super(((index >= 0) ? "alert " + index + " encodes to " + size + " bytes; " : "an alert is too large: ")
				+ "Kafka takes at most " + limit + " bytes in one record "
				+ "(spring.kafka.producer.properties.max.request.size, and the topic's max.message.bytes)", null, false,
				false);
	}

}
