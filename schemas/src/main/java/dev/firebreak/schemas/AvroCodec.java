package dev.firebreak.schemas;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.BinaryEncoder;
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

	/** A buffer and a binary encoder over it per thread, reused by every encoding. */
	private static final ThreadLocal<Buffer> BUFFERS = ThreadLocal.withInitial(Buffer::new);

	/** A binary decoder per thread, re-aimed at each record's bytes. */
	private static final ThreadLocal<BinaryDecoder[]> DECODERS = ThreadLocal.withInitial(() -> new BinaryDecoder[1]);

	private final SpecificDatumWriter<T> writer;

	/** The marker and the current schema's fingerprint, little-endian. */
	private final byte[] header;

	private final Map<Long, SpecificDatumReader<T>> readersByFingerprint;

	private AvroCodec(Class<T> type, Schema current, List<Schema> keptVersions) {
		SpecificData model = SpecificData.getForClass(type);
		this.type = type;
		this.writer = new SpecificDatumWriter<>(current, model);
		this.header = ByteBuffer.allocate(HEADER_LENGTH)
			.order(ByteOrder.LITTLE_ENDIAN)
			.put(MARKER)
			.putLong(fingerprint(current))
			.array();
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

	/**
	 * The single-object encoding of a record: the marker, the schema's fingerprint and
	 * the Avro binary, through a buffered encoder into a reused, unsynchronized buffer
	 * (Avro's own message encoder writes byte by byte into a synchronized stream).
	 */
	public byte[] encode(T record) {
		Buffer buffer = BUFFERS.get();
		try {
			buffer.reset();
			buffer.write(this.header, 0, this.header.length);
			buffer.encoder = EncoderFactory.get().binaryEncoder(buffer, buffer.encoder);
			this.writer.write(record, buffer.encoder);
			buffer.encoder.flush();
			return buffer.toByteArray();
		}
		catch (IOException | RuntimeException ex) {
			// It may hold part of the record: never flushed into the next one.
			buffer.encoder = null;
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
		BinaryDecoder[] decoders = DECODERS.get();
		BinaryDecoder decoder = DecoderFactory.get()
			.binaryDecoder(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH, decoders[0]);
		decoders[0] = decoder;
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

	/**
	 * A growable byte buffer without the locks of {@link java.io.ByteArrayOutputStream},
	 * for one thread.
	 */
	private static final class Buffer extends OutputStream {

		/** A buffer grown past this is let go after use, not kept for the thread. */
		private static final int KEPT = 1 << 20;

		private byte[] bytes = new byte[4096];

		private int size;

		private BinaryEncoder encoder;

		void reset() {
			if (this.bytes.length > KEPT) {
				this.bytes = new byte[4096];
			}
			this.size = 0;
		}

		@Override
		public void write(int b) {
			ensure(1);
			this.bytes[this.size++] = (byte) b;
		}

		@Override
		public void write(byte[] source, int offset, int length) {
			ensure(length);
			System.arraycopy(source, offset, this.bytes, this.size, length);
			this.size += length;
		}

		byte[] toByteArray() {
			return Arrays.copyOf(this.bytes, this.size);
		}

		private void ensure(int more) {
			if (this.size + more > this.bytes.length) {
				this.bytes = Arrays.copyOf(this.bytes, Math.max(this.bytes.length * 2, this.size + more));
			}
		}

	}

}
