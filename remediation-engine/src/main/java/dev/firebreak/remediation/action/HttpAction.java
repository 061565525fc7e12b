package dev.firebreak.remediation.action;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Calls an HTTP endpoint: Rundeck, StackStorm, AWX, Jenkins, a Kubernetes API or a
 * service's admin endpoint. Method, URL, headers and body come from the runbook's
 * templates; a 2xx answer is success. Redirects are not followed (a remediation call goes
 * where the runbook says, nowhere else) and only the start of the answer is kept.
 */
public final class HttpAction implements Action {

	/** Bytes of the response body kept for the timeline. */
	static final int MAX_BODY = 4096;

	private final HttpClient client = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	@Override
	public String type() {
		return "http";
	}

	@Override
	public ActionResult run(PreparedAction action) {
		String method = action.value("method", "POST").toUpperCase(Locale.ROOT);
		String url = action.value("url");
		if (action.dryRun()) {
			return new ActionResult(true, "would call " + method + " " + url, Map.of("method", method, "url", url),
					Duration.ZERO);
		}
		long start = System.nanoTime();
		HttpRequest request;
		try {
			String body = action.value("body", null);
			HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
				.timeout(action.timeout())
				.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)
						: HttpRequest.BodyPublishers.noBody());
			action.map("headers").forEach(builder::header);
			request = builder.build();
		}
		catch (IllegalArgumentException ex) {
			return ActionResult.since(start, false, "not a valid request: " + ex.getMessage(), Map.of("url", url));
		}
		Map<String, String> details = new LinkedHashMap<>();
		details.put("method", method);
		details.put("url", url);
		try {
			HttpResponse<InputStream> response = this.client.send(request, HttpResponse.BodyHandlers.ofInputStream());
			details.put("status", Integer.toString(response.statusCode()));
			try (InputStream in = response.body()) {
				details.put("body", new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8));
			}
			boolean succeeded = response.statusCode() / 100 == 2;
			return ActionResult.since(start, succeeded, method + " " + url + " answered " + response.statusCode(),
					details);
		}
		catch (HttpTimeoutException ex) {
			return ActionResult.since(start, false, method + " " + url + " gave no answer within " + action.timeout(),
					details);
		}
		catch (IOException ex) {
			return ActionResult.since(start, false, method + " " + url + " failed: " + ex.getMessage(), details);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return ActionResult.since(start, false, method + " " + url + " interrupted", details);
		}
	}

}
