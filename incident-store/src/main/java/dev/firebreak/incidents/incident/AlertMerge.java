package dev.firebreak.incidents.incident;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.avro.AlertStatus;
import dev.firebreak.schemas.avro.AlertSummary;
import dev.firebreak.schemas.avro.Severity;

/**
 * What a delivery of an alert changes, given what is known of that alert. Deliveries
 * repeat (Alertmanager HA) and arrive out of order; the result is the state that in-order
 * delivery gives, as Alertmanager merges: the earliest {@code startsAt} wins, the latest
 * explicit {@code endsAt} wins. An alert that fires again after it resolved has a new
 * {@code startsAt} after the old {@code endsAt} (Prometheus restarts its active time),
 * which is how a new episode is told from a stale delivery of the old one.
 */
public final class AlertMerge {

	/** How far apart two firing deliveries may start and still be one episode. */
	public static final Duration DEFAULT_SKEW = Duration.ofSeconds(60);

	private AlertMerge() {
	}

	/** What a delivery did to an alert's state. */
	public enum Change {

		/** The first delivery of this alert. */
		NEW,

		/** Nothing: a duplicate, or a stale delivery of an older state. */
		UNCHANGED,

		/** Still in the same state, with other annotations, labels or link. */
		UPDATED,

		/** Was firing, now resolved. */
		RESOLVED,

		/** Was resolved, fires again: a new episode. */
		REFIRED

	}

	/**
	 * The merged state and what changed.
	 *
	 * @param state the alert as it now stands
	 * @param change what the delivery changed
	 */
	public record Result(AlertSummary state, Change change) {

		public boolean changed() {
			return this.change != Change.UNCHANGED;
		}

	}

	/**
	 * Merges a delivery into the known state of the alert, with the default skew.
	 * @param current the known state, or null for an alert not seen before
	 * @param delivery the alert as delivered
	 * @param severity the severity the delivery's labels give
	 * @throws RejectedInputException when the delivery's labels are too large to keep
	 */
	public static Result merge(AlertSummary current, AlertEvent delivery, Severity severity) {
		return merge(current, delivery, severity, DEFAULT_SKEW);
	}

	/**
	 * Merges a delivery into the known state of the alert. Two firing states whose starts
	 * lie within {@code skew} are one episode (Prometheus HA replicas start the same
	 * alert at slightly different times) and keep the earlier start; further apart, the
	 * later episode is the newer state.
	 */
	public static Result merge(AlertSummary current, AlertEvent delivery, Severity severity, Duration skew) {
		AlertSummary incoming = summaryOf(delivery, severity);
		if (current == null) {
			return new Result(incoming, Change.NEW);
		}
		boolean currentResolved = current.getStatus() == AlertStatus.RESOLVED;
		boolean incomingResolved = incoming.getStatus() == AlertStatus.RESOLVED;
		if (currentResolved && !incomingResolved) {
			return incoming.getStartsAt().isAfter(current.getEndsAt()) ? new Result(incoming, Change.REFIRED)
					: unchanged(current);
		}
		if (!currentResolved && incomingResolved) {
			// The end of an earlier episode, arriving after the current one started,
			// changes nothing.
			return incoming.getEndsAt().isBefore(current.getStartsAt()) ? unchanged(current) : new Result(
					withStart(incoming, earliest(current.getStartsAt(), incoming.getStartsAt())), Change.RESOLVED);
		}
		if (!currentResolved) {
			if (Duration.between(current.getStartsAt(), incoming.getStartsAt()).abs().compareTo(skew) > 0) {
				// Different episodes: the later one is the newer state (its resolve was
				// missed or is late).
				return incoming.getStartsAt().isAfter(current.getStartsAt()) ? new Result(incoming, Change.UPDATED)
						: unchanged(current);
			}
			return updatedUnlessSame(current,
					withStart(incoming, earliest(current.getStartsAt(), incoming.getStartsAt())));
		}
		boolean sameEpisode = !incoming.getStartsAt().isAfter(current.getEndsAt())
				&& !current.getStartsAt().isAfter(incoming.getEndsAt());
		if (!sameEpisode) {
			return incoming.getEndsAt().isAfter(current.getEndsAt()) ? new Result(incoming, Change.UPDATED)
					: unchanged(current);
		}
		AlertSummary merged = withStart(incoming, earliest(current.getStartsAt(), incoming.getStartsAt()));
		merged.setEndsAt(latest(current.getEndsAt(), incoming.getEndsAt()));
		return updatedUnlessSame(current, merged);
	}

	private static Result unchanged(AlertSummary current) {
		return new Result(current, Change.UNCHANGED);
	}

	private static Result updatedUnlessSame(AlertSummary current, AlertSummary merged) {
		return sameContent(current, merged) ? unchanged(current) : new Result(merged, Change.UPDATED);
	}

	private static Instant latest(Instant a, Instant b) {
		return a.isAfter(b) ? a : b;
	}

	/**
	 * What is kept of a delivery: its labels whole, its annotations and link within
	 * {@link AlertBounds}.
	 * @throws RejectedInputException when its labels are too large to keep
	 */
	private static AlertSummary summaryOf(AlertEvent alert, Severity severity) {
		AlertBounds.requireBoundedLabels(alert.getLabels());
		return AlertSummary.newBuilder()
			.setFingerprint(alert.getFingerprint())
			.setAlertname(alert.getLabels().getOrDefault("alertname", ""))
			.setStatus(alert.getStatus())
			.setSeverity(severity)
			.setLabels(alert.getLabels())
			.setAnnotations(AlertBounds.annotations(alert.getAnnotations()))
			.setStartsAt(alert.getStartsAt())
			// A resolved alert always has an end: the time it was received, when the
			// sender gave none.
			.setEndsAt((alert.getStatus() == AlertStatus.RESOLVED && alert.getEndsAt() == null) ? alert.getReceivedAt()
					: alert.getEndsAt())
			.setGeneratorURL(AlertBounds.url(alert.getGeneratorURL()))
			.setLastReceivedAt(alert.getReceivedAt())
			.build();
	}

	private static AlertSummary withStart(AlertSummary summary, Instant startsAt) {
		AlertSummary copy = AlertSummary.newBuilder(summary).build();
		copy.setStartsAt(startsAt);
		return copy;
	}

	private static Instant earliest(Instant a, Instant b) {
		return a.isBefore(b) ? a : b;
	}

	/** Equal but for when it was last received: a repeat of the same state. */
	private static boolean sameContent(AlertSummary a, AlertSummary b) {
		return a.getStatus() == b.getStatus() && a.getStartsAt().equals(b.getStartsAt())
				&& Objects.equals(a.getEndsAt(), b.getEndsAt()) && a.getSeverity() == b.getSeverity()
				&& a.getLabels().equals(b.getLabels()) && a.getAnnotations().equals(b.getAnnotations())
				&& Objects.equals(a.getGeneratorURL(), b.getGeneratorURL());
	}

}
