package dev.firebreak.platform.security;

import java.io.IOException;
import java.net.URI;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * A refusal written before any controller sees the request: RFC 9457 problem details with
 * a stable type ({@code urn:firebreak:problem:<type>}), counted in
 * {@code firebreak.requests.refused{status}}, the connection closed so that a refused
 * body is not read. Every security layer of Firebreak says no this way.
 */
public final class RefusedResponse {

	public static final String TYPE_PREFIX = "urn:firebreak:problem:";

	private final JsonMapper json;

	private final MeterRegistry registry;

	public RefusedResponse(JsonMapper json, MeterRegistry registry) {
		this.json = json;
		this.registry = registry;
	}

	public void write(HttpServletResponse response, HttpStatus status, String type, String title, String detail)
			throws IOException {
		this.registry.counter("firebreak.requests.refused", "status", Integer.toString(status.value())).increment();
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_PREFIX + type));
		problem.setTitle(title);
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setHeader(HttpHeaders.CONNECTION, "close");
		this.json.writeValue(response.getOutputStream(), problem);
	}

}
