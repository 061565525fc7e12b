package dev.firebreak.incidents.access;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;

import dev.firebreak.platform.Secret;

/**
 * Who may use the operators' API ({@code firebreak.api.*}): named tokens, each with a
 * role, inline (from the environment) or from a file. Without any, the service refuses to
 * start unless {@code allow-unauthenticated} says so explicitly; then every caller is an
 * operator named {@code anonymous}.
 */
@ConfigurationProperties("firebreak.api")
public record ApiProperties(List<Token> tokens, boolean allowUnauthenticated) {

	static final String PREFIX = "firebreak.api.";

	public ApiProperties {
		tokens = (tokens != null) ? List.copyOf(tokens) : List.of();
		if (tokens.isEmpty() && !allowUnauthenticated) {
			throw new IllegalArgumentException("Set " + PREFIX + "tokens (name, token or token-file, role), or "
					+ PREFIX + "allow-unauthenticated=true");
		}
		if (!tokens.isEmpty() && allowUnauthenticated) {
			throw new IllegalArgumentException(PREFIX + "allow-unauthenticated=true contradicts the tokens set");
		}
		Set<String> names = new HashSet<>();
		for (int i = 0; i < tokens.size(); i++) {
			Token token = tokens.get(i);
			String property = PREFIX + "tokens[" + i + "]";
			if (token.name() == null || token.name().isBlank()) {
				throw new IllegalArgumentException(property + ".name is required");
			}
			if (!names.add(token.name())) {
				throw new IllegalArgumentException(property + ".name '" + token.name() + "' is used twice");
			}
			if (token.role() == null) {
				throw new IllegalArgumentException(property + ".role is required: viewer or operator");
			}
		}
	}

	/**
	 * One caller's token.
	 *
	 * @param name who it is, as the timeline shows it (acknowledged by ...)
	 * @param token the secret, inline
	 * @param tokenFile or the file that holds it
	 * @param role what it may do
	 */
	public record Token(String name, String token, Path tokenFile, Role role) {
	}

	/** The callers, with their tokens resolved (files read). */
	Callers callers() {
		List<Callers.Identity> callers = new java.util.ArrayList<>();
		for (int i = 0; i < this.tokens.size(); i++) {
			Token token = this.tokens.get(i);
			int index = i;
			Secret secret = Secret.resolve(PREFIX + "tokens[" + i + "].token", token.token(), token.tokenFile())
				.orElseThrow(
						() -> new IllegalArgumentException(PREFIX + "tokens[" + index + "] needs token or token-file"));
			callers.add(new Callers.Identity(token.name(), secret, token.role()));
		}
		return new Callers(callers, this.allowUnauthenticated);
	}

}
