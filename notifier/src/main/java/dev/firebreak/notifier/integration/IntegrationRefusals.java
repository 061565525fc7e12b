package dev.firebreak.notifier.integration;

import java.io.IOException;
import java.net.URI;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * How the integrations' paths say no before a controller sees the request, as RFC 9457
 * problem details with platform's stable types: 401 {@code unauthenticated} (no
 * signature, or one that does not match, or a Slack timestamp out of its window), 403
 * {@code forbidden}, 413 {@code payload-too-large}. Counted in
 * {@code firebreak.requests.refused{status}}, as platform counts its own. Nothing of the
 * request is repeated.
 */
public final class IntegrationRefusals implements AuthenticationEntryPoint, AccessDeniedHandler {

	static final String TYPE_PREFIX = "urn:firebreak:problem:";

	private final JsonMapper json;

	private final MeterRegistry meters;

	public IntegrationRefusals(JsonMapper json, MeterRegistry meters) {
		this.json = json;
		this.meters = meters;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
			throws IOException {
		response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Signature realm=\"firebreak-integrations\"");
		write(response, HttpStatus.UNAUTHORIZED, "unauthenticated", "Unauthenticated",
				"Missing or wrong signature, or a timestamp too far from now");
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException ex)
			throws IOException {
		write(response, HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
				"This integration's signature does not admit " + request.getMethod() + " on this path");
	}

	void tooLarge(HttpServletResponse response) throws IOException {
		write(response, HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Payload too large",
				"An integration's request is at most " + RawBody.LIMIT + " bytes");
	}

	private void write(HttpServletResponse response, HttpStatus status, String type, String title, String detail)
			throws IOException {
		this.meters.counter("firebreak.requests.refused", "status", Integer.toString(status.value())).increment();
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_PREFIX + type));
		problem.setTitle(title);
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setHeader(HttpHeaders.CONNECTION, "close");
		this.json.writeValue(response.getOutputStream(), problem);
	}

}
