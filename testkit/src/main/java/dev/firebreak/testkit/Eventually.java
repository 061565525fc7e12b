package dev.firebreak.testkit;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * Waits for a condition instead of sleeping:
 * {@code Eventually.within(Duration.ofSeconds(10))
 * .until(() -> ...)}. Polls often, so a test is as fast as the system under test.
 */
public final class Eventually {

	private Eventually() {
	}

	public static ConditionFactory within(Duration timeout) {
		return Awaitility.await()
			.atMost(timeout)
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(50))
			.ignoreExceptions();
	}

}
