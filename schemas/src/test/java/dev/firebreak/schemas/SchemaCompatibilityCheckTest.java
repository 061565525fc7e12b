package dev.firebreak.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves the gate of {@link SchemaHistoryTest} can fail: fixture schemas of a made-up
 * {@code Widget}, kept as v1 and v2, against compatible and incompatible candidates.
 */
class SchemaCompatibilityCheckTest {

	private final SchemaHistory widgetHistory = new SchemaHistory("Widget",
			List.of(fixture("Widget/v1.avsc"), fixture("Widget/v2.avsc")));

	@Test
	void acceptsAnAddedFieldWithADefault() {
		assertThat(violations("added-field-with-default.avsc")).isEmpty();
	}

	@Test
	void acceptsANewSymbolInAnEnumWithADefault() {
		assertThat(violations("added-symbol-to-enum-with-default.avsc")).isEmpty();
	}

	@Test
	void refusesAnAddedFieldWithoutADefault() {
		assertThat(violations("added-field-without-default.avsc"))
			.anyMatch((violation) -> violation.startsWith("the current schema cannot read data written with Widget v1")
					&& violation.contains("READER_FIELD_MISSING_DEFAULT_VALUE"));
	}

	@Test
	void refusesARemovedFieldThatOldReadersNeed() {
		assertThat(violations("removed-field.avsc"))
			.anyMatch((violation) -> violation.startsWith("a reader of Widget v1 cannot read")
					&& violation.contains("READER_FIELD_MISSING_DEFAULT_VALUE"));
	}

	@Test
	void refusesAChangedFieldType() {
		assertThat(violations("changed-field-type.avsc")).anyMatch((violation) -> violation.contains("TYPE_MISMATCH"));
	}

	@Test
	void refusesANewSymbolInAnEnumWithoutADefault() {
		assertThat(violations("added-symbol-to-enum-without-default.avsc"))
			.anyMatch((violation) -> violation.startsWith("a reader of Widget v1 cannot read")
					&& violation.contains("MISSING_ENUM_SYMBOLS"));
	}

	@Test
	void checksEveryKeptVersionNotJustTheLatest() {
		// v2 made "size" optional with a default; dropping it is fine for v2 readers but
		// not v1's.
		assertThat(violations("removed-field.avsc")).noneMatch((violation) -> violation.contains("Widget v2"));
	}

	private List<String> violations(String candidate) {
		return SchemaCompatibilityCheck.violations(this.widgetHistory, fixture("candidates/" + candidate));
	}

	private static Schema fixture(String name) {
		try (InputStream in = SchemaCompatibilityCheckTest.class.getResourceAsStream("/compatibility/" + name)) {
			return new Schema.Parser().parse(in);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
