package dev.firebreak.testkit;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a test started — brokers, databases, processes, stand-ins — stopped in the reverse
 * order on {@link #close()}, each regardless of whether the one before it stopped
 * cleanly.
 */
public final class Teardown implements AutoCloseable {

	private final Deque<AutoCloseable> started = new ArrayDeque<>();

	/** Stop {@code closeable} at teardown, before anything added earlier. */
	public <T extends AutoCloseable> T add(T closeable) {
		this.started.push(closeable);
		return closeable;
	}

	@Override
	public void close() {
		while (!this.started.isEmpty()) {
			try {
				this.started.pop().close();
			}
			catch (Exception ex) {
				// Stop the rest regardless.
			}
		}
	}

}
