package dev.firebreak.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.firebreak.testkit.Eventually;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A program the test starts (a Firebreak service, Prometheus, Alertmanager), its output
 * in a log file; closing it sends SIGTERM, waits, then kills it.
 */
final class ForkedProcess implements AutoCloseable {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String name;

	private final Process process;

	private final Path log;

	private ForkedProcess(String name, Process process, Path log) {
		this.name = name;
		this.process = process;
		this.log = log;
	}

	static ForkedProcess start(String name, List<String> command, Path logs) throws IOException {
		Path log = Files.createDirectories(logs).resolve(name + ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
			.start();
		return new ForkedProcess(name, process, log);
	}

	/**
	 * Waits until {@code url} answers 200, failing with the end of the log when the
	 * process dies or the timeout passes.
	 */
	void awaitReady(String url, Duration timeout) {
		try {
			Eventually.within(timeout)
				.pollInterval(Duration.ofMillis(500))
				.failFast(this.name + " exited", () -> !this.process.isAlive())
				.until(() -> answersOk(url));
		}
		catch (ConditionTimeoutException | TerminalFailureException ex) {
			throw new AssertionError(this.name + " not ready at " + url + " within " + timeout + " (" + ex.getMessage()
					+ "):\n" + logTail(), ex);
		}
	}

	private static boolean answersOk(String url) throws InterruptedException {
		try {
			HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build();
			return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
	}

	String logTail() {
		try {
			List<String> lines = Files.readAllLines(this.log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

}
