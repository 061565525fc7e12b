package dev.firebreak.schemas;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.firebreak.schemas.UndecodableRecordException.Reason;
import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.avro.Channel;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentCommand;
import dev.firebreak.schemas.avro.IncidentEventType;
import dev.firebreak.schemas.avro.NotificationStatus;
import dev.firebreak.schemas.avro.RemediationStatus;
import dev.firebreak.schemas.avro.Severity;
import dev.firebreak.schemas.fixtures.Alerts;
import dev.firebreak.schemas.fixtures.IncidentCommands;
import dev.firebreak.schemas.fixtures.IncidentEvents;
import dev.firebreak.schemas.fixtures.Incidents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AvroCodecTest {

	private static final AlertEvent ALERT = Alerts.firing("ServiceDown")
		.label("service", "api")
		.label("severity", "critical")
		.annotation("summary", "api is down")
		.build();

	static Stream<Arguments> records() {
		Incident incident = Incidents.open("INC-20261122-0001").severity(Severity.SEV2).alert(ALERT).build();
		return Stream.of(ALERT, Alerts.resolved("DiskSpaceHigh").label("instance", "db-1").viaAlertsApi().build(),
				incident, IncidentEvents.of(IncidentEventType.OPENED, incident).reason("ServiceDown fired").build(),
				IncidentCommands.acknowledge(incident.getId()).build(),
				IncidentCommands.comment(incident.getId(), "looking").build(),
				IncidentCommands.remediation(incident.getId(), "restart-service", RemediationStatus.FAILED).build(),
				IncidentCommands.notification(incident.getId(), Channel.PAGERDUTY, NotificationStatus.SENT, 1).build(),
				IncidentCommands.sundayMaintenance("mw-1", "api").build())
			.map(Arguments::of);
	}

	@ParameterizedTest
	@MethodSource("records")
	void decodesWhatItEncodes(SpecificRecord record) {
		AvroCodec<SpecificRecord> codec = codecOf(record);

		assertThat(codec.decode(codec.encode(record))).isEqualTo(record);
	}

	@ParameterizedTest
	@MethodSource("records")
	void decodesRecordsWrittenWithEveryKeptVersion(SpecificRecord record) throws IOException {
		AvroCodec<SpecificRecord> codec = codecOf(record);
		for (Schema kept : SchemaHistory.of(record.getClass()).versions()) {
			byte[] written = writeWith(kept, codec.encode(record), record.getSchema());

			// Every field the kept version has comes back as written; the newer ones take
			// their defaults.
			SpecificRecord read = codec.decode(written);
			for (Schema.Field field : record.getSchema().getFields()) {
				Object expected = (kept.getField(field.name()) != null) ? record.get(field.pos())
						: SpecificData.get().getDefaultValue(field);
				assertThat(read.get(field.pos())).as("%s read from %s", field.name(), kept.getName())
					.isEqualTo(expected);
			}
		}
	}

	@ParameterizedTest
	@MethodSource("records")
	void writesTheBytesOfAvrosOwnMessageEncoder(SpecificRecord record) throws IOException {
		ByteBuffer avros = new BinaryMessageEncoder<SpecificRecord>(SpecificData.get(), record.getSchema())
			.encode(record);
		byte[] expected = new byte[avros.remaining()];
		avros.get(expected);

		assertThat(codecOf(record).encode(record)).isEqualTo(expected);
	}

	@Test
	void aRecordThatFailedToEncodeLeavesNothingInTheNext() {
		assertThatThrownBy(() -> AvroCodec.of(AlertEvent.class).encode(new AlertEvent()))
			.isInstanceOf(org.apache.kafka.common.errors.SerializationException.class);

		AvroCodec<AlertEvent> codec = AvroCodec.of(AlertEvent.class);
		assertThat(codec.decode(codec.encode(ALERT))).isEqualTo(ALERT);
	}

	@Test
	void writesTheSingleObjectEncodingHeader() {
		byte[] bytes = AvroCodec.of(AlertEvent.class).encode(ALERT);

		assertThat(Arrays.copyOf(bytes, 2)).containsExactly(0xC3, 0x01);
	}

	@Test
	void refusesEmptyBytes() {
		assertUndecodable(new byte[0], Reason.EMPTY);
	}

	@Test
	void refusesBytesWithoutTheMarker() {
		assertUndecodable("{\"alertname\":\"ServiceDown\"}".getBytes(), Reason.BAD_MARKER);
		assertUndecodable(new byte[] { (byte) 0xC3, 0x01, 0x00 }, Reason.BAD_MARKER);
	}

	@Test
	void refusesAnUnknownSchemaFingerprint() {
		byte[] bytes = AvroCodec.of(AlertEvent.class).encode(ALERT);
		bytes[2] ^= 0x5A;

		assertUndecodable(bytes, Reason.UNKNOWN_SCHEMA);
	}

	@Test
	void refusesARecordOfAnotherType() {
		byte[] incidentCommand = AvroCodec.of(IncidentCommand.class)
			.encode(IncidentCommands.acknowledge("INC-20261122-0001").build());

		assertUndecodable(incidentCommand, Reason.UNKNOWN_SCHEMA);
	}

	@Test
	void refusesATruncatedRecordAtEveryLength() {
		byte[] bytes = AvroCodec.of(AlertEvent.class).encode(ALERT);
		for (int length = 10; length < bytes.length; length++) {
			byte[] truncated = Arrays.copyOf(bytes, length);

			assertThatExceptionOfType(UndecodableRecordException.class).as("truncated to %d bytes", length)
				.isThrownBy(() -> AvroCodec.of(AlertEvent.class).decode(truncated));
		}
	}

	@Test
	void refusesTrailingBytes() {
		byte[] bytes = AvroCodec.of(AlertEvent.class).encode(ALERT);

		assertUndecodable(Arrays.copyOf(bytes, bytes.length + 3), Reason.TRAILING_BYTES);
	}

	@Test
	void refusesGarbageAfterAValidHeader() {
		byte[] bytes = AvroCodec.of(AlertEvent.class).encode(ALERT);
		Arrays.fill(bytes, 10, bytes.length, (byte) 0xFF);

		assertUndecodable(bytes, Reason.MALFORMED);
	}

	@Test
	void refusesToEncodeARecordWithAMissingRequiredField() {
		AlertEvent incomplete = new AlertEvent();

		assertThatThrownBy(() -> AvroCodec.of(AlertEvent.class).encode(incomplete))
			.isInstanceOf(org.apache.kafka.common.errors.SerializationException.class)
			.hasMessageStartingWith("Cannot encode AlertEvent");
	}

	@Test
	void serdePassesTombstonesThrough() {
		AvroSerde<Incident> serde = AvroSerde.of(Incident.class);

		assertThat(serde.serializer().serialize("firebreak.incidents", null)).isNull();
		assertThat(serde.deserializer().deserialize("firebreak.incidents", null)).isNull();
	}

	private static void assertUndecodable(byte[] bytes, Reason reason) {
		assertThatExceptionOfType(UndecodableRecordException.class)
			.isThrownBy(() -> AvroCodec.of(AlertEvent.class).decode(bytes))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(reason))
			.withMessageStartingWith("Cannot decode AlertEvent (" + reason + ")");
	}

	/**
	 * Re-encodes a record as a writer of an older schema version would have written it.
	 */
	private static byte[] writeWith(Schema writer, byte[] current, Schema currentSchema) throws IOException {
		GenericDatumReader<GenericRecord> projection = new GenericDatumReader<>(currentSchema, writer);
		GenericRecord asWritten = projection.read(null,
				DecoderFactory.get().binaryDecoder(current, 10, current.length - 10, null));
		ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), writer).encode(asWritten);
		byte[] bytes = new byte[buffer.remaining()];
		buffer.get(bytes);
		return bytes;
	}

	@SuppressWarnings("unchecked")
	private static AvroCodec<SpecificRecord> codecOf(SpecificRecord record) {
		return (AvroCodec<SpecificRecord>) AvroCodec.of(record.getClass());
	}

}
