package dev.firebreak.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.Optional;

/**
 * A credential that never shows itself: {@code toString()} masks it, so it cannot leak
 * into a log line, an event or an error. Read from configuration (usually the
 * environment) or from a file, as Alertmanager's {@code credentials_file} and Kubernetes
 * secrets work.
 */
public final class Secret {

	private final String value;

	private Secret(String value) {
		if (value.isBlank()) {
			throw new IllegalArgumentException("a secret must not be blank");
		}
		this.value = value;
	}

	public static Secret of(String value) {
		return new Secret(Objects.requireNonNull(value, "value"));
	}

	/**
	 * The secret given either inline or in a file (its content, trailing newline
	 * removed), or none when neither is set.
	 * @param property the inline property's name, for the error when both are set
	 * @throws IllegalArgumentException naming the properties when both are set or the
	 * file cannot be read
	 */
	public static Optional<Secret> resolve(String property, String inline, Path file) {
		boolean hasInline = inline != null && !inline.isEmpty();
		if (hasInline && file != null) {
			throw new IllegalArgumentException("at most one of " + property + " and " + property + "-file");
		}
		if (hasInline) {
			return Optional.of(of(inline));
		}
		if (file == null) {
			return Optional.empty();
		}
		try {
			return Optional.of(of(Files.readString(file, StandardCharsets.UTF_8).strip()));
		}
		catch (IOException ex) {
			throw new IllegalArgumentException(property + "-file: cannot read " + file, ex);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(property + "-file: " + file + " is empty", ex);
		}
	}

	public String value() {
		return this.value;
	}

	/**
	 * Compares with a presented credential in time that does not depend on where they
	 * differ, nor on the secret's length: both are hashed first.
	 */
	public boolean matches(String presented) {
		return presented != null && MessageDigest.isEqual(sha256(this.value), sha256(presented));
	}

	private static byte[] sha256(String text) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public String toString() {
		return "******";
	}

	/** Equal to nothing but itself, so that no comparison bypasses {@link #matches}. */
	@Override
	public boolean equals(Object other) {
		return this == other;
	}

	@Override
	public int hashCode() {
		return System.identityHashCode(this);
	}

}
