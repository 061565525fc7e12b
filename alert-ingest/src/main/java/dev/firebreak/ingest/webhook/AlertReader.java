package dev.firebreak.ingest.webhook;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

import dev.firebreak.schemas.AlertFingerprint;
import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.avro.AlertSourceKind;
import dev.firebreak.schemas.avro.AlertStatus;

/**
 * Reads one alert of either API into an {@link AlertEvent}, or says why it cannot: the
 * validation Alertmanager applies (at least one label, Prometheus label names, a start,
 * no end before the start) plus size limits. Pure: the same JSON and delivery give the
 * same answer.
 */
final class AlertReader {

	private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{16}");

	/** Go's zero time: Alertmanager's way of saying "no end" on a firing alert. */
	private static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

	private static final int EXCERPT = 64;

	private AlertReader() {
	}

	/** The outcome of reading one alert. */
	sealed interface Reading permits Accepted, Rejected {

	}

	record Accepted(AlertEvent alert) implements Reading {
	}

	record Rejected(Invalidity reason, String detail) implements Reading {
	}

	static Reading read(JsonNode node, Delivery delivery) {
		try {
			return new Accepted(toAlert(node, delivery));
		}
		catch (Refusal refusal) {
			return new Rejected(refusal.reason, refusal.getMessage());
		}
	}

	private static AlertEvent toAlert(JsonNode node, Delivery delivery) {
		if (node == null || !node.isObject()) {
			throw new Refusal(Invalidity.NOT_AN_OBJECT, "an alert must be a JSON object");
		}
		AlertLimits limits = delivery.limits();
		boolean webhook = delivery.source().getKind() == AlertSourceKind.ALERTMANAGER_WEBHOOK;
		Map<String, String> labels = labels(node.get("labels"), limits);
		Map<String, String> annotations = annotations(node.get("annotations"), limits);
		Instant startsAt = time(node, "startsAt");
		if (startsAt == null) {
			if (webhook) {
				throw new Refusal(Invalidity.MISSING_STARTS_AT, "startsAt is required");
			}
			startsAt = delivery.receivedAt();
		}
		Instant endsAt = time(node, "endsAt");
		if (endsAt != null && endsAt.isBefore(startsAt)) {
			throw new Refusal(Invalidity.ENDS_BEFORE_STARTS, "endsAt " + endsAt + " is before startsAt " + startsAt);
		}
		return AlertEvent.newBuilder()
			.setFingerprint(webhook ? fingerprint(node.get("fingerprint"), labels) : AlertFingerprint.of(labels))
			.setStatus(webhook ? status(node.get("status"), endsAt, delivery.receivedAt())
					: statusFromEnd(endsAt, delivery.receivedAt()))
			.setLabels(labels)
			.setAnnotations(annotations)
			.setStartsAt(startsAt)
			.setEndsAt(endsAt)
			.setGeneratorURL(generatorUrl(node.get("generatorURL"), limits))
			.setSource(delivery.source())
			.setReceivedAt(delivery.receivedAt())
			.build();
	}

	private static Map<String, String> labels(JsonNode node, AlertLimits limits) {
		if (node == null || node.isNull() || (node.isObject() && node.isEmpty())) {
			throw new Refusal(Invalidity.NO_LABELS, "an alert needs at least one label");
		}
		return strings(node, limits, StringMap.LABELS);
	}

	private static Map<String, String> annotations(JsonNode node, AlertLimits limits) {
		return (node == null || node.isNull()) ? new LinkedHashMap<>() : strings(node, limits, StringMap.ANNOTATIONS);
	}

