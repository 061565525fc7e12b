package dev.firebreak.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.firebreak.testkit.ForkedProcess;
import dev.firebreak.testkit.Teardown;

import static dev.firebreak.testkit.PackagedServices.jar;
import static dev.firebreak.testkit.PackagedServices.java;

/**
 * Packaged services on one Kafka and PostgreSQL, as {@code ./firebreak up} starts them:
 * each its jar in a JVM of its own, on its port, with its own settings, logging to
 * {@code <logs>/<service>.log}, and stopped by the test's {@link Teardown}.
 */
final class PackagedPipeline {

	private PackagedPipeline() {
	}

	/** Starts the services in order, and returns once every one is ready. */
	static void start(LocalInfrastructure infrastructure, List<String> services, Map<String, Integer> ports,
			Map<String, List<String>> settings, Path logs, Teardown started, Duration ready) {
		List<ForkedProcess> processes = new ArrayList<>();
		for (String service : services) {
			List<String> command = new ArrayList<>(
					List.of(java(), "-Xmx512m", "-jar", jar(service).toString(), "--server.port=" + ports.get(service),
							"--spring.kafka.bootstrap-servers=" + infrastructure.bootstrapServers(),
							"--spring.datasource.url=" + infrastructure.jdbcUrl(),
							"--spring.datasource.username=firebreak", "--spring.datasource.password=firebreak"));
			command.addAll(settings.get(service));
			processes.add(started.add(ForkedProcess.start(service, command, logs.resolve(service + ".log"))));
		}
		for (int i = 0; i < services.size(); i++) {
			processes.get(i)
				.awaitReady("http://127.0.0.1:" + ports.get(services.get(i)) + "/actuator/health/readiness", ready);
		}
	}

}
