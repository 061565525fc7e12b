package dev.firebreak.ingest.webhook;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

import dev.firebreak.schemas.avro.AlertEvent;

/**
 * The alerts of one request, read: those to publish and those refused, each refused one
 * with its index. Alertmanager's rule: make a best effort to accept every valid alert.
 *
 * @param truncated alerts Alertmanager left out of the webhook ({@code truncatedAlerts})
 */
record AlertBatch(List<AlertEvent> accepted, List<InvalidAlert> rejected, int truncated) {

	static AlertBatch read(JsonNode alerts, Delivery delivery, int truncated) {
		List<AlertEvent> accepted = new ArrayList<>(alerts.size());
		List<InvalidAlert> rejected = new ArrayList<>();
		for (int index = 0; index < alerts.size(); index++) {
			AlertReader.Reading reading = AlertReader.read(alerts.get(index), delivery);
			if (reading instanceof AlertReader.Accepted valid) {
				accepted.add(valid.alert());
			}
			else if (reading instanceof AlertReader.Rejected invalid) {
				rejected.add(new InvalidAlert(index, invalid.reason(), invalid.detail()));
			}
		}
		return new AlertBatch(accepted, rejected, truncated);
	}

}
