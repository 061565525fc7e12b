package dev.firebreak.incidents.console;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.CommandType;
import dev.firebreak.testkit.AccessCheck;
import dev.firebreak.testkit.Eventually;
import dev.firebreak.testkit.KafkaRecords;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's role table over HTTP, as a browser's requests would come: without a
 * session every page sends to the sign-in form and every change is refused; a viewer's
 * session with a valid CSRF token is refused every change; an operator's is let through,
 * but not to the kill switch; a bearer token means nothing here; every route of the
 * console is in the table.
 */
class ConsoleAccessTest extends ConsoleService {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private static final String INCIDENT = "INC-20200101-0001";

	/** Pages for viewers. */
	private static final List<String> PAGES = List.of("/console", "/console/incidents", "/console/incidents/rows",
			"/console/incidents/" + INCIDENT, "/console/incidents/" + INCIDENT + "/report.md", "/console/maintenance");

	/** Changes for operators. */
	private static final List<String> CHANGES = List.of("/console/incidents/" + INCIDENT + "/acknowledge",
			"/console/incidents/" + INCIDENT + "/resolve", "/console/incidents/" + INCIDENT + "/comment",
			"/console/incidents/" + INCIDENT + "/assign", "/console/incidents/" + INCIDENT + "/escalate",
			"/console/remediations/r-1/approve", "/console/remediations/r-1/reject", "/console/maintenance",
			"/console/maintenance/preview", "/console/maintenance/none/end");

	/** The kill switch, for admins. */
	private static final List<String> ADMIN_PAGES = List.of("/console/remediation");

	private static final List<String> ADMIN_CHANGES = List.of("/console/remediation/kill-switch");

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	@Test
	void withoutASessionPagesSendToSignInAndChangesAreRefused() throws Exception {
		int commands = KafkaRecords.readAll(BROKER, Topics.INCIDENT_COMMANDS, Duration.ofSeconds(2)).size();
		Browser anonymous = new Browser();
		List<String> mismatches = new ArrayList<>();
		for (String page : concat(PAGES, ADMIN_PAGES)) {
			HttpResponse<String> answer = anonymous.get(page, null);
			if (answer.statusCode() != 302
					|| !answer.headers().firstValue("Location").orElse("").endsWith("/console/login")) {
				mismatches.add("GET " + page + ": " + answer.statusCode());
			}
			// A bearer token is the API's; the console does not take it.
			if (anonymous.get(page, "Bearer " + OPERATOR).statusCode() != 302) {
				mismatches.add("GET " + page + " with a bearer token: let through");
			}
		}
		String token = anonymous.csrf("/console/login");
		for (String change : concat(CHANGES, ADMIN_CHANGES)) {
			expect(mismatches, anonymous.post(change, null, "text=x"), 403, "POST " + change + " without a token");
			expect(mismatches, anonymous.post(change, token, "text=x"), 302, "POST " + change + " without a session");
		}
		assertThat(mismatches).isEmpty();
		assertThat(KafkaRecords.readAll(BROKER, Topics.INCIDENT_COMMANDS, Duration.ofSeconds(2))).hasSize(commands);
	}

	@Test
	void aViewerReadsAndIsRefusedEveryChangeEvenWithItsCsrfToken() throws Exception {
		int commands = KafkaRecords.readAll(BROKER, Topics.INCIDENT_COMMANDS, Duration.ofSeconds(2)).size();
		Browser viewer = new Browser().signIn(VIEWER);
		List<String> mismatches = new ArrayList<>();
		for (String page : PAGES) {
			HttpResponse<String> answer = viewer.get(page, null);
			// The console's root sends to the incidents, not to sign in.
			boolean signIn = answer.headers().firstValue("Location").orElse("").contains("/login");
			if (answer.statusCode() == 401 || answer.statusCode() == 403 || signIn) {
				mismatches.add("GET " + page + ": " + answer.statusCode());
			}
		}
		String token = viewer.csrf("/console/incidents");
		for (String change : concat(CHANGES, ADMIN_CHANGES)) {
			expect(mismatches, viewer.post(change, token, "text=x&on=true"), 403, "POST " + change + " as a viewer");
		}
		for (String page : ADMIN_PAGES) {
			expect(mismatches, viewer.get(page, null), 403, "GET " + page + " as a viewer");
		}
		assertThat(mismatches).isEmpty();
		assertThat(KafkaRecords.readAll(BROKER, Topics.INCIDENT_COMMANDS, Duration.ofSeconds(2))).hasSize(commands);
	}

