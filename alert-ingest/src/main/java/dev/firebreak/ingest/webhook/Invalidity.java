package dev.firebreak.ingest.webhook;

/**
 * Why one alert of a request was refused. A bounded set: it tags
 * {@code firebreak.alerts.invalid}.
 */
public enum Invalidity {

	NOT_AN_OBJECT, NO_LABELS, BAD_LABELS, BAD_LABEL_NAME, TOO_MANY_LABELS, LABEL_TOO_LONG, BAD_ANNOTATIONS,
	TOO_MANY_ANNOTATIONS, ANNOTATION_TOO_LONG, MISSING_STARTS_AT, BAD_TIMESTAMP, ENDS_BEFORE_STARTS, BAD_STATUS,
	BAD_FINGERPRINT, BAD_GENERATOR_URL

}
