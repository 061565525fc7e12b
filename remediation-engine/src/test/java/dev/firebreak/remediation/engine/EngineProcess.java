package dev.firebreak.remediation.engine;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.firebreak.remediation.RemediationEngineApplication;

/**
 * remediation-engine in a JVM of its own, on the test's classpath, so that a test can
 * kill it the way a crash does: SIGKILL, no shutdown hook, no chance to record anything.
 */
final class EngineProcess implements AutoCloseable {

	private final Process process;

	private EngineProcess(Process process) {
		this.process = process;
	}

	static EngineProcess start(Map<String, String> properties, Path log) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xmx256m");
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(RemediationEngineApplication.class.getName());
		properties.forEach((name, value) -> command.add("--" + name + "=" + value));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
		return new EngineProcess(builder.start());
	}

	/** SIGKILL, as the kernel's OOM killer or a power cut would; then its orphans too. */
	void kill() throws InterruptedException {
		List<ProcessHandle> children = this.process.descendants().toList();
		this.process.destroyForcibly();
		this.process.waitFor();
		children.forEach(ProcessHandle::destroyForcibly);
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			kill();
		}
	}

}
