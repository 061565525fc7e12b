package dev.firebreak.ingest.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import dev.firebreak.platform.Secret;

/**
 * The credentials a request may present; either one, when both are configured, is enough.
 */
record Credentials(Optional<Secret> bearer, Optional<Basic> basic) {

	/** HTTP basic credentials. */
	record Basic(String username, Secret password) {

		boolean matches(String username, String password) {
			// Evaluate both, so the time taken does not say which one was wrong.
			boolean user = Secret.of(this.username).matches(username);
			boolean pass = this.password.matches(password);
			return user & pass;
		}

	}

	boolean required() {
		return this.bearer.isPresent() || this.basic.isPresent();
	}

	/** Whether an {@code Authorization} header value carries valid credentials. */
	boolean accept(String authorization) {
		if (authorization == null) {
			return false;
		}
		if (startsWithIgnoreCase(authorization, "Bearer ")) {
			String token = authorization.substring(7).trim();
			return this.bearer.map((secret) -> secret.matches(token)).orElse(false);
		}
		if (startsWithIgnoreCase(authorization, "Basic ")) {
			return this.basic.map((basic) -> acceptBasic(basic, authorization.substring(6).trim())).orElse(false);
		}
		return false;
	}

	private static boolean acceptBasic(Basic basic, String encoded) {
		String decoded;
		try {
			decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		int colon = decoded.indexOf(':');
		return colon >= 0 && basic.matches(decoded.substring(0, colon), decoded.substring(colon + 1));
	}

	private static boolean startsWithIgnoreCase(String text, String prefix) {
		return text.regionMatches(true, 0, prefix, 0, prefix.length());
	}

}
