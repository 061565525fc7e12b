package dev.firebreak.remediation.action;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Real processes. */
class CommandActionTest {

	@TempDir
	Path work;

	@Test
	void runsTheArgvAsGivenWithoutAShell() throws Exception {
		Path marker = this.work.resolve("pwned");
		String hostile = "; touch " + marker + " $(touch " + marker + ") `touch " + marker + "`";

		ActionResult result = CommandAction.run(List.of("printf", "%s|", "restart", hostile), this.work, Map.of(),
				Duration.ofSeconds(10));

		assertThat(result.succeeded()).isTrue();
		assertThat(result.details()).containsEntry("exitCode", "0").containsEntry("stdout", "restart|" + hostile + "|");
		assertThat(marker).doesNotExist();
	}

	@Test
	void aNonZeroExitIsAFailureWithItsOutput() {
		ActionResult result = CommandAction.run(List.of("sh", "-c", "echo broken >&2; exit 3"), this.work, Map.of(),
				Duration.ofSeconds(10));

		assertThat(result.succeeded()).isFalse();
		assertThat(result.summary()).isEqualTo("sh exited with 3");
		assertThat(result.details()).containsEntry("exitCode", "3").containsEntry("stderr", "broken\n");
	}

	@Test
	void theTimeoutKillsTheProcessAndItsChildren() throws Exception {
		Path late = this.work.resolve("late");
		ActionResult result = CommandAction.run(List.of("sh", "-c", "sleep 30 && touch " + late), this.work, Map.of(),
				Duration.ofMillis(300));

		assertThat(result.succeeded()).isFalse();
		assertThat(result.summary()).contains("killed after the timeout");
		assertThat(result.duration()).isLessThan(Duration.ofSeconds(10));
		assertThat(ProcessHandle.allProcesses()
			.filter((process) -> process.info().commandLine().orElse("").contains("sleep 30 && touch " + late)))
			.isEmpty();
	}

	@Test
	void theEnvironmentHoldsOnlyWhatIsAllowed() {
		ActionResult result = CommandAction.run(List.of("/usr/bin/env"), this.work, Map.of("TARGET", "api"),
				Duration.ofSeconds(10));

		assertThat(result.details().get("stdout")).isEqualTo("TARGET=api\n");
	}

	@Test
	void outputIsBounded() {
		ActionResult result = CommandAction.run(List.of("head", "-c", "100000", "/dev/zero"), this.work, Map.of(),
				Duration.ofSeconds(10));

		assertThat(result.succeeded()).isTrue();
		assertThat(result.details().get("stdout")).hasSize(CommandAction.MAX_OUTPUT);
	}

	@Test
	void aProgramThatDoesNotExistIsAFailureNotAnException() throws Exception {
		ActionResult result = CommandAction.run(List.of(this.work.resolve("missing").toString()), this.work, Map.of(),
				Duration.ofSeconds(10));

		assertThat(result.succeeded()).isFalse();
		assertThat(result.summary()).startsWith("could not start");
		assertThat(Files.list(this.work)).isEmpty();
	}

}
