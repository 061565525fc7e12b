package dev.firebreak.remediation.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentStatus;

/**
 * The newest state known of each incident, from {@code firebreak.incidents}, which
 * incident-store writes as soon as it decides. An engine that lags behind its events
 * would otherwise act on an event's snapshot after a person acknowledged the incident or
 * a maintenance window covered it: the guardrails read whichever of the two is newer, and
 * the outcome says which. Operators' dry runs read an incident's alerts here too.
 * Resolved incidents are forgotten a day after they resolved.
 */
public class LatestIncidents {

	/** How long a resolved incident's state is kept, to refuse its late events. */
	static final Duration KEPT_AFTER_RESOLVING = Duration.ofDays(1);

	private final Map<String, Incident> incidents = new ConcurrentHashMap<>();

	private final Clock clock;

	private volatile boolean caughtUp;

	public LatestIncidents(Clock clock) {
		this.clock = clock;
	}

	/** The state the guardrails go by, and where it comes from. */
	public record Known(IncidentFlags flags, String source) {
	}

	/** An incident as {@code firebreak.incidents} has it now. */
	public void accept(Incident incident) {
		this.incidents.merge(incident.getId(), incident,
				(known, newer) -> (newer.getVersion() >= known.getVersion()) ? newer : known);
	}

	/** The topic has been read up to where it ended when the engine started. */
	public void caughtUp() {
		this.caughtUp = true;
	}

	public boolean isCaughtUp() {
		return this.caughtUp;
	}

	/** The newer of the event's snapshot and the state the topic gave. */
	public Known newest(Incident snapshot) {
		Incident known = this.incidents.get(snapshot.getId());
		if (known != null && known.getVersion() > snapshot.getVersion()) {
			return new Known(IncidentFlags.of(known), "firebreak.incidents v" + known.getVersion());
		}
		return new Known(IncidentFlags.of(snapshot), "event v" + snapshot.getVersion());
	}

	/** An incident as the topic gave it last, if it is known. */
	public Optional<Incident> find(String id) {
		return Optional.ofNullable(this.incidents.get(id));
	}

	/** Forgets incidents resolved more than a day ago. */
	public void forgetOld() {
		Instant before = this.clock.instant().minus(KEPT_AFTER_RESOLVING);
		this.incidents.values()
			.removeIf((incident) -> incident.getStatus() == IncidentStatus.RESOLVED && incident.getResolvedAt() != null
					&& incident.getResolvedAt().isBefore(before));
	}

	/** Incidents known, for health and tests. */
	public int size() {
		return this.incidents.size();
	}

}
