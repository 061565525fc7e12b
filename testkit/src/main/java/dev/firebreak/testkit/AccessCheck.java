package dev.firebreak.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * A service's role table, tried from the outside: every endpoint without credentials,
 * with wrong and truncated ones, with each role's, and with its path written in forms
 * that are not normal (a path parameter or a percent-encoded letter in any segment,
 * encoded slashes and dots, {@code ..}, doubled and trailing slashes, another case). Each
 * answer is held against the table; {@link #refusals()} and {@link #roles()} return every
 * mismatch, so that a test lists them all at once.
 *
 * <pre>
 * AccessCheck check = AccessCheck.against("http://127.0.0.1:" + port)
 * 	.bearer("viewer", VIEWER_TOKEN, "viewer")
 * 	.bearer("operator", OPERATOR_TOKEN, "operator", "viewer")
 * 	.endpoint("GET", "/api/v1/incidents", "viewer")
 * 	.endpoint("POST", "/api/v1/incidents/INC-1/acknowledge", "operator", "{}");
 * assertThat(check.refusals()).isEmpty();
 * </pre>
 */
public final class AccessCheck {

	/** The problem type of a request the firewall refuses. */
	private static final String REJECTED_REQUEST = "urn:firebreak:problem:rejected-request";

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String base;

	private final Map<String, Credential> credentials = new LinkedHashMap<>();

	private final List<Endpoint> endpoints = new ArrayList<>();

	private AccessCheck(String base) {
		this.base = base;
	}

	public static AccessCheck against(String base) {
		return new AccessCheck(base);
	}

	/** A caller with a bearer token and the roles it holds. */
	public AccessCheck bearer(String label, String token, String... roles) {
		this.credentials.put(label, new Credential(label, "Bearer " + token,
				"Bearer " + token.substring(0, token.length() - 1), "Bearer " + token + "x", Set.of(roles)));
		return this;
	}

	/** A caller with HTTP basic credentials and the roles it holds. */
	public AccessCheck basic(String label, String user, String password, String... roles) {
		this.credentials.put(label,
				new Credential(label, basicHeader(user, password),
						basicHeader(user, password.substring(0, password.length() - 1)),
						basicHeader(user, password + "x"), Set.of(roles)));
		return this;
	}

	/** An endpoint open to anyone. */
	public AccessCheck open(String method, String path) {
		this.endpoints.add(new Endpoint(method, path, null, null));
		return this;
	}

	/** An endpoint that needs a role, with no body. */
	public AccessCheck endpoint(String method, String path, String role) {
		return endpoint(method, path, role, null);
	}

	/** An endpoint that needs a role, with the JSON body to send (harmless, please). */
	public AccessCheck endpoint(String method, String path, String role, String body) {
		this.endpoints.add(new Endpoint(method, path, role, body));
		return this;
	}

	/** The endpoints of the table, as {@code "POST /api/v2/alerts"}. */
	public List<String> endpoints() {
		return this.endpoints.stream().map((endpoint) -> endpoint.method() + " " + endpoint.path()).toList();
	}

	/**
	 * The routes of a service the table has no row for: each handler's method and path
	 * pattern ({@code POST /api/v1/incidents/{id}/acknowledge}) must match an endpoint of
	 * the table, a template variable standing for any one segment.
	 */
	public List<String> uncovered(RequestMappingHandlerMapping mappings) {
		Set<String> routed = new TreeSet<>();
		mappings.getHandlerMethods()
			.keySet()
			.forEach((info) -> info.getMethodsCondition()
				.getMethods()
				.forEach((method) -> info.getPatternValues().forEach((path) -> routed.add(method + " " + path))));
		List<String> listed = endpoints();
		return routed.stream()
			.filter((route) -> listed.stream().noneMatch((endpoint) -> endpoint.matches(toRegex(route))))
			.toList();
	}

	private static String toRegex(String route) {
		StringBuilder regex = new StringBuilder();
		for (String part : route.split("\\{[^}]+}", -1)) {
			if (regex.length() > 0) {
				regex.append("[^/]+");
			}
			regex.append(Pattern.quote(part));
		}
		return regex.toString();
	}

	/**
	 * Everything that must be refused: no credentials, wrong or truncated ones, the wrong
	 * role, and every path variant that is not the plain one (an encoded letter counts as
	 * plain). Run before {@link #roles()}, so that a test can check that nothing it sent
	 * here had an effect.
	 * @return each answer that was not what the table says
	 */
	public List<String> refusals() {
		List<String> mismatches = new ArrayList<>();
		for (Endpoint endpoint : this.endpoints) {
			if (endpoint.role() == null) {
				expectThrough(mismatches, endpoint, endpoint.path(), null, "no credentials");
				continue;
			}
			expect(mismatches, endpoint, endpoint.path(), null, "no credentials", 401);
			for (Map.Entry<String, String> wrong : wrongCredentials().entrySet()) {
				expect(mismatches, endpoint, endpoint.path(), wrong.getValue(), wrong.getKey(), 401);
			}
			for (Credential credential : this.credentials.values()) {
				if (!credential.roles().contains(endpoint.role())) {
					expect(mismatches, endpoint, endpoint.path(), credential.authorization(), credential.label(), 403);
				}
			}
			for (String variant : encodedLetters(endpoint.path())) {
				expect(mismatches, endpoint, variant, null, "no credentials", 401);
			}
			for (String variant : abnormal(endpoint.path())) {
				expectRefused(mismatches, endpoint, variant, null, "no credentials");
				for (Credential credential : this.credentials.values()) {
					expectRefused(mismatches, endpoint, variant, credential.authorization(), credential.label());
				}
			}
		}
		return mismatches;
	}

	/**
	 * Everything that must be let through: each role on its endpoints, on the plain path
	 * and with a percent-encoded letter in each segment.
	 * @return each answer that was not what the table says
	 */
	public List<String> roles() {
		List<String> mismatches = new ArrayList<>();
		for (Endpoint endpoint : this.endpoints) {
			for (Credential credential : this.credentials.values()) {
				if (endpoint.role() != null && credential.roles().contains(endpoint.role())) {
					expectThrough(mismatches, endpoint, endpoint.path(), credential.authorization(),
							credential.label());
					for (String variant : encodedLetters(endpoint.path())) {
						expectThrough(mismatches, endpoint, variant, credential.authorization(), credential.label());
					}
				}
			}
		}
		return mismatches;
	}

	private Map<String, String> wrongCredentials() {
		Map<String, String> wrong = new LinkedHashMap<>();
		wrong.put("a wrong token", "Bearer wrong-token-0123456789");
		wrong.put("an empty bearer token", "Bearer ");
		wrong.put("a bare scheme", "Bearer");
		wrong.put("wrong basic credentials", basicHeader("someone", "wrong"));
		wrong.put("basic credentials that are not base64", "Basic !!!not-base64");
		for (Credential credential : this.credentials.values()) {
			wrong.put("the " + credential.label() + " credentials truncated", credential.truncated());
			wrong.put("the " + credential.label() + " credentials with a character more", credential.extended());
		}
		return wrong;
	}

	/** The path with the first letter of one segment percent-encoded: the same path. */
	public static List<String> encodedLetters(String path) {
		List<String> variants = new ArrayList<>();
		String[] segments = path.substring(1).split("/");
		for (int i = 0; i < segments.length; i++) {
			String segment = segments[i];
			if (!segment.isEmpty() && Character.isLetter(segment.charAt(0)) && segment.charAt(0) < 128) {
				String[] copy = segments.clone();
				copy[i] = String.format("%%%02X", (int) segment.charAt(0)) + segment.substring(1);
				variants.add("/" + String.join("/", copy));
			}
		}
		return variants;
	}

	/** The path written in forms that are not normal; none may reach anything. */
	public static List<String> abnormal(String path) {
		List<String> variants = new ArrayList<>();
		String[] segments = path.substring(1).split("/");
		for (int i = 0; i < segments.length; i++) {
			String[] copy = segments.clone();
			copy[i] = copy[i] + ";p=1";
			variants.add("/" + String.join("/", copy));
		}
		for (int i = 1; i < segments.length; i++) {
			variants.add("/" + String.join("/", List.of(segments).subList(0, i)) + "%2F"
					+ String.join("/", List.of(segments).subList(i, segments.length)));
		}
		String first = "/" + segments[0];
		String rest = path.substring(first.length());
		variants.add(first + "/." + rest);
		variants.add(first + "/x/.." + rest);
		variants.add(first + "/x/%2e%2e" + rest);
		variants.add(first + "/%2e" + rest);
		variants.add(first + "/" + rest);
		variants.add(first + "%5C" + rest.substring(1));
		variants.add(path + "/");
		if (!path.toUpperCase(Locale.ROOT).equals(path)) {
			variants.add(path.toUpperCase(Locale.ROOT));
		}
		return variants;
	}

	private void expect(List<String> mismatches, Endpoint endpoint, String path, String authorization, String who,
			int expected) {
		int status = send(endpoint, path, authorization);
		if (status != expected) {
			mismatches.add(describe(endpoint, path, who) + ": " + status + ", expected " + expected);
		}
	}

	/** Let through: neither 401, 403, nor the firewall's 400. */
	private void expectThrough(List<String> mismatches, Endpoint endpoint, String path, String authorization,
			String who) {
		HttpResponse<String> response = exchange(endpoint, path, authorization);
		if (response.statusCode() == 401 || response.statusCode() == 403
				|| response.body().contains(REJECTED_REQUEST)) {
			mismatches
				.add(describe(endpoint, path, who) + ": " + response.statusCode() + ", expected it to be let through");
		}
	}

	private void expectRefused(List<String> mismatches, Endpoint endpoint, String path, String authorization,
			String who) {
		int status = send(endpoint, path, authorization);
		if (status < 400 || status >= 500) {
			mismatches.add(describe(endpoint, path, who) + ": " + status + ", expected a 4xx refusal");
		}
	}

	private static String describe(Endpoint endpoint, String path, String who) {
		return endpoint.method() + " " + path + " with " + who;
	}

	private int send(Endpoint endpoint, String path, String authorization) {
		return exchange(endpoint, path, authorization).statusCode();
	}

	private HttpResponse<String> exchange(Endpoint endpoint, String path, String authorization) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(30))
			.method(endpoint.method(), (endpoint.body() != null) ? HttpRequest.BodyPublishers.ofString(endpoint.body())
					: HttpRequest.BodyPublishers.noBody());
		if (endpoint.body() != null) {
			request.header("Content-Type", "application/json");
		}
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		try {
			return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(endpoint.method() + " " + path, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** An {@code Authorization} header value with HTTP basic credentials. */
	public static String basicHeader(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	private record Credential(String label, String authorization, String truncated, String extended,
			Set<String> roles) {
	}

	private record Endpoint(String method, String path, String role, String body) {
	}

}
