package dev.firebreak.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;

/**
 * Every released version of a record's schema, kept as {@code history/<Type>/v<N>.avsc}
 * resources beside this class (in the repository: {@code schemas/avsc/<Type>/v<N>.avsc},
 * the published contract). Readers register them all, so data written by any release
 * stays readable; the build refuses a current schema that is incompatible with any of
 * them.
 */
public record SchemaHistory(String typeName, List<Schema> versions) {

	static final String ROOT = "history/";

	public SchemaHistory {
		versions = List.copyOf(versions);
	}

	/** The kept versions of a generated record type, oldest first. */
	public static SchemaHistory of(Class<?> type) {
		return load(type.getSimpleName());
	}

	static SchemaHistory load(String typeName) {
		List<Schema> versions = new ArrayList<>();
		for (int n = 1;; n++) {
			String resource = ROOT + typeName + "/v" + n + ".avsc";
			try (InputStream in = SchemaHistory.class.getResourceAsStream(resource)) {
				if (in == null) {
					return new SchemaHistory(typeName, versions);
				}
				versions.add(new Schema.Parser().parse(in));
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot read schema history " + resource, ex);
			}
		}
	}

	/** The most recent kept version, or null when none is kept. */
	public Schema latest() {
		return this.versions.isEmpty() ? null : this.versions.get(this.versions.size() - 1);
	}

}
