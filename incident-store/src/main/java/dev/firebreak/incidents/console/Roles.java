package dev.firebreak.incidents.console;

import org.springframework.security.core.Authentication;

import dev.firebreak.platform.security.Role;

/** What a signed-in caller's role lets the pages offer; the server checks it again. */
final class Roles {

	private Roles() {
	}

	static boolean operator(Authentication caller) {
		return caller.getAuthorities()
			.stream()
			.anyMatch((authority) -> ("ROLE_" + Role.OPERATOR.name()).equals(authority.getAuthority()));
	}

}
