package dev.firebreak.incidents.api;

import java.io.IOException;
import java.net.URI;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every request body this service takes is small (a note, a comment, a window): one over
 * {@link #MAX_BODY} bytes is refused with 413 before anything reads it, whatever the
 * path. A body sent without a length (chunked) is refused too, as no client of this API
 * needs that. Runs after authentication, so a stranger learns nothing from it.
 */
@Component
class RequestSizeLimit extends OncePerRequestFilter {

	static final long MAX_BODY = 64 * 1024;

	private final JsonMapper json;

	RequestSizeLimit(JsonMapper json) {
		this.json = json;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long length = request.getContentLengthLong();
		boolean chunked = "chunked".equalsIgnoreCase(request.getHeader("Transfer-Encoding"));
		if (length > MAX_BODY || (length < 0 && chunked)) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
					"A request body may hold at most " + MAX_BODY + " bytes, with a Content-Length");
			problem.setType(URI.create(ProblemResponses.TYPE_PREFIX + "body-too-large"));
			problem.setTitle("Body too large");
			response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.setHeader("Connection", "close");
			this.json.writeValue(response.getOutputStream(), problem);
			return;
		}
		chain.doFilter(request, response);
	}

}
