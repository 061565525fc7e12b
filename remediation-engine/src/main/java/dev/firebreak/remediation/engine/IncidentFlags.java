package dev.firebreak.remediation.engine;

import java.time.Instant;

import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentStatus;
import dev.firebreak.schemas.avro.InhibitionState;

/**
 * What the guardrails read of an incident: whether a person is on it, whether it is in
 * maintenance or flapping, whether it is over, and which version says so.
 *
 * @param id the incident
 * @param version its version, to tell the newer of two
 * @param status open, acknowledged or resolved
 * @param acknowledgedBy who acknowledged it, if anyone
 * @param inMaintenance whether a maintenance window covers it
 * @param maintenanceWindowId which
 * @param flapping whether its alerts flap
 * @param resolvedAt when it resolved, if it did
 * @param inhibition whether it is a symptom of another incident's cause (or may be)
 * @param inhibitedBy the cause's incident
 */
public record IncidentFlags(String id, long version, IncidentStatus status, String acknowledgedBy,
		boolean inMaintenance, String maintenanceWindowId, boolean flapping, Instant resolvedAt,
		InhibitionState inhibition, String inhibitedBy) {

	public static IncidentFlags of(Incident incident) {
		return new IncidentFlags(incident.getId(), incident.getVersion(), incident.getStatus(),
				incident.getAcknowledgedBy(), incident.getInMaintenance(), incident.getMaintenanceWindowId(),
				incident.getFlapping(), incident.getResolvedAt(), incident.getInhibition(), incident.getInhibitedBy());
	}

}
