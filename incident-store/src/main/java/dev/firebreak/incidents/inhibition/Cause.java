package dev.firebreak.incidents.inhibition;

import java.util.Map;

/**
 * A firing alert of an open incident that may explain others' alerts: a source of an
 * inhibition rule.
 *
 * @param incidentId its incident
 * @param alertname its name
 * @param labels its labels
 */
public record Cause(String incidentId, String alertname, Map<String, String> labels) {

	public Cause {
		labels = Map.copyOf(labels);
	}

	/** {@code INC-20261201-0001 DatabaseDown on orders-db}. */
	public String describe() {
		String where = this.labels.getOrDefault("service", this.labels.getOrDefault("instance", ""));
		return this.incidentId + " " + this.alertname + (where.isEmpty() ? "" : " on " + where);
	}

}
