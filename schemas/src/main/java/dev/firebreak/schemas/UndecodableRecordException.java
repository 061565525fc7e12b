package dev.firebreak.schemas;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes that cannot become a record of the expected type. The one failure a consumer
 * needs to catch to route a poison record to its dead-letter topic; no half-filled record
 * is ever returned instead.
 */
public class UndecodableRecordException extends SerializationException {

	/**
	 * Why the bytes were refused; bounded, so it can tag a metric or a dead-letter
	 * header.
	 */
	public enum Reason {

		/** Zero bytes where a value was expected. */
		EMPTY,

		/** Not Avro single-object encoding: the two-byte marker is missing. */
		BAD_MARKER,

		/** A schema fingerprint that matches no kept version of the expected type. */
		UNKNOWN_SCHEMA,

		/** The bytes end before the record does, or do not follow its schema. */
		MALFORMED,

		/** A complete record followed by bytes that belong to none. */
		TRAILING_BYTES

	}

	private final Reason reason;

	public UndecodableRecordException(Reason reason, String message, Throwable cause) {
		super(message, cause);
		this.reason = reason;
	}

	public Reason reason() {
		return this.reason;
	}

}
