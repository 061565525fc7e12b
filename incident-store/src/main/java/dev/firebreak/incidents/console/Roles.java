package dev.firebreak.incidents.console;

import org.springframework.security.core.Authentication;

import dev.firebreak.platform.security.Role;

/** What a signed-in caller's role lets the pages offer; the server checks it again. */
final class Roles {

	private Roles() {
	}

	static boolean operator(Authentication caller) {
		return holds(caller, Role.OPERATOR);
	}

	static boolean admin(Authentication caller) {
		return holds(caller, Role.ADMIN);
	}

	private static boolean holds(Authentication caller, Role role) {
		return caller.getAuthorities()
			.stream()
			.anyMatch((authority) -> ("ROLE_" + role.name()).equals(authority.getAuthority()));
	}

}
