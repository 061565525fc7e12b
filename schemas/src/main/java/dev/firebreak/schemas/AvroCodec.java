package dev.firebreak.schemas;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;

import dev.firebreak.schemas.UndecodableRecordException.Reason;

/**
 * Encodes one generated record type with Avro's single-object encoding (marker, schema
 * fingerprint, Avro binary) and decodes bytes written with any kept version of its
 * schema. Thread-safe; obtain one with {@link #of(Class)}.
 */
public final class AvroCodec<T extends SpecificRecord> {

	private static final byte[] MARKER = { (byte) 0xC3, 0x01 };

	private static final int HEADER_LENGTH = MARKER.length + Long.BYTES;

	private static final Map<Class<?>, AvroCodec<?>> CODECS = new ConcurrentHashMap<>();

	static {
		AvroTrust.install();
	}

	private final Class<T> type;

	private final BinaryMessageEncoder<T> encoder;

	private final Map<Long, SpecificDatumReader<T>> readersByFingerprint;

	private AvroCodec(Class<T> type, Schema current, List<Schema> keptVersions) {
		SpecificData model = SpecificData.getForClass(type);
		this.type = type;
		this.encoder = new BinaryMessageEncoder<>(model, current);
		Map<Long, SpecificDatumReader<T>> readers = new HashMap<>();
		for (Schema writer : keptVersions) {
			readers.put(fingerprint(writer), new SpecificDatumReader<>(writer, current, model));
		}
		readers.put(fingerprint(current), new SpecificDatumReader<>(current, current, model));
		this.readersByFingerprint = Map.copyOf(readers);
	}

	/**
	 * The codec of a generated record type, reading every version kept in its schema
	 * history.
	 */
	@SuppressWarnings("unchecked")
	public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
		return (AvroCodec<T>) CODECS.computeIfAbsent(type,
				(key) -> new AvroCodec<>(type, SpecificData.get().getSchema(type), SchemaHistory.of(type).versions()));
	}

	public Class<T> type() {
		return this.type;
	}

	public byte[] encode(T record) {
		try {
			ByteBuffer buffer = this.encoder.encode(record);
			byte[] bytes = new byte[buffer.remaining()];
			buffer.get(bytes);
			return bytes;
		}
		catch (IOException | RuntimeException ex) {
			throw new SerializationException("Cannot encode " + this.type.getSimpleName() + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Decodes one record.
	 * @throws UndecodableRecordException when the bytes are not one whole record of this
	 * type written with a kept schema version
	 */
	public T decode(byte[] bytes) {
		if (bytes == null || bytes.length == 0) {
			throw undecodable(Reason.EMPTY, "no bytes", null);
		}
		if (bytes.length < HEADER_LENGTH || bytes[0] != MARKER[0] || bytes[1] != MARKER[1]) {
			throw undecodable(Reason.BAD_MARKER, "not Avro single-object encoding", null);
		}
		long fingerprint = ByteBuffer.wrap(bytes, MARKER.length, Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).getLong();
		SpecificDatumReader<T> reader = this.readersByFingerprint.get(fingerprint);
		if (reader == null) {
			throw undecodable(Reason.UNKNOWN_SCHEMA,
					"schema fingerprint " + Long.toHexString(fingerprint) + " is no kept version", null);
		}
		BinaryDecoder decoder = DecoderFactory.get()
			.binaryDecoder(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH, null);
		T record;
		try {
			record = reader.read(null, decoder);
		}
		catch (IOException | RuntimeException ex) {
			throw undecodable(Reason.MALFORMED, String.valueOf(ex.getMessage()), ex);
		}
		if (!isEnd(decoder)) {
			throw undecodable(Reason.TRAILING_BYTES, "bytes left after the record", null);
		}
		return record;
	}

	private static boolean isEnd(BinaryDecoder decoder) {
		try {
			return decoder.isEnd();
		}
		catch (IOException ex) {
			return false;
		}
	}

	private UndecodableRecordException undecodable(Reason reason, String detail, Throwable cause) {
		return new UndecodableRecordException(reason,
				"Cannot decode " + this.type.getSimpleName() + " (" + reason + "): " + detail, cause);
	}

	static long fingerprint(Schema schema) {
		return SchemaNormalization.parsingFingerprint64(schema);
	}

}
