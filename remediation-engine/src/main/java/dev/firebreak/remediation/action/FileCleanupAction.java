package dev.firebreak.remediation.action;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.convert.DurationStyle;

/**
 * Deletes the regular files under {@code root} whose path relative to it matches
 * {@code glob} and that were last modified longer than {@code olderThan} ago, and says
 * how many files and bytes it freed. It never leaves the root: symbolic links are neither
 * followed nor deleted, and every file's real path is checked to be under the root's real
 * path before it goes. In dry-run it lists what it would delete.
 */
public final class FileCleanupAction implements Action {

	/** File names listed in the details, at most. */
	static final int LISTED = 50;

	@Override
	public String type() {
		return "file-cleanup";
	}

	@Override
	public ActionResult run(PreparedAction action) {
		long start = System.nanoTime();
		Path root = Path.of(action.value("root"));
		String glob = action.value("glob");
		Duration olderThan = DurationStyle.detectAndParse(action.value("olderThan"));
		Instant cutoff = Instant.now().minus(olderThan);
		Path realRoot;
		try {
			realRoot = root.toRealPath();
		}
		catch (IOException ex) {
			return ActionResult.since(start, false, root + " cannot be read: " + ex.getMessage(),
					Map.of("root", root.toString()));
		}
		if (!Files.isDirectory(realRoot, LinkOption.NOFOLLOW_LINKS)) {
			return ActionResult.since(start, false, root + " is not a directory", Map.of("root", root.toString()));
		}
		Sweep sweep = new Sweep(realRoot, FileSystems.getDefault().getPathMatcher("glob:" + glob), cutoff,
				action.dryRun(), start + action.timeout().toNanos());
		try {
			Files.walkFileTree(realRoot, sweep);
		}
		catch (IOException ex) {
			return ActionResult.since(start, false, "cleaning " + root + " failed: " + ex.getMessage(),
					sweep.details(root, glob, olderThan));
		}
		if (sweep.timedOut) {
			return ActionResult.since(start, false,
					"stopped after the timeout of " + action.timeout() + " having "
							+ (action.dryRun() ? "found " : "deleted ") + sweep.files + " files",
					sweep.details(root, glob, olderThan));
		}
		String verb = action.dryRun() ? "would delete " : "deleted ";
		String summary = verb + sweep.files + " files (" + sweep.bytes + " bytes) under " + root + " matching " + glob
				+ " older than " + DurationStyle.SIMPLE.print(olderThan)
				+ (sweep.failed.isEmpty() ? "" : "; " + sweep.failed.size() + " could not be deleted");
		return ActionResult.since(start, sweep.failed.isEmpty(), summary, sweep.details(root, glob, olderThan));
	}

	/** Walks the tree without following links, deleting (or listing) what qualifies. */
	private static final class Sweep extends SimpleFileVisitor<Path> {

		private final Path root;

		private final PathMatcher matcher;

		private final Instant cutoff;

		private final boolean dryRun;

		private final List<String> listed = new ArrayList<>();

		private final List<String> failed = new ArrayList<>();

		private final long deadline;

		private int files;

		private long bytes;

		private boolean timedOut;

		Sweep(Path root, PathMatcher matcher, Instant cutoff, boolean dryRun, long deadline) {
			this.deadline = deadline;
			this.root = root;
			this.matcher = matcher;
			this.cutoff = cutoff;
			this.dryRun = dryRun;
		}

		@Override
		public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
			if (System.nanoTime() - this.deadline > 0) {
				this.timedOut = true;
				return FileVisitResult.TERMINATE;
			}
			// walkFileTree does not follow links: a link's attributes are the link's own.
			if (!attributes.isRegularFile() || !this.matcher.matches(this.root.relativize(file))
					|| !attributes.lastModifiedTime().toInstant().isBefore(this.cutoff)) {
				return FileVisitResult.CONTINUE;
			}
			try {
				if (!file.getParent().toRealPath().startsWith(this.root)) {
					return FileVisitResult.CONTINUE;
				}
				if (!this.dryRun) {
					Files.delete(file);
				}
				this.files++;
				this.bytes += attributes.size();
				if (this.listed.size() < LISTED) {
					this.listed.add(this.root.relativize(file).toString());
				}
			}
			catch (IOException ex) {
				this.failed.add(this.root.relativize(file) + ": " + ex.getMessage());
			}
			return FileVisitResult.CONTINUE;
		}

		@Override
		public FileVisitResult visitFileFailed(Path file, IOException ex) {
			this.failed.add(this.root.relativize(file) + ": " + ex.getMessage());
			return FileVisitResult.CONTINUE;
		}

		Map<String, String> details(Path root, String glob, Duration olderThan) {
			Map<String, String> details = new LinkedHashMap<>();
			details.put("root", root.toString());
			details.put("glob", glob);
			details.put("olderThan", olderThan.toString());
			details.put("files", Integer.toString(this.files));
			details.put("bytes", Long.toString(this.bytes));
			details.put("paths", String.join("\n", this.listed));
			if (!this.failed.isEmpty()) {
				details.put("failed", String.join("\n", this.failed.subList(0, Math.min(LISTED, this.failed.size()))));
			}
			return details;
		}

	}

}
