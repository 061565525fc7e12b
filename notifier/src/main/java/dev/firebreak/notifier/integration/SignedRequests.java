package dev.firebreak.notifier.integration;

import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

import dev.firebreak.notifier.route.Origin;

/**
 * The Spring Security filters that authenticate an integration's request on its path by
 * its signature ({@link SignatureCheck}), and the authority each gives. A request with no
 * signature header passes unauthenticated (and is refused by authorisation); one whose
 * signature does not match is refused at once.
 */
public final class SignedRequests {

	private SignedRequests() {
	}

	/** PagerDuty's: {@code X-PagerDuty-Signature} over the body. */
	public static AuthenticationFilter pagerDuty(String path, SignatureCheck check) {
		return filter(path, check, SignedRequest.from(Origin.PAGERDUTY, "X-PagerDuty-Signature", null));
	}

	/** Slack's: {@code X-Slack-Signature} over its timestamp and the body. */
	public static AuthenticationFilter slack(String path, SignatureCheck check) {
		return filter(path, check, SignedRequest.from(Origin.SLACK, "X-Slack-Signature", "X-Slack-Request-Timestamp"));
	}

	/** The authority a request verified as the integration's holds. */
	public static String authority(Origin origin) {
		return SignedRequest.authority(origin);
	}

	private static AuthenticationFilter filter(String path, SignatureCheck check, AuthenticationConverter converter) {
		AuthenticationFilter filter = new AuthenticationFilter(new ProviderManager(check), converter);
		filter.setRequestMatcher(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, path));
		// Authenticated, the request goes on to its controller.
		filter.setSuccessHandler((request, response, authentication) -> {
		});
		return filter;
	}

}
