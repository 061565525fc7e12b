package dev.firebreak.notifier.message;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A PagerDuty Events API v2 event. The incident id is the {@code dedup_key}, so that the
 * incident's trigger, acknowledge and resolve land on one PagerDuty incident, and a
 * trigger sent twice pages once.
 */
public final class PagerDutyEvent {

	static final int SUMMARY = 1024;

	/** The {@code custom_details} entry listing what Firebreak found. */
	static final String FOUND = "what_firebreak_found";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private PagerDutyEvent() {
	}

	public static ObjectNode render(Notice notice, String routingKey, String source) {
		ObjectNode event = JSON.createObjectNode();
		event.put("routing_key", routingKey);
		event.put("dedup_key", notice.incidentId());
		switch (notice.kind()) {
			case ACKNOWLEDGE -> event.put("event_action", "acknowledge");
			case RESOLVE -> event.put("event_action", "resolve");
			case TRIGGER, UPDATE -> {
				event.put("event_action", "trigger");
				ObjectNode payload = event.putObject("payload");
				payload.put("summary", Texts.cut(notice.headline() + ": " + notice.happened(), SUMMARY));
				payload.put("source", Texts.cut(notice.labels().isEmpty() ? source : notice.labelText(), 255));
				payload.put("severity", severity(notice));
				payload.put("timestamp", notice.occurredAt().toString());
				payload.put("component", Texts.cut(notice.labels().getOrDefault("service", ""), 255));
				payload.put("group", Texts.cut(notice.labels().getOrDefault("cluster", ""), 255));
				payload.put("class", notice.event().name());
				ObjectNode details = payload.putObject("custom_details");
				details.put("incident", notice.incidentId());
				details.put("status", notice.status().name());
				details.put("escalation", notice.escalation().name());
				details.put("alerts", notice.firing() + " firing of " + notice.alerts());
				details.put("what", notice.happened());
				details.putPOJO("recent_alerts", notice.alertLines());
				if (!notice.findings().isEmpty()) {
					ArrayNode found = details.putArray(FOUND);
					notice.findings().forEach((finding) -> found.add(found(finding)));
				}
				if (notice.recipient() != null) {
					details.put("paged", notice.recipient());
					details.put("stage", notice.stage());
				}
				event.putArray("links")
					.addObject()
					.put("href", notice.incidentUrl())
					.put("text", "Incident " + notice.incidentId());
			}
		}
		return event;
	}

	/**
	 * A finding in {@code custom_details}: its line, then its output on lines of its own.
	 */
	static String found(Notice.Finding finding) {
		return finding.output().isEmpty() ? finding.line() : finding.line() + "\n" + finding.output();
	}

	/** SEV1 critical, SEV2 error, SEV3 warning, SEV4 info. */
	static String severity(Notice notice) {
		return switch (notice.severity()) {
			case SEV1 -> "critical";
			case SEV2 -> "error";
			case SEV3 -> "warning";
			case SEV4 -> "info";
		};
	}

}
