package dev.firebreak.ingest.auth;

import java.io.IOException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

/**
 * Checks credentials on every {@code /api/} request before anything reads its body, and
 * answers 401 problem details when they are missing or wrong. Health, metrics and the
 * OpenAPI description stay open.
 */
public class AuthenticationFilter extends OncePerRequestFilter {

	/** The problem type of a 401. */
	public static final String PROBLEM_TYPE = "urn:firebreak:problem:unauthenticated";

	private final Credentials credentials;

	private final ObjectMapper json;

	private final Counter refused;

	AuthenticationFilter(Credentials credentials, ObjectMapper json, MeterRegistry registry) {
		this.credentials = credentials;
		this.json = json;
		this.refused = Counter.builder("firebreak.requests.unauthenticated")
			.description("Requests refused for missing or wrong credentials")
			.register(registry);
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !this.credentials.required() || !request.getRequestURI().startsWith("/api/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (this.credentials.accept(request.getHeader(HttpHeaders.AUTHORIZATION))) {
			chain.doFilter(request, response);
			return;
		}
		this.refused.increment();
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED,
				"Missing or wrong credentials: send the bearer token or basic credentials configured for alert-ingest");
		problem.setType(java.net.URI.create(PROBLEM_TYPE));
		problem.setTitle("Unauthenticated");
		problem.setInstance(java.net.URI.create(request.getRequestURI()));
		response.setStatus(HttpStatus.UNAUTHORIZED.value());
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, challenge());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		// Do not keep the connection to swallow a body nobody will read.
		response.setHeader(HttpHeaders.CONNECTION, "close");
		this.json.writeValue(response.getOutputStream(), problem);
	}

	private String challenge() {
		return this.credentials.bearer().isPresent() ? "Bearer realm=\"firebreak\"" : "Basic realm=\"firebreak\"";
	}

}
