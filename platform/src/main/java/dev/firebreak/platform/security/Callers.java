package dev.firebreak.platform.security;

import java.util.List;
import java.util.Optional;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.AuthenticationUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;

import dev.firebreak.platform.Secret;

/**
 * The configured callers, found by what they present: a bearer token, a user name and
 * password, or a client certificate's common name. Secrets are compared in constant time,
 * and every one of a kind is compared, so timing does not tell which matched. The
 * authenticated principal is the caller's name: the actor of everything it does.
 */
final class Callers
		implements AuthenticationProvider, AuthenticationUserDetailsService<PreAuthenticatedAuthenticationToken> {

	enum Kind {

		TOKEN, USER, CERTIFICATE

	}

	record Caller(Kind kind, String name, Secret secret, Role role) {
	}

	private final List<Caller> callers;

	Callers(List<Caller> callers) {
		this.callers = List.copyOf(callers);
	}

	boolean any(Kind kind) {
		return this.callers.stream().anyMatch((caller) -> caller.kind() == kind);
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return BearerToken.class.isAssignableFrom(authentication)
				|| UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
	}

	@Override
	public Authentication authenticate(Authentication presented) {
		Optional<Caller> caller = (presented instanceof BearerToken token) ? token(token.getCredentials())
				: user(presented.getName(), String.valueOf(presented.getCredentials()));
		Caller found = caller.orElseThrow(() -> new BadCredentialsException("Missing or wrong credentials"));
		return UsernamePasswordAuthenticationToken.authenticated(found.name(), null, found.role().authorities());
	}

	@Override
	public UserDetails loadUserDetails(PreAuthenticatedAuthenticationToken certificate) {
		String commonName = String.valueOf(certificate.getPrincipal());
		return this.callers.stream()
			.filter((caller) -> caller.kind() == Kind.CERTIFICATE && caller.name().equals(commonName))
			.findFirst()
			.map((caller) -> User.withUsername(caller.name())
				.password("")
				.authorities(caller.role().authorities())
				.build())
			.orElseThrow(() -> new UsernameNotFoundException("No client certificate is configured for that name"));
	}

	private Optional<Caller> token(String presented) {
		Caller found = null;
		for (Caller caller : this.callers) {
			if (caller.kind() == Kind.TOKEN && caller.secret().matches(presented) && found == null) {
				found = caller;
			}
		}
		return Optional.ofNullable(found);
	}

	private Optional<Caller> user(String name, String password) {
		Caller found = null;
		for (Caller caller : this.callers) {
			if (caller.kind() != Kind.USER) {
				continue;
			}
			// Both are compared, so the time taken does not say which one was wrong.
			boolean user = Secret.of(caller.name()).matches(name);
			boolean pass = caller.secret().matches(password);
			if (user & pass && found == null) {
				found = caller;
			}
		}
		return Optional.ofNullable(found);
	}

}
