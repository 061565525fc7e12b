package dev.firebreak.testkit;

import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * The Kafka and PostgreSQL that tests share, one of each per JVM, started on first use
 * and stopped when the JVM exits. Embedded by default;
 * {@code -Dfirebreak.testkit.backend=containers} (or the environment variable
 * {@code FIREBREAK_TESTKIT_BACKEND}) asks for Testcontainers, which is used only where a
 * Docker engine answers; without one the embedded servers run instead.
 */
public final class TestInfrastructure {

	static final String BACKEND_PROPERTY = "firebreak.testkit.backend";

	private static final Logger log = LoggerFactory.getLogger(TestInfrastructure.class);

	private static KafkaFixture kafka;

	private static PostgresFixture postgres;

	/** Where the shared fixtures run. */
	public enum Backend {

		/**
		 * In this JVM (Kafka) and as a child process from embedded binaries (PostgreSQL).
		 */
		EMBEDDED,

		/** In Docker containers, through Testcontainers. */
		CONTAINERS

	}

	private TestInfrastructure() {
	}

	/** The shared Kafka cluster. */
	public static synchronized KafkaFixture kafka() {
		if (kafka == null) {
			kafka = startShared(KafkaBroker::startNew, ContainerFixtures::kafka);
		}
		return kafka;
	}

	/** The shared PostgreSQL server. */
	public static synchronized PostgresFixture postgres() {
		if (postgres == null) {
			postgres = startShared(PostgresServer::startNew, ContainerFixtures::postgres);
		}
		return postgres;
	}

	/** The backend that was asked for and is available here. */
	public static Backend backend() {
		return resolve(requested(), TestInfrastructure::dockerAvailable);
	}

	static Backend resolve(Backend requested, Supplier<Boolean> dockerAvailable) {
		if (requested == Backend.CONTAINERS && !dockerAvailable.get()) {
			log.warn("Testcontainers were requested but no Docker engine answers; using the embedded servers");
			return Backend.EMBEDDED;
		}
		return requested;
	}

	static Backend requested() {
		String value = System.getProperty(BACKEND_PROPERTY,
				System.getenv().getOrDefault("FIREBREAK_TESTKIT_BACKEND", ""));
		if (value.isBlank()) {
			return Backend.EMBEDDED;
		}
		try {
			return Backend.valueOf(value.trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(BACKEND_PROPERTY + " must be one of "
					+ java.util.Arrays.toString(Backend.values()) + ", not " + value);
		}
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private static <T extends AutoCloseable> T startShared(Supplier<? extends T> embedded,
			Supplier<? extends T> containers) {
		T fixture = (backend() == Backend.CONTAINERS) ? containers.get() : embedded.get();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(fixture), "testkit-shutdown"));
		log.info("Started shared test fixture {}", Map.of("fixture", fixture.getClass().getSimpleName()));
		return fixture;
	}

	private static void closeQuietly(AutoCloseable fixture) {
		try {
			fixture.close();
		}
		catch (Exception ex) {
			// The JVM is exiting; a fixture that fails to stop leaves only temporary
			// files.
		}
	}

}
