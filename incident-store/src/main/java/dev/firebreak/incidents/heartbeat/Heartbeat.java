package dev.firebreak.incidents.heartbeat;

import java.time.Duration;
import java.util.Objects;

import dev.firebreak.schemas.avro.AlertEvent;

/**
 * The heartbeat Firebreak expects: an always-firing alert (Prometheus' conventional
 * {@code Watchdog}) that Alertmanager sends again and again while rules are evaluated and
 * alerts reach Firebreak. It never becomes an incident. When a heartbeat series that has
 * been seen stops for {@code silentAfter}, the dead man's switch raises
 * {@code AlertingPipelineSilent}; it clears when the heartbeat returns.
 *
 * @param alertname the heartbeat's alertname
 * @param silentAfter how long without a heartbeat means the pipeline is silent; longer
 * than the heartbeat's repeat interval in Alertmanager, with room for one missed beat
 * @param watch whether the dead man's switch watches it; the heartbeat is dropped either
 * way
 * @param priorityLabel the label that gives the silence SEV1 ({@code null}: none, and the
 * silence is {@code severity: critical} only)
 */
public record Heartbeat(String alertname, Duration silentAfter, boolean watch, String priorityLabel) {

	/**
	 * {@code Watchdog}, silent after five minutes, watched, SEV1 through
	 * {@code priority}.
	 */
	public static final Heartbeat DEFAULT = new Heartbeat("Watchdog", Duration.ofMinutes(5), true, "priority");

	public Heartbeat {
		Objects.requireNonNull(silentAfter, "silentAfter");
		if (alertname == null || alertname.isBlank()) {
			throw new IllegalArgumentException("the heartbeat's alertname must not be blank");
		}
		if (silentAfter.isNegative() || silentAfter.isZero()) {
			throw new IllegalArgumentException("the heartbeat's silent-after must be positive");
		}
	}

	/** Whether the alert is this heartbeat (by its alertname label). */
	public boolean isHeartbeat(AlertEvent alert) {
		return this.alertname.equals(alert.getLabels().get("alertname"));
	}

}
