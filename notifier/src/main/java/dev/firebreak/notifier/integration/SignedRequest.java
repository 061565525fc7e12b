package dev.firebreak.notifier.integration;

import java.util.List;
import java.util.Locale;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.authentication.AuthenticationConverter;

import dev.firebreak.notifier.route.Origin;

/**
 * A request an integration says it sent, with what proves it: the raw body and the
 * signature headers. Once its signature is checked it is the caller's authentication,
 * holding the one authority that integration's path needs ({@link #authority}).
 */
final class SignedRequest extends AbstractAuthenticationToken {

	private final Origin origin;

	private final transient byte[] body;

	private final String signature;

	private final String timestamp;

	private SignedRequest(Origin origin, byte[] body, String signature, String timestamp, boolean verified) {
		super(verified ? List.of(new SimpleGrantedAuthority(authority(origin))) : List.of());
		this.origin = origin;
		this.body = body;
		this.signature = signature;
		this.timestamp = timestamp;
		setAuthenticated(verified);
	}

	/**
	 * The authority a request verified as the integration's holds:
	 * {@code INTEGRATION_PAGERDUTY}, {@code INTEGRATION_SLACK}. No person or token has
	 * it.
	 */
	static String authority(Origin origin) {
		return "INTEGRATION_" + origin.name();
	}

	/**
	 * Reads a request to the integration's path: its raw body ({@link RawBody}) and
	 * signature headers; none when the signature header is missing (refused as
	 * unauthenticated).
	 * @param timestampHeader the header with the time that is signed too, or null
	 */
	static AuthenticationConverter from(Origin origin, String signatureHeader, String timestampHeader) {
		return (request) -> {
			String signature = request.getHeader(signatureHeader);
			byte[] body = RawBody.of(request);
			if (signature == null || body == null) {
				return null;
			}
			return new SignedRequest(origin, body, signature,
					(timestampHeader != null) ? request.getHeader(timestampHeader) : null, false);
		};
	}

	/** The same request, its signature checked. */
	SignedRequest verified() {
		return new SignedRequest(this.origin, this.body, this.signature, this.timestamp, true);
	}

	Origin origin() {
		return this.origin;
	}

	byte[] body() {
		return this.body;
	}

	String signature() {
		return this.signature;
	}

	String timestamp() {
		return this.timestamp;
	}

	@Override
	public Object getCredentials() {
		return "";
	}

	@Override
	public Object getPrincipal() {
		return this.origin.name().toLowerCase(Locale.ROOT);
	}

	@Override
	public boolean equals(Object other) {
		return this == other;
	}

	@Override
	public int hashCode() {
		return System.identityHashCode(this);
	}

}
