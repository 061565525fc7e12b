package dev.firebreak.remediation.action;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The docker action against a program in the docker CLI's place (no Docker daemon runs
 * here): a real process that records the argv, the directory and the environment it got.
 */
class DockerActionTest {

	@TempDir
	Path work;

	private Path calls;

	private DockerAction docker;

	@BeforeEach
	void fakeDocker() throws IOException {
		this.calls = this.work.resolve("calls");
		Path program = this.work.resolve("docker");
		Files.writeString(program, """
				#!/bin/sh
				echo "$* | $(pwd) | ${DOCKER_HOST:-} | ${SECRET_TOKEN:-}" >> "%s"
				case "$*" in
				  *logs*) echo "api-1  | FATAL: connection pool exhausted" ;;
				  *broken*) echo "Error response from daemon: No such container: broken" >&2; exit 1 ;;
				esac
				""".formatted(this.calls));
		Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwx------"));
		this.docker = new DockerAction(program.toString(), Map.of("PATH", System.getenv("PATH"), "DOCKER_HOST",
				"unix:///run/docker.sock", "SECRET_TOKEN", "s3cr3t"));
	}

	@Test
	void restartsAComposeServiceInItsProjectWithOnlyTheDaemonsVariables() throws IOException {
		ActionResult result = this.docker.run(action(
				Map.of("operation", "compose-restart", "service", "backend", "workingDirectory", this.work.toString()),
				false));

		assertThat(result.succeeded()).isTrue();
		assertThat(result.summary())
			.isEqualTo("compose restart backend: " + this.work.resolve("docker") + " exited with 0");
		assertThat(Files.readAllLines(this.calls))
			.containsExactly("compose restart backend | " + this.work.toRealPath() + " | unix:///run/docker.sock | ");
	}

	@Test
	void readsAContainersLastLogLines() throws IOException {
		ActionResult result = this.docker
			.run(action(Map.of("operation", "logs", "container", "api-1", "tail", "40"), false));

		assertThat(result.details()).containsEntry("stdout", "api-1  | FATAL: connection pool exhausted\n")
			.containsEntry("argv", "[" + this.work.resolve("docker") + ", logs, --tail, 40, api-1]");
		assertThat(Files.readAllLines(this.calls).get(0)).startsWith("logs --tail 40 api-1 | ");
	}

	@Test
	void aFailedRestartSaysWhatDockerSaid() {
		ActionResult result = this.docker.run(action(Map.of("operation", "restart", "container", "broken"), false));

		assertThat(result.succeeded()).isFalse();
		assertThat(result.summary()).startsWith("restart broken failed: ");
		assertThat(result.details()).containsEntry("stderr", "Error response from daemon: No such container: broken\n");
	}

	@Test
	void aNameThatCouldReadAsAnOptionIsRefusedAndADryRunRunsNothing() throws IOException {
		for (String name : List.of("--privileged", "-v", ".hidden", "a b", "")) {
			ActionResult refused = this.docker.run(action(Map.of("operation", "restart", "container", name), false));
			assertThat(refused.succeeded()).as(name).isFalse();
			assertThat(refused.summary()).as(name).isEqualTo("'" + name + "' is not a container name");
		}
		ActionResult dry = this.docker.run(action(Map.of("operation", "compose-restart", "service", "db"), true));
		assertThat(dry.summary()).startsWith("would run [" + this.work.resolve("docker") + ", compose, restart, db]");
		assertThat(this.calls).doesNotExist();
	}

	private static PreparedAction action(Map<String, String> values, boolean dryRun) {
		return new PreparedAction("docker", Duration.ofSeconds(10), values, dryRun);
	}

}
