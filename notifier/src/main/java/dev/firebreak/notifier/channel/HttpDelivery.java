package dev.firebreak.notifier.channel;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.function.Function;

/**
 * POSTs JSON and sorts the answer the way every HTTP channel needs: 2xx sent; 408, 429
 * (with its Retry-After, in seconds or as a date) and 5xx worth retrying; any other 4xx
 * permanent; no answer worth retrying.
 */
final class HttpDelivery {

	private static final HttpClient CLIENT = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private HttpDelivery() {
	}

	/**
	 * @param answered what a 2xx answer's body means (Slack's Web API says ok: false in a
	 * 200)
	 */
	static SendResult post(URI uri, Map<String, String> headers, String body, Duration timeout,
			Function<String, SendResult> answered) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri)
			.timeout(timeout)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
		headers.forEach(request::header);
		HttpResponse<String> response;
		try {
			response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (HttpTimeoutException ex) {
			return SendResult.retry("no answer within " + timeout, null);
		}
		catch (IOException ex) {
			return SendResult.retry("could not connect: " + ex.getClass().getSimpleName(), null);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return SendResult.retry("interrupted", null);
		}
		int status = response.statusCode();
		String answer = status + " " + response.body().substring(0, Math.min(200, response.body().length()));
		if (status / 100 == 2) {
			return answered.apply(response.body());
		}
		if (status == 429 || status == 408 || status / 100 == 5) {
			return SendResult.retry(answer, retryAfter(response.headers().firstValue("Retry-After").orElse(null)));
		}
		return SendResult.permanent(answer);
	}

	/** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
	static Duration retryAfter(String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
		}
		catch (NumberFormatException ex) {
			try {
				ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
				Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
				return wait.isNegative() ? Duration.ZERO : wait;
			}
			catch (DateTimeParseException ex2) {
				return null;
			}
		}
	}

}
