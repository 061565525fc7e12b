package dev.firebreak.incidents.projection;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The alerts (incident id / fingerprint) whose rows this instance wrote, the most recent
 * up to a capacity. Rows are never deleted, so an alert in it has a row; one left out
 * only costs an insert that does nothing.
 */
final class KnownAlerts {

	/** About 10 MB of keys. */
	static final int DEFAULT_CAPACITY = 100_000;

	private final Map<String, Boolean> keys;

	KnownAlerts(int capacity) {
		this.keys = new LinkedHashMap<>(1024, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
				return size() > capacity;
			}

		};
	}

	synchronized boolean contains(String key) {
		return this.keys.get(key) != null;
	}

	/** Called once their rows are committed. */
	synchronized void addAll(Collection<String> written) {
		written.forEach((key) -> this.keys.put(key, Boolean.TRUE));
	}

}
