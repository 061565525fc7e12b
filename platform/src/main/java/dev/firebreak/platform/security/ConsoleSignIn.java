package dev.firebreak.platform.security;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;

/**
 * The console's sign-in form, checked against the configured callers: a token alone (the
 * name left empty), or a user name and password.
 */
record ConsoleSignIn(Callers callers) implements AuthenticationProvider {

	@Override
	public Authentication authenticate(Authentication form) {
		String name = form.getName();
		Authentication presented = (name == null || name.isBlank())
				? BearerToken.typed(String.valueOf(form.getCredentials())) : form;
		return this.callers.authenticate(presented);
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
	}

}
