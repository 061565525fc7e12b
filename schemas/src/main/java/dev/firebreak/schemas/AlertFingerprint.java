package dev.firebreak.schemas;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * The fingerprint Alertmanager gives an alert: FNV-1a (64 bit) over the label names in
 * sorted order, each name and value followed by a 0xFF byte, as 16 hex digits. Computing
 * the same function means an alert pushed to the alerts API gets the same identity as it
 * would in an Alertmanager webhook.
 */
public final class AlertFingerprint {

	private static final long OFFSET_BASIS = 0xcbf29ce484222325L;

	private static final long PRIME = 0x100000001b3L;

	private static final int SEPARATOR = 0xFF;

	private AlertFingerprint() {
	}

	public static String of(Map<String, String> labels) {
		String[] names = labels.keySet().toArray(String[]::new);
		// Label names are ASCII (Prometheus' rule), so String order is Go's byte order.
		Arrays.sort(names);
		long hash = OFFSET_BASIS;
		for (String name : names) {
			hash = add(hash, name);
			hash = add(hash, labels.get(name));
		}
		return hex(hash);
	}

	private static String hex(long hash) {
		char[] digits = new char[16];
		for (int i = 15; i >= 0; i--) {
			digits[i] = Character.forDigit((int) (hash & 0xF), 16);
			hash >>>= 4;
		}
		return new String(digits);
	}

	private static long add(long hash, String text) {
		for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
			hash = (hash ^ (b & 0xFF)) * PRIME;
		}
		return (hash ^ SEPARATOR) * PRIME;
	}

}
