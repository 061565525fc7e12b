package dev.firebreak.incidents.access;

import java.util.List;
import java.util.Optional;

import dev.firebreak.platform.Secret;

/** The configured callers of the API, found by the bearer token they present. */
final class Callers {

	record Identity(String name, Secret token, Role role) {
	}

	private static final Identity ANONYMOUS = new Identity("anonymous", null, Role.OPERATOR);

	private static final String BEARER = "Bearer ";

	private final List<Identity> callers;

	private final boolean allowUnauthenticated;

	Callers(List<Identity> callers, boolean allowUnauthenticated) {
		this.callers = List.copyOf(callers);
		this.allowUnauthenticated = allowUnauthenticated;
	}

	/** The caller an {@code Authorization} header names, if any does. */
	Optional<Identity> identify(String authorization) {
		if (this.allowUnauthenticated) {
			return Optional.of(ANONYMOUS);
		}
		if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			return Optional.empty();
		}
		String presented = authorization.substring(BEARER.length()).trim();
		// Every token is compared (in constant time), so timing does not tell which
		// matched.
		Identity found = null;
		for (Identity caller : this.callers) {
			if (caller.token().matches(presented) && found == null) {
				found = caller;
			}
		}
		return Optional.ofNullable(found);
	}

}
