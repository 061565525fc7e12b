package dev.firebreak.incidents.escalation;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import dev.firebreak.schemas.avro.EscalationLevel;

/**
 * How quickly an incident must be answered, and when it reaches each level above the
 * first (seed 003: L1 automated response, L2 on-call engineer, L3 senior engineer, L4
 * emergency): one row of a team's response matrix.
 *
 * @param name unique, for the timeline ("from the service-down policy")
 * @param match the alerts it covers; {@code null} for a severity's fallback
 * @param responseTime by when a person must acknowledge, or the severity is raised
 * @param levels when each level is reached, counted from {@code from}
 * @param from what the levels count from
 * @param whileAcknowledged whether it keeps escalating while acknowledged but unresolved
 * (seed 000: "L1 to L2 if unresolved in 15 minutes")
 * @param immediate whether it goes to L4 as it opens (seed 003: complete outage, security
 * breach, data loss)
 * @param automationWindow how long a running runbook has before people are paged (seed
 * 003's level 1); zero pages on the policy's clock whatever the runbooks do
 */
public record ResponsePolicy(String name, PolicyMatch match, Due responseTime, Map<EscalationLevel, Due> levels,
		Base from, boolean whileAcknowledged, boolean immediate, Duration automationWindow) {

	public ResponsePolicy {
		levels = levels.isEmpty() ? Map.of() : new EnumMap<>(levels);
	}

	/** What the escalation delays count from. */
	public enum Base {

		/** The incident's opening. */
		OPENED,

		/** Its latest acknowledgement, or its opening before one. */
		ACKNOWLEDGED

	}

}
