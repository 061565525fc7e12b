package dev.firebreak.platform.security;

import java.io.IOException;
import java.net.URI;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * How the security layer says no, as RFC 9457 problem details with a stable type: 401
 * {@code unauthenticated} (with the challenges configured), 403 {@code forbidden}, and
 * 400 {@code rejected-request} for a request the firewall refuses (path parameters,
 * encoded slashes or dots, {@code ..}, doubled slashes). Each is counted in
 * {@code firebreak.requests.refused{status}}. The connection is closed, so that a refused
 * body is not read. Nothing of the request but its path is repeated.
 */
final class Refusals implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {

	private final RefusedResponse refused;

	private final String[] challenges;

	Refusals(JsonMapper json, MeterRegistry registry, String[] challenges) {
		this.refused = new RefusedResponse(json, registry);
		this.challenges = challenges.clone();
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
			throws IOException {
		for (String challenge : this.challenges) {
			response.addHeader(HttpHeaders.WWW_AUTHENTICATE, challenge);
		}
		this.refused.write(response, HttpStatus.UNAUTHORIZED, "unauthenticated", "Unauthenticated",
				"Missing or wrong credentials");
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException ex)
			throws IOException {
		String name = (request.getUserPrincipal() != null) ? request.getUserPrincipal().getName() : "anonymous";
		this.refused.write(response, HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
				"'" + name + "' has no role that may " + request.getMethod() + " this path");
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException ex)
			throws IOException {
		this.refused.write(response, HttpStatus.BAD_REQUEST, "rejected-request", "Rejected request",
				"The request's path is not in normal form (path parameters, encoded slashes or dots, '..', "
						+ "doubled slashes): write the path plainly");
	}

}
