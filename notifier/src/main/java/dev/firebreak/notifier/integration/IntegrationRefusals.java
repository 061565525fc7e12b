package dev.firebreak.notifier.integration;

import java.io.IOException;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.json.JsonMapper;

import dev.firebreak.platform.security.RefusedResponse;

/**
 * How the integrations' paths say no before a controller sees the request, as RFC 9457
 * problem details with platform's stable types: 401 {@code unauthenticated} (no
 * signature, or one that does not match, or a Slack timestamp out of its window), 403
 * {@code forbidden}, 413 {@code payload-too-large}. Counted in
 * {@code firebreak.requests.refused{status}}, as platform counts its own. Nothing of the
 * request is repeated.
 */
public final class IntegrationRefusals implements AuthenticationEntryPoint, AccessDeniedHandler {

	private final RefusedResponse refused;

	public IntegrationRefusals(JsonMapper json, MeterRegistry meters) {
		this.refused = new RefusedResponse(json, meters);
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
			throws IOException {
		response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Signature realm=\"firebreak-integrations\"");
		this.refused.write(response, HttpStatus.UNAUTHORIZED, "unauthenticated", "Unauthenticated",
				"Missing or wrong signature, or a timestamp too far from now");
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException ex)
			throws IOException {
		this.refused.write(response, HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
				"This integration's signature does not admit " + request.getMethod() + " on this path");
	}

	void tooLarge(HttpServletResponse response) throws IOException {
		this.refused.write(response, HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Payload too large",
				"An integration's request is at most " + RawBody.LIMIT + " bytes");
	}

}
