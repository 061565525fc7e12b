package dev.firebreak.notifier.integration;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.firebreak.schemas.avro.CommandType;

/**
 * What a PagerDuty v3 webhook asks of Firebreak, read from its body: an acknowledgement
 * or resolution of an incident by a PagerDuty user, or nothing. Pure.
 *
 * @param eventId PagerDuty's id of the event (the same on every delivery of it)
 * @param type ACKNOWLEDGE or RESOLVE
 * @param incidentKey the PagerDuty incident's {@code incident_key}: the {@code dedup_key}
 * Firebreak triggered it with, its incident's id
 * @param actor who did it, as PagerDuty names them: {@code Paula Pager (PagerDuty)}
 * @param occurredAt when it happened, by PagerDuty
 */
record PagerDutyChange(String eventId, CommandType type, String incidentKey, String actor, Instant occurredAt) {

	/**
	 * How old an event may be: long enough for PagerDuty's retries of a delivery the
	 * notifier missed (down, restarting), far inside the day the event ids are kept for
	 * (which is what refuses a replay).
	 */
	static final Duration MAX_AGE = Duration.ofMinutes(30);

	/** How far ahead of our clock an event may be. */
	static final Duration MAX_AHEAD = Duration.ofMinutes(1);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Map<String, CommandType> ACTED = Map.of("incident.acknowledged", CommandType.ACKNOWLEDGE,
			"incident.resolved", CommandType.RESOLVE);

	/** What a body says: a change, something to ignore, or something to refuse. */
	sealed interface Reading {

	}

	/** A change to make, once it is matched to an incident. */
	record Act(PagerDutyChange change) implements Reading {

	}

	/**
	 * An event Firebreak has no use for (another type, or not done by a person): answered
	 * 2xx, so that PagerDuty does not count it as a failed delivery.
	 */
	record Ignored(String why) implements Reading {

	}

	/** A body that cannot be taken: malformed (400) or stale (409). */
	record Refused(int status, String type, String title, String detail) implements Reading {

	}

	static Reading read(byte[] body, Instant now) {
		JsonNode event;
		try {
			event = JSON.readTree(body).path("event");
		}
		catch (JacksonException ex) {
			return malformed("the body is not JSON");
		}
		if (!event.isObject()) {
			return malformed("the body has no event object");
		}
		String eventType = event.path("event_type").asString("");
		CommandType type = ACTED.get(eventType);
		if (type == null) {
			return new Ignored("Firebreak takes incident.acknowledged and incident.resolved only");
		}
		String eventId = event.path("id").asString("");
		if (eventId.isBlank() || eventId.length() > 200) {
			return malformed("event.id must be 1 to 200 characters");
		}
		JsonNode agent = event.path("agent");
		if (!"user_reference".equals(agent.path("type").asString(""))) {
			// PagerDuty itself, or an integration: Firebreak's own acknowledge or resolve
			// coming back, or a timeout. Only a person's action is taken.
			return new Ignored("not done by a PagerDuty user");
		}
		Instant occurredAt;
		try {
			occurredAt = Instant.parse(event.path("occurred_at").asString(""));
		}
		catch (DateTimeParseException ex) {
			return malformed("event.occurred_at must be an ISO 8601 instant");
		}
		if (occurredAt.isBefore(now.minus(MAX_AGE)) || occurredAt.isAfter(now.plus(MAX_AHEAD))) {
			return new Refused(409, "stale", "Stale event", "The event occurred at " + occurredAt
					+ ", not within the last " + MAX_AGE.toMinutes() + " minutes: it is not taken");
		}
		String key = event.path("data").path("incident_key").asString("");
		return new Act(new PagerDutyChange(eventId, type, key, actor(agent), occurredAt));
	}

	/**
	 * The PagerDuty user as PagerDuty names them (their summary, else their id), marked
	 * as PagerDuty's.
	 */
	static String actor(JsonNode agent) {
		String name = agent.path("summary").asString("").strip();
		if (name.isEmpty()) {
			name = agent.path("id").asString("").strip();
		}
		name = name.replaceAll("\\s+", " ");
		if (name.length() > 150) {
			name = name.substring(0, 150);
		}
		return (name.isEmpty() ? "someone" : name) + " (PagerDuty)";
	}

	private static Refused malformed(String detail) {
		return new Refused(400, "malformed-webhook", "Malformed webhook", detail);
	}

}
