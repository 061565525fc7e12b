package dev.firebreak.testkit;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * What the integration tests that run the packaged services share (local's end-to-end
 * tests, the fault suite): the four services as {@code ./mvnw verify} packages them, the
 * Java that runs them, and small helpers for their settings.
 */
public final class PackagedServices {

	/** The repository's root. */
	public static final Path ROOT = Path.of(System.getProperty("firebreak.root", "..")).toAbsolutePath().normalize();

	/**
	 * In the order they start: the writer of incident state first, the front door last.
	 */
	public static final List<String> SERVICES = List.of("incident-store", "remediation-engine", "notifier",
			"alert-ingest");

	private static final String VERSION = System.getProperty("firebreak.version", "0.1.0-SNAPSHOT");

	private PackagedServices() {
	}

	/** The service's packaged jar. */
	public static Path jar(String service) {
		return ROOT.resolve(service).resolve("target").resolve(service + "-" + VERSION + ".jar");
	}

	/** The java command running this test, to run the services with. */
	public static String java() {
		return ProcessHandle.current().info().command().orElse("java");
	}

	/** A random secret of {@code bytes} bytes, in hex. */
	public static String randomHex(int bytes) {
		byte[] random = new byte[bytes];
		new SecureRandom().nextBytes(random);
		return HexFormat.of().formatHex(random);
	}

	public static long secondsSince(long nanos) {
		return Duration.ofNanos(System.nanoTime() - nanos).toSeconds();
	}

}
