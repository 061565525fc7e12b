package dev.firebreak.incidents.correlation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

import dev.firebreak.schemas.avro.AlertEvent;

/**
 * What {@link KeyAssigner} keeps of a firing alert, by fingerprint: the correlation key
 * and rule it was given, and the last delivery it passed on (a digest of its content, and
 * when), so that an exact repeat within the skew of an Alertmanager HA pair is counted
 * there instead of travelling on. Stored as one string: {@code rule NUL key} as before,
 * preceded by {@code SOH digest SP forwardedAt SP repeats NUL} once a delivery was passed
 * on.
 *
 * @param rule the grouping rule that made the key
 * @param key the correlation key
 * @param lastDelivery digest of the last delivery passed on, or null (stored before
 * repeats were counted here)
 * @param forwardedAt when it was passed on, epoch millis of its record
 * @param repeats exact repeats of it counted since, not passed on
 */
record AssignedKey(String rule, String key, String lastDelivery, long forwardedAt, long repeats) {

	private static final char SEPARATOR = '\u0000';

	private static final char DELIVERY_MARK = '\u0001';

	/** The stored value, or null for none. */
	static AssignedKey parse(String stored) {
		if (stored == null) {
			return null;
		}
		String lastDelivery = null;
		long forwardedAt = 0;
		long repeats = 0;
		String keyed = stored;
		if (stored.charAt(0) == DELIVERY_MARK) {
			int end = stored.indexOf(SEPARATOR);
			String[] delivery = stored.substring(1, end).split(" ");
			lastDelivery = delivery[0];
			forwardedAt = Long.parseLong(delivery[1]);
			repeats = Long.parseLong(delivery[2]);
			keyed = stored.substring(end + 1);
		}
		int separator = keyed.indexOf(SEPARATOR);
		return new AssignedKey(keyed.substring(0, separator), keyed.substring(separator + 1), lastDelivery, forwardedAt,
				repeats);
	}

	String encode() {
		String keyed = this.rule + SEPARATOR + this.key;
		if (this.lastDelivery == null) {
			return keyed;
		}
		return DELIVERY_MARK + this.lastDelivery + ' ' + this.forwardedAt + ' ' + this.repeats + SEPARATOR + keyed;
	}

	/**
	 * Whether a delivery is an exact repeat of the last one passed on, within the skew:
	 * the same content (received at another time, from another receiver).
	 */
	boolean repeatedBy(String delivery, long at, Duration skew) {
		return delivery.equals(this.lastDelivery) && Math.abs(at - this.forwardedAt) <= skew.toMillis();
	}

	/** One more repeat counted. */
	AssignedKey repeated() {
		return new AssignedKey(this.rule, this.key, this.lastDelivery, this.forwardedAt, this.repeats + 1);
	}

	/** A delivery passed on, at a record time; the repeats counted so far go with it. */
	AssignedKey forwarded(String delivery, long at) {
		return new AssignedKey(this.rule, this.key, delivery, at, 0);
	}

	/**
	 * A digest of what a delivery says about its alert: status, times, labels,
	 * annotations and link; not when or from whom it was received.
	 */
	static String digest(AlertEvent alert) {
		StringBuilder content = new StringBuilder(256).append(alert.getStatus())
			.append('\n')
			.append(alert.getStartsAt().toEpochMilli())
			.append('\n')
			.append((alert.getEndsAt() != null) ? alert.getEndsAt().toEpochMilli() : "-")
			.append('\n')
			.append((alert.getGeneratorURL() != null) ? alert.getGeneratorURL().length() + ":" + alert.getGeneratorURL()
					: "-");
		appendSorted(content, alert.getLabels());
		appendSorted(content, alert.getAnnotations());
		byte[] sha = sha256().digest(content.toString().getBytes(StandardCharsets.UTF_8));
		return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(sha, 16));
	}

	/** Length-prefixed, so that no two maps give the same text. */
	private static void appendSorted(StringBuilder content, Map<String, String> map) {
		content.append('\n').append(map.size());
		new TreeMap<>(map).forEach((name, value) -> content.append('\n')
			.append(name.length())
			.append(':')
			.append(name)
			.append(value.length())
			.append(':')
			.append(value));
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every JVM has SHA-256", ex);
		}
	}

}
