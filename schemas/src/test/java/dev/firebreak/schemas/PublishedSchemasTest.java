package dev.firebreak.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaFormatter;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentCommand;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.IncidentState;
import dev.firebreak.schemas.avro.TrackedAlert;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code schemas/avsc/} is the published contract and the schema history at once (the jar
 * carries it as {@link SchemaHistory}'s resources): every version of every record as a
 * standalone, pretty-printed {@code .avsc}, the latest one equal to what the IDL makes,
 * and an index in its README. Anything missing, stale or extra fails here with the
 * command that refreshes it ({@value #REFRESH}), which writes a compatible new version, a
 * doc-only change in place, and the index.
 */
class PublishedSchemasTest {

	static final String REFRESH = "./mvnw -o -q test -pl schemas -Dtest=PublishedSchemasTest -Dfirebreak.avsc.refresh=true";

	static final Path AVSC = Path.of(System.getProperty("basedir", ".")).resolve("avsc");

	private static final boolean REFRESHING = Boolean.getBoolean("firebreak.avsc.refresh");

	private static final String INDEX_START = "<!-- index: written by PublishedSchemasTest -->";

	private static final String INDEX_END = "<!-- end of index -->";

	/** Where each record travels, in the index. */
	private static final Map<Class<?>, String> CARRIED_BY = carriedBy();

	static Stream<Class<?>> recordTypes() {
		return CARRIED_BY.keySet().stream();
	}

	@ParameterizedTest
	@MethodSource("recordTypes")
	void latestVersionIsWhatTheIdlMakes(Class<?> type) throws IOException {
		Schema current = SpecificData.get().getSchema(type);
		SchemaHistory history = onDisk(type);
		String expected = pretty(current);
		if (REFRESHING) {
			refresh(type, history, current, expected);
			history = onDisk(type);
		}
		Path latest = AVSC.resolve(type.getSimpleName()).resolve("v" + history.versions().size() + ".avsc");
		assertThat(Files.exists(latest) ? Files.readString(latest) : "")
			.as("%s is not what the IDL makes of %s; refresh with %s", latest, type.getSimpleName(), REFRESH)
			.isEqualTo(expected);
	}

	@Test
	void everyFileIsAStandalonePrettyPrintedVersionOfARecord() throws IOException {
		List<String> problems = new ArrayList<>();
		TreeSet<String> types = new TreeSet<>(recordTypes().map(Class::getSimpleName).toList());
		try (Stream<Path> entries = Files.list(AVSC)) {
			entries.map((entry) -> entry.getFileName().toString())
				.filter((name) -> !name.equals("README.md") && !types.contains(name))
				.forEach((name) -> problems.add("avsc/" + name + " is no record type's history"));
		}
		for (String type : types) {
			List<Path> files = versionFiles(type);
			try (Stream<Path> entries = Files.list(AVSC.resolve(type))) {
				entries.filter((entry) -> !files.contains(entry))
					.forEach((entry) -> problems.add(AVSC.relativize(entry) + " is not v1.avsc, v2.avsc, ... in turn"));
			}
			for (Path file : files) {
				String text = Files.readString(file);
				Schema schema = parse(file);
				if (!schema.getFullName().equals(AvroTrust.GENERATED_PACKAGE + "." + type)) {
					problems.add(AVSC.relativize(file) + " is " + schema.getFullName());
				}
				if (!text.equals(pretty(schema))) {
					problems.add(AVSC.relativize(file) + " is not formatted as Avro's json/pretty writes it");
				}
			}
		}
		assertThat(problems).as("schemas/avsc/").isEmpty();
	}

	@Test
	void readmeIndexListsEveryVersionWithItsFingerprint() throws IOException {
		Path readme = AVSC.resolve("README.md");
		String text = Files.readString(readme);
		int start = text.indexOf(INDEX_START);
		int end = text.indexOf(INDEX_END);
		assertThat(start).as("%s has the index markers", readme).isNotNegative().isLessThan(end);
		String index = index();
		String written = text.substring(start + INDEX_START.length(), end);
		if (REFRESHING && !written.equals(index)) {
			Files.writeString(readme, text.substring(0, start + INDEX_START.length()) + index + text.substring(end));
			written = index;
		}
		assertThat(written).as("the index in %s is stale; refresh with %s", readme, REFRESH).isEqualTo(index);
	}

	@Test
	void historyIsKeptOnlyInAvsc() {
		assertThat(Path.of(System.getProperty("basedir", "."), "src/main/resources/dev/firebreak/schemas/history"))
			.as("the schema history moved to schemas/avsc/; move any version kept there")
			.doesNotExist();
	}

	/**
	 * The hex fingerprint and the 10 header bytes a record written with it starts with.
	 */
	static String header(long fingerprint) {
		byte[] bytes = new byte[10];
		bytes[0] = (byte) 0xC3;
		bytes[1] = 0x01;
		for (int i = 0; i < 8; i++) {
			bytes[2 + i] = (byte) (fingerprint >>> (8 * i));
		}
		return HexFormat.ofDelimiter(" ").formatHex(bytes);
	}

	private static String index() throws IOException {
		StringBuilder index = new StringBuilder(
				"\n| record | carried by | version | fingerprint | first 10 bytes of a record |\n"
						+ "| --- | --- | --- | --- | --- |\n");
		for (Class<?> type : CARRIED_BY.keySet()) {
			List<Path> files = versionFiles(type);
			for (int n = files.size(); n >= 1; n--) {
				Schema schema = parse(files.get(n - 1));
				long fingerprint = AvroCodec.fingerprint(schema);
				index.append("| `%s` | %s | [v%d](%s/v%d.avsc)%s | `%016x` | `%s` |\n".formatted(type.getSimpleName(),
						CARRIED_BY.get(type), n, type.getSimpleName(), n, (n == files.size()) ? " **latest**" : "",
						fingerprint, header(fingerprint)));
			}
		}
		return index.toString();
	}

	/**
	 * Keeps the IDL's schema: as a new version when it reads and is read by every kept
	 * one, in place of the latest when only docs or defaults changed.
	 */
	private static void refresh(Class<?> type, SchemaHistory history, Schema current, String expected)
			throws IOException {
		Path directory = Files.createDirectories(AVSC.resolve(type.getSimpleName()));
		int latest = history.versions().size();
		if (latest > 0 && AvroCodec.fingerprint(history.latest()) == AvroCodec.fingerprint(current)) {
			Files.writeString(directory.resolve("v" + latest + ".avsc"), expected);
		}
		else if (SchemaCompatibilityCheck.violations(history, current).isEmpty()) {
			Files.writeString(directory.resolve("v" + (latest + 1) + ".avsc"), expected);
		}
	}

	/** The history as it is in avsc/, which the jar's copy may lag behind. */
	private static SchemaHistory onDisk(Class<?> type) {
		return new SchemaHistory(type.getSimpleName(),
				versionFiles(type).stream().map(PublishedSchemasTest::parse).toList());
	}

	private static Schema parse(Path file) {
		try {
			return new Schema.Parser().parse(file.toFile());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static List<Path> versionFiles(Class<?> type) {
		return versionFiles(type.getSimpleName());
	}

	/** v1.avsc, v2.avsc, ... up to the first missing one. */
	private static List<Path> versionFiles(String type) {
		List<Path> files = new ArrayList<>();
		for (int n = 1; Files.exists(AVSC.resolve(type).resolve("v" + n + ".avsc")); n++) {
			files.add(AVSC.resolve(type).resolve("v" + n + ".avsc"));
		}
		return files;
	}

	private static String pretty(Schema schema) {
		return SchemaFormatter.format("json/pretty", schema) + "\n";
	}

	private static Map<Class<?>, String> carriedBy() {
		Map<Class<?>, String> carriedBy = new LinkedHashMap<>();
		carriedBy.put(AlertEvent.class, "`" + Topics.ALERTS.name() + "`");
		carriedBy.put(IncidentCommand.class, "`" + Topics.INCIDENT_COMMANDS.name() + "`");
		carriedBy.put(Incident.class, "`" + Topics.INCIDENTS.name() + "`");
		carriedBy.put(IncidentEvent.class, "`" + Topics.INCIDENT_EVENTS.name() + "`");
		carriedBy.put(IncidentState.class, "incident-store's own state (internal)");
		carriedBy.put(TrackedAlert.class, "incident-store's own state (internal)");
		return carriedBy;
	}

}
