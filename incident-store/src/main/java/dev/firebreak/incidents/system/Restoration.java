package dev.firebreak.incidents.system;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * What this instance is still restoring from the changelogs before its active tasks run:
 * a task that moved here from a failed instance without a standby copy, or a fresh state
 * directory. Readiness says so ({@link StreamsHealthIndicator}), so that a rolling deploy
 * waits for the new instance to be able to work before it stops the next one.
 */
class Restoration implements StateRestoreListener {

	private final Map<String, Long> remaining = new ConcurrentHashMap<>();

	private final AtomicLong restored = new AtomicLong();

	@Override
	public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
		this.remaining.put(key(partition, store), Math.max(0, endingOffset - startingOffset));
	}

	@Override
	public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long restored) {
		this.remaining.computeIfPresent(key(partition, store), (key, left) -> Math.max(0, left - restored));
		this.restored.addAndGet(restored);
	}

	@Override
	public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
		this.remaining.remove(key(partition, store));
	}

	@Override
	public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
		// The task moved on to another instance before it was restored here.
		this.remaining.remove(key(partition, store));
	}

	/** Changelog partitions being restored now. */
	int partitions() {
		return this.remaining.size();
	}

	/** Records still to restore, about. */
	long records() {
		return this.remaining.values().stream().mapToLong(Long::longValue).sum();
	}

	/** Records restored since the instance started. */
	long restored() {
		return this.restored.get();
	}

	private static String key(TopicPartition partition, String store) {
		return store + "@" + partition;
	}

}
