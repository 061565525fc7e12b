package dev.firebreak.schemas;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 refuses to load classes outside trusted packages (STACK.md, pitfall 2), also
 * when a generated builder deep-copies a record. The generated package is ours, so it is
 * trusted here once per JVM. The codec installs it; code that uses generated classes
 * before any codec (a service's {@code main}, a pure rule's test) calls
 * {@link #install()} itself.
 */
public final class AvroTrust {

	/** The package of the generated classes. */
	public static final String GENERATED_PACKAGE = "dev.firebreak.schemas.avro";

	private static boolean installed;

	private AvroTrust() {
	}

	public static synchronized void install() {
		if (installed) {
			return;
		}
		ClassSecurityValidator.ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
		ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(current,
				(clazz) -> clazz.getName().startsWith(GENERATED_PACKAGE + ".")));
		installed = true;
	}

}
