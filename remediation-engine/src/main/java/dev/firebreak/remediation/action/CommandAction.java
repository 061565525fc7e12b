package dev.firebreak.remediation.action;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an argv list as a process, never through a shell: the first element is the
 * program, every other is one argument however it reads. The environment holds only the
 * allowed variables; a timeout kills the process and its descendants; exit code and the
 * first {@link #MAX_OUTPUT} bytes of stdout and stderr are kept.
 */
public final class CommandAction implements Action {

	/** Bytes of each output stream kept for the timeline. */
	public static final int MAX_OUTPUT = 4096;

	private final Map<String, String> engineEnvironment;

	/**
	 * @param engineEnvironment where the variables a runbook allows ({@code environment:
	 * [PATH]}) take their values from: the engine's own environment
	 */
	public CommandAction(Map<String, String> engineEnvironment) {
		this.engineEnvironment = Map.copyOf(engineEnvironment);
	}

	@Override
	public String type() {
		return "command";
	}

	@Override
	public ActionResult run(PreparedAction action) {
		List<String> argv = action.list("argv");
		Path workingDirectory = Path.of(action.value("workingDirectory", System.getProperty("java.io.tmpdir")));
		if (action.dryRun()) {
			return new ActionResult(true, "would run " + argv + " in " + workingDirectory,
					Map.of("argv", argv.toString()), Duration.ZERO);
		}
		Map<String, String> environment = new LinkedHashMap<>();
		for (String name : action.list("environment")) {
			String value = this.engineEnvironment.get(name);
			if (value != null) {
				environment.put(name, value);
			}
		}
		return run(argv, workingDirectory, environment, action.timeout());
	}

	/**
	 * Runs the command and waits for it, at most {@code timeout}.
	 * @param argv the program and its arguments
	 * @param workingDirectory where it runs
	 * @param environment its whole environment
	 */
	static ActionResult run(List<String> argv, Path workingDirectory, Map<String, String> environment,
			Duration timeout) {
		if (argv.isEmpty()) {
			throw new IllegalArgumentException("a command needs at least the program");
		}
		long start = System.nanoTime();
		ProcessBuilder builder = new ProcessBuilder(argv).directory(workingDirectory.toFile());
		builder.environment().clear();
		builder.environment().putAll(environment);
		Process process;
		try {
			process = builder.start();
		}
		catch (IOException ex) {
			return new ActionResult(false, "could not start " + argv.get(0) + ": " + ex.getMessage(), Map.of(),
					elapsed(start));
		}
		try {
			// Nothing to read from: a command that waits for input ends at once instead
			// of at the timeout.
			process.getOutputStream().close();
		}
		catch (IOException ex) {
			// It has exited already.
		}
		BoundedReader stdout = BoundedReader.start(process.getInputStream());
		BoundedReader stderr = BoundedReader.start(process.getErrorStream());
		boolean finished;
		try {
			finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			finished = false;
		}
		if (!finished) {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
		}
		Map<String, String> details = new LinkedHashMap<>();
		details.put("stdout", stdout.text());
		details.put("stderr", stderr.text());
		if (!finished) {
			return new ActionResult(false, argv.get(0) + " killed after the timeout of " + timeout, details,
					elapsed(start));
		}
		int exit = process.exitValue();
		details.put("exitCode", Integer.toString(exit));
		return new ActionResult(exit == 0, argv.get(0) + " exited with " + exit, details, elapsed(start));
	}

	private static Duration elapsed(long start) {
		return Duration.ofNanos(System.nanoTime() - start);
	}

	/**
	 * Drains a stream (so that the process never blocks on a full pipe), keeping its
	 * start.
	 */
	private static final class BoundedReader {

		private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

		private final Thread thread;

		private BoundedReader(InputStream in) {
			this.thread = new Thread(() -> drain(in), "command-output");
			this.thread.setDaemon(true);
		}

		static BoundedReader start(InputStream in) {
			BoundedReader reader = new BoundedReader(in);
			reader.thread.start();
			return reader;
		}

		private void drain(InputStream in) {
			byte[] buffer = new byte[8192];
			try (in) {
				for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
					synchronized (this.kept) {
						this.kept.write(buffer, 0, Math.max(0, Math.min(read, MAX_OUTPUT - this.kept.size())));
					}
				}
			}
			catch (IOException ex) {
				// The process was killed, or closed its end: what was read is kept.
			}
		}

		String text() {
			try {
				this.thread.join(Duration.ofSeconds(2).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			synchronized (this.kept) {
				return this.kept.toString(StandardCharsets.UTF_8);
			}
		}

	}

}
