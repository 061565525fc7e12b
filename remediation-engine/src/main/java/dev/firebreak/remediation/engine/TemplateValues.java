package dev.firebreak.remediation.engine;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.firebreak.schemas.avro.AlertSummary;
import dev.firebreak.schemas.avro.Incident;

/**
 * The values a runbook's templates may read: {@code labels.*} and {@code annotations.*}
 * of the alert, and {@code incident.id}, {@code incident.severity},
 * {@code incident.title} and {@code incident.correlationKey}. Nothing here is trusted:
 * each value is checked against its pattern when a template takes it.
 */
final class TemplateValues {

	private TemplateValues() {
	}

	static Map<String, String> of(AlertSummary alert, Incident incident) {
		Map<String, String> values = new LinkedHashMap<>();
		alert.getLabels().forEach((name, value) -> values.put("labels." + name, value));
		alert.getAnnotations().forEach((name, value) -> values.put("annotations." + name, value));
		values.put("incident.id", incident.getId());
		values.put("incident.severity", incident.getSeverity().name());
		values.put("incident.title", incident.getTitle());
		values.put("incident.correlationKey", incident.getCorrelationKey());
		return values;
	}

}
