package dev.firebreak.schemas;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record that could not be processed, on its way to a {@code .dlt} topic: the raw key
 * and value as they arrived, the original headers, and headers that say where it came
 * from and why it failed, so that an operator can read the reason and replay it.
 *
 * @param topic the source topic
 * @param partition the source partition, or -1 when unknown
 * @param offset the source offset, or -1 when unknown
 * @param reason a stable, machine-readable reason (e.g. {@code UNKNOWN_SCHEMA},
 * {@code UNKNOWN_INCIDENT})
 * @param message a sentence for the operator
 * @param exception the class of the exception, or null
 */
public record DeadLetter(String topic, int partition, long offset, String reason, String message, String exception) {

	/** Header with the stable reason. */
	public static final String REASON = "firebreak.error.reason";

	/** Header with the operator's sentence. */
	public static final String MESSAGE = "firebreak.error.message";

	/** Header with the exception class. */
	public static final String EXCEPTION = "firebreak.error.exception";

	/** Header with the source topic. */
	public static final String SOURCE_TOPIC = "firebreak.error.topic";

	/** Header with the source partition. */
	public static final String SOURCE_PARTITION = "firebreak.error.partition";

	/** Header with the source offset. */
	public static final String SOURCE_OFFSET = "firebreak.error.offset";

	/** The record for the dead-letter topic {@code deadLetterTopic}. */
	public ProducerRecord<byte[], byte[]> toRecord(String deadLetterTopic, byte[] key, byte[] value, Headers original) {
		Headers headers = new RecordHeaders((original != null) ? original.toArray() : null);
		addTo(headers);
		return new ProducerRecord<>(deadLetterTopic, null, key, value, headers);
	}

	/** The headers that say where it came from and why, on their own. */
	public Headers headers() {
		Headers headers = new RecordHeaders();
		addTo(headers);
		return headers;
	}

	private void addTo(Headers headers) {
		add(headers, REASON, this.reason);
		add(headers, MESSAGE, this.message);
		add(headers, EXCEPTION, this.exception);
		add(headers, SOURCE_TOPIC, this.topic);
		add(headers, SOURCE_PARTITION, Integer.toString(this.partition));
		add(headers, SOURCE_OFFSET, Long.toString(this.offset));
	}

	private static void add(Headers headers, String name, String value) {
		if (value != null) {
			headers.remove(name);
			headers.add(name, value.getBytes(StandardCharsets.UTF_8));
		}
	}

	/** The value of a header as text, or null. */
	public static String header(Headers headers, String name) {
		var header = headers.lastHeader(name);
		return (header != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

}
