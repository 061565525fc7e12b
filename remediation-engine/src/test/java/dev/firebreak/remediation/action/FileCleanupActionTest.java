package dev.firebreak.remediation.action;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** A real temporary tree, with links pointing out of it. */
class FileCleanupActionTest {

	private static final Instant TEN_DAYS_AGO = Instant.now().minus(Duration.ofDays(10));

	@TempDir
	Path work;

	private Path root;

	private Path outside;

	@BeforeEach
	void tree() throws Exception {
		this.root = Files.createDirectories(this.work.resolve("logs"));
		this.outside = Files.createDirectories(this.work.resolve("precious"));
		old(this.root.resolve("app.log.1"), 100);
		old(this.root.resolve("app.log.2"), 200);
		Files.writeString(this.root.resolve("app.log.3"), "fresh");
		old(this.root.resolve("app.log"), 50);
		old(Files.createDirectories(this.root.resolve("worker")).resolve("worker.log.1"), 300);
		old(this.outside.resolve("data.log.1"), 1000);
		old(this.outside.resolve("nested.log.1"), 1000);
		// A link to a file outside, named like a rotated log, and a link to a directory
		// outside that holds rotated logs.
		Files.createSymbolicLink(this.root.resolve("link.log.1"), this.outside.resolve("data.log.1"));
		Files.createSymbolicLink(this.root.resolve("escape"), this.outside);
	}

	@Test
	void deletesOldMatchingFilesUnderTheRootOnly() throws Exception {
		ActionResult result = new FileCleanupAction().run(action(false));

		assertThat(result.succeeded()).isTrue();
		assertThat(result.details()).containsEntry("files", "3").containsEntry("bytes", "600");
		assertThat(result.summary()).startsWith("deleted 3 files (600 bytes) under " + this.root);
		assertThat(this.root.resolve("app.log.1")).doesNotExist();
		assertThat(this.root.resolve("app.log.2")).doesNotExist();
		assertThat(this.root.resolve("worker/worker.log.1")).doesNotExist();
		assertThat(this.root.resolve("app.log.3")).as("too recent").exists();
		assertThat(this.root.resolve("app.log")).as("does not match").exists();
		assertThat(this.root.resolve("link.log.1")).as("a link is not deleted").isSymbolicLink();
		assertThat(this.outside.resolve("data.log.1")).exists();
		assertThat(this.outside.resolve("nested.log.1")).exists();
	}

	@Test
	void dryRunListsWhatItWouldDeleteAndDeletesNothing() {
		ActionResult result = new FileCleanupAction().run(action(true));

		assertThat(result.succeeded()).isTrue();
		assertThat(result.summary()).startsWith("would delete 3 files (600 bytes)");
		assertThat(result.details().get("paths").split("\n")).containsExactlyInAnyOrder("app.log.1", "app.log.2",
				"worker/worker.log.1");
		assertThat(this.root.resolve("app.log.1")).exists();
	}

	@Test
	void aRootThatIsALinkOutIsCleanedWhereItPointsNotBeyond() throws Exception {
		Path linkedRoot = Files.createSymbolicLink(this.work.resolve("linked"), this.root);
		PreparedAction action = new PreparedAction("file-cleanup", Duration.ofSeconds(10),
				Map.of("root", linkedRoot.toString(), "glob", "**.log.*", "olderThan", "7d"), false);

		ActionResult result = new FileCleanupAction().run(action);

		assertThat(result.details()).containsEntry("files", "3");
		assertThat(this.outside.resolve("data.log.1")).exists();
	}

	@Test
	void theWalkStopsAtTheTimeout() {
		PreparedAction action = new PreparedAction("file-cleanup", Duration.ofNanos(1),
				Map.of("root", this.root.toString(), "glob", "**.log.*", "olderThan", "7d"), true);

		ActionResult result = new FileCleanupAction().run(action);

		assertThat(result.succeeded()).isFalse();
		assertThat(result.summary()).startsWith("stopped after the timeout");
	}

	@Test
	void aMissingRootIsAFailure() {
		PreparedAction action = new PreparedAction("file-cleanup", Duration.ofSeconds(10),
				Map.of("root", this.work.resolve("absent").toString(), "glob", "*", "olderThan", "1d"), false);

		ActionResult result = new FileCleanupAction().run(action);

		assertThat(result.succeeded()).isFalse();
		assertThat(result.summary()).contains("cannot be read");
	}

	private PreparedAction action(boolean dryRun) {
		return new PreparedAction("file-cleanup", Duration.ofSeconds(10),
				Map.of("root", this.root.toString(), "glob", "**.log.*", "olderThan", "7d"), dryRun);
	}

	private static void old(Path file, int size) throws Exception {
		Files.write(file, new byte[size]);
		Files.setLastModifiedTime(file, FileTime.from(TEN_DAYS_AGO));
	}

}
