package dev.firebreak.notifier.integration;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.firebreak.platform.Secret;

/**
 * The signatures PagerDuty and Slack put on what they send, checked on the raw body.
 * Pure; every comparison takes the same time wherever the values differ.
 */
final class Signatures {

	/** How far a Slack request's timestamp may be from now, either way. */
	static final Duration SLACK_WINDOW = Duration.ofMinutes(5);

	/** Signatures read from one header, at most (PagerDuty sends one per secret). */
	private static final int MAX_SIGNATURES = 10;

	private static final int MAX_HEADER = 1024;

	private Signatures() {
	}

	/**
	 * PagerDuty v3: {@code X-PagerDuty-Signature} holds one or more comma-separated
	 * {@code v1=<hex HMAC-SHA256 of the body>}, one per secret it signs with; one that
	 * matches one of ours is enough (several of ours: a rotation under way).
	 */
	static boolean pagerDuty(List<Secret> secrets, String header, byte[] body) {
		if (secrets.isEmpty() || header == null || header.length() > MAX_HEADER) {
			return false;
		}
		List<String> presented = List.of(header.split(",", MAX_SIGNATURES + 1));
		if (presented.size() > MAX_SIGNATURES) {
			return false;
		}
		boolean matched = false;
		for (Secret secret : secrets) {
			byte[] expected = ("v1=" + hmac(secret, body)).getBytes(StandardCharsets.US_ASCII);
			for (String signature : presented) {
				byte[] given = signature.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
				matched |= MessageDigest.isEqual(expected, given);
			}
		}
		return matched;
	}

	/**
	 * Slack: {@code X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<timestamp>:<body>">}
	 * with the app's signing secret, {@code X-Slack-Request-Timestamp} (Unix seconds)
	 * within {@link #SLACK_WINDOW} of now, so that a captured request cannot be played
	 * again later.
	 */
	static boolean slack(Secret secret, String timestamp, String header, byte[] body, Instant now) {
		if (secret == null || timestamp == null || header == null || header.length() > MAX_HEADER
				|| !timestamp.matches("\\d{1,12}")) {
			return false;
		}
		Instant at = Instant.ofEpochSecond(Long.parseLong(timestamp));
		if (Duration.between(at, now).abs().compareTo(SLACK_WINDOW) > 0) {
			return false;
		}
		byte[] expected = ("v0=" + hmac(secret, ("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8), body))
			.getBytes(StandardCharsets.US_ASCII);
		return MessageDigest.isEqual(expected,
				header.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
	}

	/** Hex HMAC-SHA256 of the parts, one after the other. */
	static String hmac(Secret secret, byte[]... parts) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.value().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			for (byte[] part : parts) {
				mac.update(part);
			}
			return HexFormat.of().formatHex(mac.doFinal());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is part of every JDK", ex);
		}
	}

}
