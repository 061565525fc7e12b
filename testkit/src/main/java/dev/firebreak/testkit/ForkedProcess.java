package dev.firebreak.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A program a test starts in a process of its own (a Firebreak service, Prometheus,
 * Alertmanager), its output appended to a log file. {@link #close()} stops it the way an
 * orchestrator does (SIGTERM, then SIGKILL after 30 s); {@link #kill()} the way a crash
 * does (SIGKILL: no shutdown hook, no commit, no leaving the group); {@link #pause()} and
 * {@link #resume()} the way a stalled machine does.
 */
public final class ForkedProcess implements AutoCloseable {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String name;

	private final Process process;

	private final Path log;

	private ForkedProcess(String name, Process process, Path log) {
		this.name = name;
		this.process = process;
		this.log = log;
	}

	/** Starts the command; its output goes to the end of {@code log}. */
	public static ForkedProcess start(String name, List<String> command, Path log) {
		try {
			Files.createDirectories(log.toAbsolutePath().getParent());
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
				.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
				.start();
			return new ForkedProcess(name, process, log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start " + name, ex);
		}
	}

	/** The program's executable on the PATH, if there is one. */
	public static Optional<String> onPath(String program) {
		return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
			.map((directory) -> Path.of(directory, program))
			.filter(Files::isExecutable)
			.map(Path::toString)
			.findFirst();
	}

	/**
	 * The command that runs {@code mainClass} on this JVM's classpath, with the JVM
	 * options, then the program's arguments.
	 */
	public static List<String> java(Class<?> mainClass, List<String> jvmOptions, List<String> arguments) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmOptions);
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
		command.addAll(arguments);
		return command;
	}

	/**
	 * Waits until {@code url} answers 200, failing with the end of the log when the
	 * process dies or the timeout passes.
	 */
	public void awaitReady(String url, Duration timeout) {
		try {
			Eventually.within(timeout)
				.pollInterval(Duration.ofMillis(500))
				.failFast(this.name + " exited", () -> !this.process.isAlive())
				.until(() -> answersOk(url));
		}
		catch (ConditionTimeoutException | TerminalFailureException ex) {
			throw new AssertionError(this.name + " not ready at " + url + " within " + timeout + " (" + ex.getMessage()
					+ "; log: " + this.log.toAbsolutePath() + "):\n" + logTail(), ex);
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

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/** The last 40 lines of its log. */
	public String logTail() {
		try {
			List<String> lines = Files.readAllLines(this.log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * SIGKILL, as the kernel's OOM killer or a power cut would, and its own child
	 * processes too; returns once it is gone.
	 */
	public void kill() {
		List<ProcessHandle> children = this.process.descendants().toList();
		this.process.destroyForcibly();
		try {
			this.process.waitFor();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		children.forEach(ProcessHandle::destroyForcibly);
	}

	/**
	 * SIGSTOP: the process stays, holding its sockets and what it thinks it owns, but
	 * runs nothing until {@link #resume()}, as a long garbage-collection pause or a
	 * frozen VM would.
	 */
	public void pause() {
		signal("STOP");
	}

	/** SIGCONT: a paused process runs on from where it stopped. */
	public void resume() {
		signal("CONT");
	}

	private void signal(String signal) {
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(this.process.pid())).inheritIO()
				.start();
			if (kill.waitFor() != 0) {
				throw new IllegalStateException("kill -" + signal + " " + this.name + " exited " + kill.exitValue());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot signal " + this.name, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted signalling " + this.name, ex);
		}
	}

	/** SIGTERM, and SIGKILL if it has not stopped within 30 s. */
	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				kill();
			}
		}
		catch (InterruptedException ex) {
			kill();
			Thread.currentThread().interrupt();
		}
	}

}
