package dev.firebreak.schemas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaFormatter;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentCommand;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.IncidentState;
import dev.firebreak.schemas.avro.TrackedAlert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The build-time gate on schema changes. A change that breaks a kept version fails here;
 * a compatible change fails until it is kept as a new version, so that readers learn it.
 */
class SchemaHistoryTest {

	static Stream<Arguments> recordTypes() {
		return Stream
			.of(AlertEvent.class, Incident.class, IncidentEvent.class, IncidentCommand.class, IncidentState.class,
					TrackedAlert.class)
			.map(Arguments::of);
	}

	@ParameterizedTest
	@MethodSource("recordTypes")
	void currentSchemaIsCompatibleWithEveryKeptVersion(Class<?> type) {
		SchemaHistory history = SchemaHistory.of(type);

		assertThat(history.versions()).as("kept versions of %s", type.getSimpleName()).isNotEmpty();
		assertThat(SchemaCompatibilityCheck.violations(history, SpecificData.get().getSchema(type))).isEmpty();
	}

	@ParameterizedTest
	@MethodSource("recordTypes")
	void currentSchemaIsTheLatestKeptVersion(Class<?> type) throws IOException {
		SchemaHistory history = SchemaHistory.of(type);
		Schema current = SpecificData.get().getSchema(type);
		if (history.latest() == null || AvroCodec.fingerprint(current) != AvroCodec.fingerprint(history.latest())) {
			Path candidate = Path.of("target", "schema-candidates", type.getSimpleName(),
					"v" + (history.versions().size() + 1) + ".avsc");
			Files.createDirectories(candidate.getParent());
			Files.writeString(candidate, SchemaFormatter.format("json/pretty", current) + "\n");
			fail("%s differs from its latest kept version. It is compatible, so keep it: copy %s to "
					+ "schemas/avsc/%s/, or run %s", type.getSimpleName(), candidate.toAbsolutePath(),
					type.getSimpleName(), PublishedSchemasTest.REFRESH);
		}
	}

}
