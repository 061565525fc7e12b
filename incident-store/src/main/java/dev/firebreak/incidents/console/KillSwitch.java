package dev.firebreak.incidents.console;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.firebreak.platform.Secret;

/**
 * remediation-engine's kill switch, as the console shows and flips it: through the
 * engine's own {@code /actuator/remediation} with the console's admin token, naming the
 * admin who asked ({@code onBehalfOf}), so that the engine keeps one switch, one record
 * and one access control.
 */
@Component
class KillSwitch {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final URI endpoint;

	private final Optional<Secret> token;

	private final JsonMapper json;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	KillSwitch(ConsoleProperties properties, JsonMapper json) {
		this.endpoint = endpoint(properties.remediationEngine().url());
		this.token = properties.remediationEngine().secret();
		this.json = json;
	}

	/**
	 * What the engine says: whether the switch is on, who flipped it, and the runbooks
	 * whose circuit breaker is open, with why.
	 */
	record State(boolean on, String changedBy, List<String> openCircuits) {
	}

	/**
	 * The engine's switch below its configured URL, path included: behind a proxy at
	 * {@code https://ops.example.com/engine}, the token goes to
	 * {@code /engine/actuator/remediation} and nowhere else on that host.
	 */
	static URI endpoint(URI engine) {
		String base = engine.toString();
		return URI.create(base.endsWith("/") ? base : base + "/").resolve("actuator/remediation");
	}

	boolean configured() {
		return this.token.isPresent();
	}

	State state() {
		return send(HttpRequest.newBuilder(this.endpoint).GET());
	}

	State turn(boolean on, String admin) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("killSwitch", on);
		body.put("onBehalfOf", admin);
		return send(HttpRequest.newBuilder(this.endpoint)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(this.json.writeValueAsString(body))));
	}

	private State send(HttpRequest.Builder request) {
		Secret secret = this.token.orElseThrow(() -> new Unavailable(
				"no token for remediation-engine: set firebreak.console.remediation-engine.token-file"));
		HttpResponse<String> answer;
		try {
			answer = this.http.send(
					request.timeout(TIMEOUT).header("Authorization", "Bearer " + secret.value()).build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new Unavailable("remediation-engine at " + this.endpoint + " did not answer: " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new Unavailable("interrupted");
		}
		if (answer.statusCode() != 200) {
			throw new Unavailable("remediation-engine answered " + answer.statusCode()
					+ ((answer.statusCode() == 401 || answer.statusCode() == 403)
							? ": the console's token is not an admin token there" : ""));
		}
		JsonNode state;
		try {
			state = this.json.readTree(answer.body());
		}
		catch (JacksonException ex) {
			throw new Unavailable("remediation-engine at " + this.endpoint + " answered something other than JSON");
		}
		List<String> circuits = state.path("openCircuits")
			.properties()
			.stream()
			.map((circuit) -> circuit.getKey() + ": " + circuit.getValue().asString())
			.toList();
		JsonNode by = state.get("killSwitchChangedBy");
		return new State(state.path("killSwitch").asBoolean(), (by != null && !by.isNull()) ? by.asString() : null,
				circuits);
	}

	/** The engine could not be asked, or refused: the page says which. */
	static final class Unavailable extends RuntimeException {

		Unavailable(String message) {
			super(message);
		}

	}

}
