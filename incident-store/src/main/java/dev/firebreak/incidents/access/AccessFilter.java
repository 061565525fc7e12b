package dev.firebreak.incidents.access;

import java.io.IOException;
import java.net.URI;

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
import tools.jackson.databind.json.JsonMapper;

/**
 * Every {@code /api/} request needs a known bearer token (else 401), and a role that
 * permits its method (else 403): viewers may read, operators may also act. The caller's
 * name is kept as a request attribute, for the commands it issues. Health, metrics and
 * the OpenAPI description stay open.
 */
class AccessFilter extends OncePerRequestFilter {

	/** The request attribute that holds the caller's name. */
	static final String CALLER = AccessFilter.class.getName() + ".caller";

	private static final String TYPE_PREFIX = "urn:firebreak:problem:";

	private final Callers callers;

	private final JsonMapper json;

	private final MeterRegistry registry;

	AccessFilter(Callers callers, JsonMapper json, MeterRegistry registry) {
		this.callers = callers;
		this.json = json;
		this.registry = registry;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().startsWith("/api/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Callers.Identity caller = this.callers.identify(request.getHeader(HttpHeaders.AUTHORIZATION)).orElse(null);
		if (caller == null) {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"firebreak\"");
			refuse(request, response, HttpStatus.UNAUTHORIZED, "unauthenticated", "Unauthenticated",
					"Missing or unknown bearer token");
			return;
		}
		if (!caller.role().permits(request.getMethod())) {
			refuse(request, response, HttpStatus.FORBIDDEN, "forbidden", "Forbidden", "Token '" + caller.name()
					+ "' has role " + caller.role() + "; " + request.getMethod() + " needs OPERATOR");
			return;
		}
		request.setAttribute(CALLER, caller.name());
		chain.doFilter(request, response);
	}

	private void refuse(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String type,
			String title, String detail) throws IOException {
		this.registry.counter("firebreak.api.refused", "status", Integer.toString(status.value())).increment();
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_PREFIX + type));
		problem.setTitle(title);
		problem.setInstance(URI.create(request.getRequestURI()));
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		this.json.writeValue(response.getOutputStream(), problem);
	}

}