	/**
	 * Reads an object of strings with label-like names, within the limits for its kind.
	 */
	private static Map<String, String> strings(JsonNode node, AlertLimits limits, StringMap kind) {
		if (!node.isObject()) {
			throw new Refusal(kind.badShape, kind.plural + " must be an object of strings");
		}
		int maxEntries = kind.maxEntries(limits);
		if (node.size() > maxEntries) {
			throw new Refusal(kind.tooMany, node.size() + " " + kind.plural + ", at most " + maxEntries + " allowed");
		}
		int maxValueLength = kind.maxValueLength(limits);
		Map<String, String> entries = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> entry : node.properties()) {
			String name = entry.getKey();
			if (name.length() > limits.maxLabelNameLength() || !isLabelName(name)) {
				throw new Refusal(kind.badName, "invalid " + kind.singular + " name " + excerpt(name));
			}
			if (!entry.getValue().isString()) {
				throw new Refusal(kind.badShape, kind.singular + " " + name + " must be a string");
			}
			String value = entry.getValue().stringValue();
			if (value.length() > maxValueLength) {
				throw new Refusal(kind.tooLong,
						kind.singular + " " + name + " is longer than " + maxValueLength + " characters");
			}
			entries.put(name, value);
		}
		return entries;
	}

	/** Labels and annotations: the same shape, each with its own limits and reasons. */
	private enum StringMap {

		LABELS("label", "labels", Invalidity.BAD_LABELS, Invalidity.TOO_MANY_LABELS, Invalidity.BAD_LABEL_NAME,
				Invalidity.LABEL_TOO_LONG),

		ANNOTATIONS("annotation", "annotations", Invalidity.BAD_ANNOTATIONS, Invalidity.TOO_MANY_ANNOTATIONS,
				Invalidity.BAD_ANNOTATIONS, Invalidity.ANNOTATION_TOO_LONG);

		private final String singular;

		private final String plural;

		private final Invalidity badShape;

		private final Invalidity tooMany;

		private final Invalidity badName;

		private final Invalidity tooLong;

		StringMap(String singular, String plural, Invalidity badShape, Invalidity tooMany, Invalidity badName,
				Invalidity tooLong) {
			this.singular = singular;
			this.plural = plural;
			this.badShape = badShape;
			this.tooMany = tooMany;
			this.badName = badName;
			this.tooLong = tooLong;
		}

		int maxEntries(AlertLimits limits) {
			return (this == LABELS) ? limits.maxLabels() : limits.maxAnnotations();
		}

		int maxValueLength(AlertLimits limits) {
			return (this == LABELS) ? limits.maxLabelValueLength() : limits.maxAnnotationValueLength();
		}

	}

	/** An RFC 3339 time, or null when absent, null or Go's zero time. */
	private static Instant time(JsonNode alert, String field) {
		JsonNode node = alert.get(field);
		if (node == null || node.isNull() || (node.isString() && node.stringValue().isEmpty())) {
			return null;
		}
		if (!node.isString()) {
			throw new Refusal(Invalidity.BAD_TIMESTAMP, field + " must be an RFC 3339 time string");
		}
		try {
			Instant time = OffsetDateTime.parse(node.stringValue()).toInstant();
			return time.equals(GO_ZERO_TIME) ? null : time.truncatedTo(ChronoUnit.MILLIS);
		}
		catch (DateTimeParseException ex) {
			throw new Refusal(Invalidity.BAD_TIMESTAMP,
					field + " is not an RFC 3339 time: " + excerpt(node.stringValue()));
		}
	}

	private static String fingerprint(JsonNode node, Map<String, String> labels) {
		if (node == null || node.isNull() || (node.isString() && node.stringValue().isEmpty())) {
			return AlertFingerprint.of(labels);
		}
		if (!node.isString() || !FINGERPRINT.matcher(node.stringValue()).matches()) {
			throw new Refusal(Invalidity.BAD_FINGERPRINT, "fingerprint must be 16 lowercase hex digits");
		}
		return node.stringValue();
	}

	private static AlertStatus status(JsonNode node, Instant endsAt, Instant now) {
		if (node == null || node.isNull()) {
			return statusFromEnd(endsAt, now);
		}
		String status = node.isString() ? node.stringValue() : "";
		return switch (status) {
			case "firing" -> AlertStatus.FIRING;
			case "resolved" -> AlertStatus.RESOLVED;
			default -> throw new Refusal(Invalidity.BAD_STATUS, "status must be firing or resolved");
		};
	}

	/** The alerts API's rule: an alert whose end has passed is resolved. */
	private static AlertStatus statusFromEnd(Instant endsAt, Instant now) {
		return (endsAt != null && !endsAt.isAfter(now)) ? AlertStatus.RESOLVED : AlertStatus.FIRING;
	}

	private static String generatorUrl(JsonNode node, AlertLimits limits) {
		if (node == null || node.isNull()) {
			return null;
		}
		if (!node.isString() || node.stringValue().length() > limits.maxGeneratorUrlLength()) {
			throw new Refusal(Invalidity.BAD_GENERATOR_URL,
					"generatorURL must be a string of at most " + limits.maxGeneratorUrlLength() + " characters");
		}
		return node.stringValue().isEmpty() ? null : node.stringValue();
	}

	/**
	 * Prometheus' classic label name rule, {@code [a-zA-Z_][a-zA-Z0-9_]*}, the one
	 * Alertmanager 0.25 enforces.
	 */
	static boolean isLabelName(String name) {
		if (name.isEmpty()) {
			return false;
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
			if (!letter && (i == 0 || c < '0' || c > '9')) {
				return false;
			}
		}
		return true;
	}

	private static String excerpt(String text) {
		String excerpt = (text.length() > EXCERPT) ? text.substring(0, EXCERPT) + "…" : text;
		return "\"" + excerpt.replaceAll("\\p{Cntrl}", "?") + "\"";
	}

	private static final class Refusal extends RuntimeException {

		private final Invalidity reason;

		Refusal(Invalidity reason, String message) {
			super(message, null, false, false);
			this.reason = reason;
		}

	}

}
