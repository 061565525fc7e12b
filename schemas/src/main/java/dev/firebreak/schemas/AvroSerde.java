package dev.firebreak.schemas;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The Kafka serde of a generated record type, on {@link AvroCodec}. A null value (a
 * tombstone) passes through as null; any other bytes become a whole record or an
 * {@link UndecodableRecordException}.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

	private final AvroCodec<T> codec;

	private AvroSerde(AvroCodec<T> codec) {
		this.codec = codec;
	}

	public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
		return new AvroSerde<>(AvroCodec.of(type));
	}

	@Override
	public Serializer<T> serializer() {
		return (topic, value) -> (value != null) ? this.codec.encode(value) : null;
	}

	@Override
	public Deserializer<T> deserializer() {
		return (topic, bytes) -> (bytes != null) ? this.codec.decode(bytes) : null;
	}

}
