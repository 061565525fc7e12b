package dev.firebreak.schemas;

import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * The build's rule for schema changes: the current schema must read data written with
 * every kept version (backward), and every kept version must read data written with the
 * current one (forward), so producers and consumers can be upgraded in any order.
 */
final class SchemaCompatibilityCheck {

	private SchemaCompatibilityCheck() {
	}

	/**
	 * Every way in which {@code current} breaks a kept version; empty when it breaks
	 * none.
	 */
	static List<String> violations(SchemaHistory history, Schema current) {
		List<String> violations = new ArrayList<>();
		for (int i = 0; i < history.versions().size(); i++) {
			Schema kept = history.versions().get(i);
			String version = history.typeName() + " v" + (i + 1);
			check(SchemaCompatibility.checkReaderWriterCompatibility(current, kept),
					"the current schema cannot read data written with " + version, violations);
			check(SchemaCompatibility.checkReaderWriterCompatibility(kept, current),
					"a reader of " + version + " cannot read data written with the current schema", violations);
		}
		return violations;
	}

	private static void check(SchemaPairCompatibility result, String what, List<String> violations) {
		if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
			result.getResult()
				.getIncompatibilities()
				.forEach((incompatibility) -> violations.add(what + ": " + incompatibility.getType() + " at "
						+ incompatibility.getLocation() + " (" + incompatibility.getMessage() + ")"));
		}
	}

}