	@Test
	void anOperatorIsLetThroughAndTheSessionIsRenewedAtSignIn() throws Exception {
		int switched = ENGINE.received().size();
		Browser operator = new Browser();
		operator.get("/console/login", null);
		String before = operator.session();
		assertThat(before).as("the sign-in page's session").isNotNull();
		operator.signIn(OPERATOR);
		assertThat(operator.session()).isNotNull().isNotEqualTo(before);
		String token = operator.csrf("/console/incidents");
		List<String> mismatches = new ArrayList<>();
		// Let through to the page, which answers as it does: the incident and the
		// remediation are unknown (404), an assignment without an assignee and a window
		// without times are refused and said so (302 back), the preview is a page.
		List<Integer> answers = List.of(404, 404, 404, 302, 404, 404, 404, 302, 200, 302);
		for (int i = 0; i < CHANGES.size(); i++) {
			expect(mismatches, operator.post(CHANGES.get(i), token, "text=x"), answers.get(i),
					"POST " + CHANGES.get(i) + " as an operator");
		}
		for (String change : ADMIN_CHANGES) {
			expect(mismatches, operator.post(change, token, "on=true"), 403, "POST " + change + " as an operator");
		}
		for (String page : ADMIN_PAGES) {
			expect(mismatches, operator.get(page, null), 403, "GET " + page + " as an operator");
		}
		assertThat(mismatches).isEmpty();
		assertThat(ENGINE.received()).hasSize(switched);

		HttpResponse<String> signedOut = operator.post("/console/logout", token, "");
		assertThat(signedOut.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/console/login?signed-out"));
		assertThat(operator.get("/console/incidents", null).statusCode()).isEqualTo(302);
	}

	@Test
	void pathsWrittenInFormsThatAreNotNormalReachNothing() throws Exception {
		int commands = KafkaRecords.readAll(BROKER, Topics.INCIDENT_COMMANDS, Duration.ofSeconds(2)).size();
		int switched = ENGINE.received().size();
		Browser admin = new Browser().signIn(ADMIN);
		String token = admin.csrf("/console/incidents");
		List<String> mismatches = new ArrayList<>();
		// The console's root, one segment, only redirects; every other page is tried.
		for (String page : concat(PAGES, ADMIN_PAGES).subList(1, PAGES.size() + ADMIN_PAGES.size())) {
			for (String variant : AccessCheck.abnormal(page)) {
				expectRefused(mismatches, admin.get(variant, null), "GET " + variant);
			}
		}
		for (String change : concat(CHANGES, ADMIN_CHANGES)) {
			for (String variant : AccessCheck.abnormal(change)) {
				expectRefused(mismatches, admin.post(variant, token, "text=x&on=true&assignee=x"), "POST " + variant);
			}
			// A percent-encoded letter is the same path: its role is checked as the plain
			// one's.
			Browser viewer = new Browser().signIn(VIEWER);
			String viewerToken = viewer.csrf("/console/incidents");
			for (String variant : AccessCheck.encodedLetters(change)) {
				expect(mismatches, viewer.post(variant, viewerToken, "text=x&on=true"), 403,
						"POST " + variant + " as a viewer");
			}
		}
		assertThat(mismatches).isEmpty();
		assertThat(KafkaRecords.readAll(BROKER, Topics.INCIDENT_COMMANDS, Duration.ofSeconds(2))).hasSize(commands);
		assertThat(ENGINE.received()).hasSize(switched);
	}

	@Test
	void aFormSentTwiceIsOneCommand() throws Exception {
		String id = incident("QueueStuck", "mailer");
		Browser operator = new Browser().signIn(OPERATOR);
		String page = operator.get("/console/incidents/" + id, null).body();
		Matcher key = Pattern.compile("name=\"key\" value=\"([^\"]+)\"").matcher(page);
		assertThat(key.find()).isTrue();
		String token = operator.csrf("/console/incidents/" + id);

		// The same form twice (a double click, a resent page), then another from a new
		// page.
		String form = "text=draining+the+queue&key=" + key.group(1);
		assertThat(operator.post("/console/incidents/" + id + "/comment", token, form).statusCode()).isEqualTo(302);
		assertThat(operator.post("/console/incidents/" + id + "/comment", token, form).statusCode()).isEqualTo(302);
		assertThat(operator.post("/console/incidents/" + id + "/comment", token, "text=drained").statusCode())
			.isEqualTo(302);

		// Commands of one incident are applied in order: once the last shows, the repeat
		// was seen, and applied once.
		List<String> comments = Eventually.within(Duration.ofSeconds(30))
			.until(() -> this.queries.timeline(id, 0, 100)
				.stream()
				.filter((entry) -> entry.type().equals("COMMENTED"))
				.map((entry) -> entry.reason())
				.toList(), (found) -> found.contains("drained"));
		assertThat(comments).containsExactly("draining the queue", "drained");
		assertThat(commands(id, CommandType.COMMENT)).hasSize(3)
			.first()
			.satisfies(
					(command) -> assertThat(command.getCommandId()).isEqualTo("console:" + key.group(1) + ":comment"));
	}

	@Test
	void pagesForbidScriptsAndFramesFromElsewhere() throws Exception {
		HttpResponse<String> login = new Browser().get("/console/login", null);

		assertThat(login.statusCode()).isEqualTo(200);
		assertThat(login.headers().firstValue("Content-Security-Policy"))
			.hasValueSatisfying((policy) -> assertThat(policy).contains("default-src 'self'")
				.contains("frame-ancestors 'none'")
				.contains("form-action 'self'"));
		assertThat(new Browser().get("/console/static/console.css", null).statusCode()).isEqualTo(200);
	}

	@Test
	void everyRouteOfTheConsoleIsInTheTable() {
		AccessCheck table = AccessCheck.against(url(""));
		PAGES.forEach((page) -> table.endpoint("GET", page, "viewer"));
		CHANGES.forEach((change) -> table.endpoint("POST", change, "operator"));
		ADMIN_PAGES.forEach((page) -> table.endpoint("GET", page, "admin"));
		ADMIN_CHANGES.forEach((change) -> table.endpoint("POST", change, "admin"));
		table.open("GET", "/console/login");

		assertThat(table.uncovered(this.mappings)).filteredOn((route) -> route.contains(" /console")).isEmpty();
	}

	private static List<String> concat(List<String> some, List<String> more) {
		List<String> all = new ArrayList<>(some);
		all.addAll(more);
		return all;
	}

	private static void expectRefused(List<String> mismatches, HttpResponse<String> answer, String what) {
		if (answer.statusCode() < 400 || answer.statusCode() >= 500) {
			mismatches.add(what + ": " + answer.statusCode() + ", expected a 4xx refusal");
		}
	}

	private static void expect(List<String> mismatches, HttpResponse<String> answer, int status, String what) {
		if (answer.statusCode() != status) {
			mismatches.add(what + ": " + answer.statusCode() + ", expected " + status);
		}
	}

	/** A browser's cookies, without following redirects. */
	private final class Browser {

		private final CookieManager cookies = new CookieManager();

		private final HttpClient http = HttpClient.newBuilder()
			.cookieHandler(this.cookies)
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();

		HttpResponse<String> get(String path, String authorization) throws IOException, InterruptedException {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).GET();
			if (authorization != null) {
				request.header("Authorization", authorization);
			}
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}

		HttpResponse<String> post(String path, String csrf, String form) throws IOException, InterruptedException {
			String body = (csrf != null) ? form + "&_csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8) : form;
			return this.http.send(HttpRequest.newBuilder(URI.create(url(path)))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
		}

		/** The CSRF token of a page's forms. */
		String csrf(String page) throws IOException, InterruptedException {
			Matcher token = CSRF.matcher(get(page, null).body());
			assertThat(token.find()).as("a CSRF token on " + page).isTrue();
			return token.group(1);
		}

		Browser signIn(String token) throws IOException, InterruptedException {
			HttpResponse<String> answer = post("/console/login", csrf("/console/login"),
					"token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
			assertThat(answer.headers().firstValue("Location"))
				.hasValueSatisfying((location) -> assertThat(location).doesNotContain("error"));
			return this;
		}

		String session() {
			return this.cookies.getCookieStore()
				.getCookies()
				.stream()
				.filter((cookie) -> cookie.getName().equals("FIREBREAK_SESSION"))
				.map(java.net.HttpCookie::getValue)
				.findFirst()
				.orElse(null);
		}

	}

}
