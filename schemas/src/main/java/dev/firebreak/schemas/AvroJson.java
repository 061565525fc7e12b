package dev.firebreak.schemas;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A record as the plain JSON of the mirror topics ({@code schemas/json/}), for readers
 * without Avro: field names as in the record, enums as their symbol, timestamps as
 * ISO-8601 UTC strings with milliseconds, maps as objects (keys sorted), an absent
 * optional field as {@code null}, and no union wrappers. Every field is written, so a
 * reader sees the whole record.
 */
public final class AvroJson {

	/**
	 * Always three fractional digits and a {@code Z}, so that timestamps also sort as
	 * text.
	 */
	private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX")
		.withZone(ZoneOffset.UTC);

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private AvroJson() {
	}

	/** The record as JSON. */
	public static ObjectNode toJson(IndexedRecord record) {
		return object(record.getSchema(), record);
	}

	/** The record as UTF-8 JSON text; null (a tombstone) stays null. */
	public static byte[] toBytes(IndexedRecord record) {
		return (record != null) ? MAPPER.writeValueAsBytes(toJson(record)) : null;
	}

	/**
	 * A serde that writes records as {@link #toBytes JSON}, for the sinks of the mirror
	 * topics; it does not read JSON back into records.
	 */
	public static <T extends IndexedRecord> Serde<T> serde() {
		Serializer<T> serializer = (topic, value) -> toBytes(value);
		Deserializer<T> deserializer = (topic, bytes) -> {
			throw new UnsupportedOperationException("The JSON of " + topic + " is not read back into records");
		};
		return Serdes.serdeFrom(serializer, deserializer);
	}

	private static ObjectNode object(Schema schema, IndexedRecord record) {
		ObjectNode object = NODES.objectNode();
		for (Schema.Field field : schema.getFields()) {
			object.set(field.name(), value(field.schema(), record.get(field.pos())));
		}
		return object;
	}

	private static JsonNode value(Schema schema, Object value) {
		if (value == null) {
			return NODES.nullNode();
		}
		LogicalType logicalType = schema.getLogicalType();
		if (logicalType != null) {
			return logical(schema, logicalType, value);
		}
		switch (schema.getType()) {
			case RECORD:
				return object(schema, (IndexedRecord) value);
			case UNION:
				return value(nonNull(schema), value);
			case ARRAY:
				ArrayNode array = NODES.arrayNode();
				((Collection<?>) value).forEach((element) -> array.add(value(schema.getElementType(), element)));
				return array;
			case MAP:
				ObjectNode map = NODES.objectNode();
				new TreeMap<>((Map<?, ?>) value)
					.forEach((key, element) -> map.set(key.toString(), value(schema.getValueType(), element)));
				return map;
			case ENUM:
			case STRING:
				return NODES.stringNode(value.toString());
			case INT:
				return NODES.numberNode((Integer) value);
			case LONG:
				return NODES.numberNode((Long) value);
			case BOOLEAN:
				return NODES.booleanNode((Boolean) value);
			case DOUBLE:
				return NODES.numberNode((Double) value);
			case FLOAT:
				return NODES.numberNode((Float) value);
			default:
				throw unsupported(schema);
		}
	}

	/**
	 * Milliseconds, as Avro writes them: a finer {@link Instant} in memory reads the same
	 * here as on the Avro topic.
	 */
	private static JsonNode logical(Schema schema, LogicalType logicalType, Object value) {
		if (logicalType instanceof LogicalTypes.TimestampMillis) {
			long millis = (value instanceof Instant) ? ((Instant) value).toEpochMilli() : (Long) value;
			return NODES.stringNode(TIMESTAMP.format(Instant.ofEpochMilli(millis)));
		}
		throw unsupported(schema);
	}

	/** The type of an optional field ({@code union { null, T }}), the only union used. */
	private static Schema nonNull(Schema union) {
		Schema type = null;
		for (Schema branch : union.getTypes()) {
			if (branch.getType() != Schema.Type.NULL) {
				if (type != null) {
					throw new IllegalArgumentException("No plain JSON for a union of two types: " + union);
				}
				type = branch;
			}
		}
		if (type == null) {
			throw new IllegalArgumentException("No plain JSON for a union of null only: " + union);
		}
		return type;
	}

	private static IllegalArgumentException unsupported(Schema schema) {
		return new IllegalArgumentException("No plain JSON for Avro type " + schema);
	}

}
