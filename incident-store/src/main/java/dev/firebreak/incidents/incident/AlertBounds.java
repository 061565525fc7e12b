package dev.firebreak.incidents.incident;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.firebreak.schemas.avro.Finding;

/**
 * How much of an alert an incident keeps, so that no incident record outgrows what Kafka
 * takes in one record (1 MB by default: a record the broker refuses would stop an
 * exactly-once stream). Labels are the alert's identity and are kept whole, up to
 * {@link #MAX_LABEL_BYTES}; a larger set is refused. Annotations and the link are
 * descriptions: the first {@link #MAX_ANNOTATIONS} are kept, each cut at
 * {@link #MAX_ANNOTATION_LENGTH} characters. Of what runbooks' diagnostic steps found,
 * the newest {@link #MAX_FINDINGS} are kept, each cut to length.
 */
public final class AlertBounds {

	/** UTF-8 bytes of all label names and values of one alert, at most. */
	public static final int MAX_LABEL_BYTES = 16 * 1024;

	/** Annotations kept per alert. */
	public static final int MAX_ANNOTATIONS = 8;

	/** Characters kept of an annotation's value; its name is dropped beyond 256. */
	public static final int MAX_ANNOTATION_LENGTH = 1024;

	/** Characters kept of the generator URL. */
	public static final int MAX_URL_LENGTH = 2048;

	/** The largest record an incident may be encoded into. */
	public static final int MAX_RECORD_BYTES = 1_000_000;

	private static final int MAX_ANNOTATION_NAME_LENGTH = 256;

	/** Findings of runbooks' diagnostic steps kept per incident, the newest. */
	public static final int MAX_FINDINGS = 5;

	/** Characters kept of a finding's summary. */
	public static final int MAX_FINDING_SUMMARY_LENGTH = 512;

	/** Characters kept of what a finding's step read (its output). */
	public static final int MAX_FINDING_OUTPUT_LENGTH = 2048;

	/** Characters kept of a finding's remediation id, runbook id and step name. */
	private static final int MAX_FINDING_NAME_LENGTH = 256;

	/** The most one kept finding can take, encoded: at three bytes a character. */
	static final int MAX_FINDING_BYTES = 3
			* (3 * MAX_FINDING_NAME_LENGTH + MAX_FINDING_SUMMARY_LENGTH + MAX_FINDING_OUTPUT_LENGTH) + 64;

	/**
	 * The most one kept alert can take, encoded: labels, annotations and link at three
	 * bytes a character, timestamps and field overhead.
	 */
	static final int MAX_SUMMARY_BYTES = MAX_LABEL_BYTES
			+ 3 * (MAX_ANNOTATIONS * (MAX_ANNOTATION_NAME_LENGTH + MAX_ANNOTATION_LENGTH + 1) + MAX_URL_LENGTH + 1)
			+ 1024;

	/**
	 * The incident's own fields: title, correlation key and labels, names, counts, and
	 * its findings.
	 */
	private static final int MAX_INCIDENT_OVERHEAD = 3 * MAX_LABEL_BYTES + 3 * (MAX_ANNOTATION_LENGTH + 512) + 8192
			+ MAX_FINDINGS * MAX_FINDING_BYTES;

	private AlertBounds() {
	}

	/**
	 * The most alerts an incident may keep at each end (first and most recent) so that
	 * it, and an event carrying it and one more alert, stays under
	 * {@link #MAX_RECORD_BYTES}.
	 */
	public static int maxAlertsKept() {
		return (MAX_RECORD_BYTES - MAX_INCIDENT_OVERHEAD - 2 * MAX_SUMMARY_BYTES) / (2 * MAX_SUMMARY_BYTES);
	}

	/**
	 * @throws RejectedInputException {@code ALERT_TOO_LARGE} when the labels take more
	 * than {@link #MAX_LABEL_BYTES}
	 */
	static void requireBoundedLabels(Map<String, String> labels) {
		long bytes = 0;
		for (Map.Entry<String, String> label : labels.entrySet()) {
			bytes += utf8Length(label.getKey()) + utf8Length(label.getValue());
		}
		if (bytes > MAX_LABEL_BYTES) {
			throw new RejectedInputException("ALERT_TOO_LARGE", "the alert's labels take " + bytes
					+ " bytes; an incident keeps an alert's labels whole, up to " + MAX_LABEL_BYTES);
		}
	}

	/** The annotations kept: the first few, each cut to length. */
	static Map<String, String> annotations(Map<String, String> annotations) {
		Map<String, String> kept = new LinkedHashMap<>();
		for (Map.Entry<String, String> annotation : annotations.entrySet()) {
			if (kept.size() == MAX_ANNOTATIONS) {
				break;
			}
			if (annotation.getKey().length() <= MAX_ANNOTATION_NAME_LENGTH) {
				kept.put(annotation.getKey(), cut(annotation.getValue(), MAX_ANNOTATION_LENGTH));
			}
		}
		return kept;
	}

	/** The finding as an incident keeps it: its names and texts cut to length. */
	static Finding finding(Finding finding) {
		return Finding.newBuilder(finding)
			.setRemediationId(cut(finding.getRemediationId(), MAX_FINDING_NAME_LENGTH))
			.setRunbookId(cut(finding.getRunbookId(), MAX_FINDING_NAME_LENGTH))
			.setStep(cut(finding.getStep(), MAX_FINDING_NAME_LENGTH))
			.setSummary(cut(finding.getSummary(), MAX_FINDING_SUMMARY_LENGTH))
			.setOutput(cut(finding.getOutput(), MAX_FINDING_OUTPUT_LENGTH))
			.build();
	}

	static String url(String url) {
		return (url != null) ? cut(url, MAX_URL_LENGTH) : null;
	}

	private static String cut(String text, int length) {
		if (text == null || text.length() <= length) {
			return text;
		}
		int end = Character.isHighSurrogate(text.charAt(length - 2)) ? length - 2 : length - 1;
		return text.substring(0, end) + "…";
	}

	private static long utf8Length(String text) {
		return (text != null) ? text.getBytes(StandardCharsets.UTF_8).length : 0;
	}

}
