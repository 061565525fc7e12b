package dev.firebreak.notifier.integration;

import java.time.Clock;
import java.util.List;
import java.util.function.Predicate;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

import dev.firebreak.notifier.route.Origin;
import dev.firebreak.platform.Secret;

/**
 * Authenticates an integration's {@link SignedRequest} by its signature, for Spring
 * Security: a request whose signature does not check out is refused as unauthenticated
 * (401), and nothing of it is read further.
 */
public final class SignatureCheck implements AuthenticationProvider {

	private final Origin origin;

	private final Predicate<SignedRequest> verifies;

	private SignatureCheck(Origin origin, Predicate<SignedRequest> verifies) {
		this.origin = origin;
		this.verifies = verifies;
	}

	/** PagerDuty's v3 webhooks, signed with any of the secrets (a rotation). */
	public static SignatureCheck pagerDuty(List<Secret> secrets) {
		List<Secret> copy = List.copyOf(secrets);
		return new SignatureCheck(Origin.PAGERDUTY,
				(request) -> Signatures.pagerDuty(copy, request.signature(), request.body()));
	}

	/** Slack's interactivity requests, signed with the app's signing secret, recently. */
	public static SignatureCheck slack(Secret signingSecret, Clock clock) {
		return new SignatureCheck(Origin.SLACK, (request) -> Signatures.slack(signingSecret, request.timestamp(),
				request.signature(), request.body(), clock.instant()));
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		SignedRequest request = (SignedRequest) authentication;
		if (request.origin() != this.origin) {
			return null;
		}
		if (!this.verifies.test(request)) {
			throw new BadCredentialsException("The request's signature does not match");
		}
		return request.verified();
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return SignedRequest.class.isAssignableFrom(authentication);
	}

}
