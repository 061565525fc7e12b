package dev.firebreak.notifier.integration;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads an integration's request body once, as the bytes that were signed, bounded
 * ({@value #LIMIT} bytes; more is refused 413 unread), and keeps them in a request
 * attribute for the signature check and then the controller. The body must not be read
 * any other way: the stream is consumed, and a form body parsed into parameters would no
 * longer be the bytes that were signed.
 */
public final class RawBody extends OncePerRequestFilter {

	/** PagerDuty guarantees webhooks up to 55 KB; Slack's payloads are smaller. */
	static final int LIMIT = 64 * 1024;

	/** The request attribute holding the body, a {@code byte[]}. */
	static final String ATTRIBUTE = "dev.firebreak.notifier.integration.RawBody.body";

	private final IntegrationRefusals refusals;

	public RawBody(IntegrationRefusals refusals) {
		this.refusals = refusals;
	}

	/** The body read, or null when it was not. */
	static byte[] of(HttpServletRequest request) {
		return (request.getAttribute(ATTRIBUTE) instanceof byte[] body) ? body : null;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > LIMIT) {
			this.refusals.tooLarge(response);
			return;
		}
		byte[] body = request.getInputStream().readNBytes(LIMIT + 1);
		if (body.length > LIMIT) {
			this.refusals.tooLarge(response);
			return;
		}
		request.setAttribute(ATTRIBUTE, body);
		chain.doFilter(request, response);
	}

}
