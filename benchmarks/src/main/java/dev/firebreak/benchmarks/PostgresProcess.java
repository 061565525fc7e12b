package dev.firebreak.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.firebreak.testkit.PostgresServer;

/**
 * A real PostgreSQL in a process of its own, for a benchmark's service. Creates an empty
 * database and writes, to the file named by the first argument, the arguments that point
 * a service at it ({@code --spring.datasource.*}); then runs until killed.
 */
public final class PostgresProcess {

	private PostgresProcess() {
	}

	public static void main(String[] args) throws Exception {
		PostgresServer postgres = PostgresServer.startNew();
		String database = postgres.createDatabase("benchmark");
		Files.writeString(Path.of(args[0]),
				String.join(" ", "--spring.datasource.url=" + postgres.jdbcUrl(database),
						"--spring.datasource.username=" + postgres.username(),
						"--spring.datasource.password=" + postgres.password()));
		Thread.currentThread().join();
	}

}
