package dev.firebreak.platform.security;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.BadCredentialsException;

/**
 * A bearer token as presented in {@code Authorization: Bearer ...}, not yet checked. Its
 * {@code toString()} never shows the token.
 */
final class BearerToken extends AbstractAuthenticationToken {

	private static final String SCHEME = "Bearer";

	private final String token;

	private BearerToken(String token) {
		super(List.of());
		this.token = token;
	}

	/**
	 * The bearer token of a request, or {@code null} when it presents none (another
	 * mechanism, or none, applies).
	 * @throws BadCredentialsException for a {@code Bearer} header without a token
	 */
	static BearerToken of(HttpServletRequest request) {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
			return null;
		}
		String token = header.substring(SCHEME.length()).strip();
		if (token.isEmpty() || header.length() == SCHEME.length() || header.charAt(SCHEME.length()) != ' ') {
			throw new BadCredentialsException("A Bearer authorization without a token");
		}
		return new BearerToken(token);
	}

	/** A token typed into the console's sign-in form. */
	static BearerToken typed(String token) {
		if (token == null || token.isBlank()) {
			throw new BadCredentialsException("No token");
		}
		return new BearerToken(token.strip());
	}

	@Override
	public String getCredentials() {
		return this.token;
	}

	@Override
	public Object getPrincipal() {
		return "bearer token";
	}

	@Override
	public String toString() {
		return "BearerToken [******]";
	}

}
