package dev.firebreak.local;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * What this module's integration tests share: the four services as {@code ./mvnw verify}
 * packages them, the Java that runs them, and small helpers for their settings.
 */
final class PackagedServices {

	/** The repository's root. */
	static final Path ROOT = Path.of(System.getProperty("firebreak.root", "..")).toAbsolutePath().normalize();

	/**
	 * In the order they start: the writer of incident state first, the front door last.
	 */
	static final List<String> SERVICES = List.of("incident-store", "remediation-engine", "notifier", "alert-ingest");

	private static final String VERSION = System.getProperty("firebreak.version", "0.1.0-SNAPSHOT");

	private PackagedServices() {
	}

	/** The service's packaged jar. */
	static Path jar(String service) {
		return ROOT.resolve(service).resolve("target").resolve(service + "-" + VERSION + ".jar");
	}

	/** The java command running this test, to run the services with. */
	static String java() {
		return ProcessHandle.current().info().command().orElse("java");
	}

	/** A random secret of {@code bytes} bytes, in hex. */
	static String randomHex(int bytes) {
		byte[] random = new byte[bytes];
		new SecureRandom().nextBytes(random);
		return HexFormat.of().formatHex(random);
	}

	static long secondsSince(long nanos) {
		return Duration.ofNanos(System.nanoTime() - nanos).toSeconds();
	}

}
