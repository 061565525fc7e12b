package dev.firebreak.remediation.action;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls an HTTP endpoint: Rundeck, StackStorm, AWX, Jenkins, a Kubernetes API or a
 * service's admin endpoint. Method, URL, headers and body come from the runbook's
 * templates; a 2xx answer is success. Redirects are not followed (a remediation call goes
 * where the runbook says, nowhere else). The whole exchange, the answer's body included,
 * is bounded by the action's timeout, and only the first {@link #MAX_BODY} bytes of the
 * answer are kept. What it reports names the URL without its query, which may carry a
 * token.
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
		String shown = withoutQuery(url);
		if (action.dryRun()) {
			return new ActionResult(true, "would call " + method + " " + shown, Map.of("method", method, "url", shown),
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
			return ActionResult.since(start, false, "not a valid request to " + shown, Map.of("url", shown));
		}
		Map<String, String> details = new LinkedHashMap<>();
		details.put("method", method);
		details.put("url", shown);
		CompletableFuture<HttpResponse<String>> exchange = this.client.sendAsync(request,
				(info) -> new FirstBytes(MAX_BODY));
		try {
			HttpResponse<String> response = exchange.get(action.timeout().toMillis(), TimeUnit.MILLISECONDS);
			details.put("status", Integer.toString(response.statusCode()));
			details.put("body", response.body());
			boolean succeeded = response.statusCode() / 100 == 2;
			return ActionResult.since(start, succeeded, method + " " + shown + " answered " + response.statusCode(),
					details);
		}
		catch (TimeoutException ex) {
			exchange.cancel(true);
			return ActionResult.since(start, false, method + " " + shown + " gave no answer within " + action.timeout(),
					details);
		}
		catch (ExecutionException ex) {
			String reason = (ex.getCause() instanceof java.net.http.HttpTimeoutException)
					? " gave no answer within " + action.timeout() : " failed: " + ex.getCause();
			return ActionResult.since(start, false, method + " " + shown + reason, details);
		}
		catch (InterruptedException ex) {
			exchange.cancel(true);
			Thread.currentThread().interrupt();
			return ActionResult.since(start, false, method + " " + shown + " interrupted", details);
		}
	}

	/** The URL as reports show it: without its query or user information. */
	public static String withoutQuery(String url) {
		try {
			URI uri = URI.create(url);
			String shown = uri.getScheme() + "://" + uri.getHost() + ((uri.getPort() >= 0) ? ":" + uri.getPort() : "")
					+ ((uri.getRawPath() != null) ? uri.getRawPath() : "");
			return (uri.getRawQuery() != null) ? shown + "?…" : shown;
		}
		catch (IllegalArgumentException ex) {
			return "(not a valid URL)";
		}
	}

	/**
	 * Keeps the first bytes of a body and stops reading there, so that an endless or huge
	 * answer costs neither memory nor time.
	 */
	private static final class FirstBytes implements HttpResponse.BodySubscriber<String> {

		private final int limit;

		private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

		private final CompletableFuture<String> body = new CompletableFuture<>();

		private Flow.Subscription subscription;

		FirstBytes(int limit) {
			this.limit = limit;
		}

		@Override
		public CompletionStage<String> getBody() {
			return this.body;
		}

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			this.subscription = subscription;
			subscription.request(1);
		}

		@Override
		public void onNext(List<ByteBuffer> buffers) {
			for (ByteBuffer buffer : buffers) {
				int take = Math.min(buffer.remaining(), this.limit - this.kept.size());
				byte[] bytes = new byte[take];
				buffer.get(bytes);
				this.kept.write(bytes, 0, take);
			}
			if (this.kept.size() >= this.limit) {
				this.subscription.cancel();
				complete();
			}
			else {
				this.subscription.request(1);
			}
		}

		@Override
		public void onError(Throwable error) {
			complete();
		}

		@Override
		public void onComplete() {
			complete();
		}

		private void complete() {
			this.body.complete(this.kept.toString(StandardCharsets.UTF_8));
		}

	}

}
