package dev.firebreak.remediation.action;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A real HTTP server on 127.0.0.1 playing an orchestrator's scale endpoint. */
class HttpActionTest {

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private final CountDownLatch release = new CountDownLatch(1);

	private HttpServer server;

	private int status = 202;

	@BeforeEach
	void start() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/", this::answer);
		this.server.createContext("/slow", (exchange) -> {
			try {
				// Answers only when the test is over.
				this.release.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			answer(exchange);
		});
		this.server.createContext("/endless", (exchange) -> {
			// Headers at once, then a body that never ends.
			exchange.sendResponseHeaders(200, 0);
			byte[] chunk = new byte[8192];
			java.util.Arrays.fill(chunk, (byte) 'x');
			try {
				while (this.release.getCount() > 0) {
					exchange.getResponseBody().write(chunk);
				}
			}
			catch (IOException ex) {
				// The client stopped reading.
			}
			exchange.close();
		});
		this.server.createContext("/trickle", (exchange) -> {
			// Headers at once, then a body that stalls before its end.
			exchange.sendResponseHeaders(200, 100);
			exchange.getResponseBody().write("partial".getBytes(StandardCharsets.UTF_8));
			exchange.getResponseBody().flush();
			try {
				this.release.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			exchange.close();
		});
		this.server.createContext("/moved", (exchange) -> {
			exchange.getResponseHeaders().add("Location", url("/elsewhere"));
			exchange.sendResponseHeaders(302, -1);
			exchange.close();
		});
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.release.countDown();
		this.server.stop(0);
	}

	@Test
	void sendsMethodUrlHeadersAndBodyAndSucceedsOn2xx() {
		ActionResult result = new HttpAction()
			.run(action(Map.of("method", "POST", "url", url("/scale/api"), "headers.Content-Type", "application/json",
					"headers.X-Incident", "INC-20261122-0001", "body", "{\"replicas\":\"+1\"}")));

		assertThat(result.succeeded()).isTrue();
		assertThat(result.summary()).isEqualTo("POST " + url("/scale/api") + " answered 202");
		assertThat(result.details()).containsEntry("status", "202").containsEntry("body", "ok");
		assertThat(this.received).singleElement().satisfies((request) -> {
			assertThat(request.method()).isEqualTo("POST");
			assertThat(request.path()).isEqualTo("/scale/api");
			assertThat(request.contentType()).isEqualTo("application/json");
			assertThat(request.incident()).isEqualTo("INC-20261122-0001");
			assertThat(request.body()).isEqualTo("{\"replicas\":\"+1\"}");
		});
	}

	@Test
	void anErrorStatusIsAFailureWithTheAnswer() {
		this.status = 503;

		ActionResult result = new HttpAction().run(action(Map.of("url", url("/scale/api"))));

		assertThat(result.succeeded()).isFalse();
		assertThat(result.details()).containsEntry("status", "503");
	}

	@Test
	void aRedirectIsNotFollowed() {
		ActionResult result = new HttpAction().run(action(Map.of("method", "GET", "url", url("/moved"))));

		assertThat(result.succeeded()).isFalse();
		assertThat(result.details()).containsEntry("status", "302");
		assertThat(this.received).isEmpty();
	}

	@Test
	void noAnswerWithinTheTimeoutIsAFailure() {
		PreparedAction slow = new PreparedAction("http", Duration.ofMillis(300), Map.of("url", url("/slow")), false);

		ActionResult result = new HttpAction().run(slow);

		assertThat(result.succeeded()).isFalse();
		assertThat(result.summary()).contains("gave no answer within PT0.3S");
		assertThat(result.duration()).isLessThan(Duration.ofSeconds(4));
	}

	@Test
	void nothingListensIsAFailureNotAnException() {
		this.server.stop(0);

		ActionResult result = new HttpAction().run(action(Map.of("url", url("/scale/api"))));

		assertThat(result.succeeded()).isFalse();
		assertThat(result.summary()).startsWith("POST " + url("/scale/api") + " failed");
	}

	@Test
	void dryRunCallsNothing() {
		ActionResult result = new HttpAction().run(action(Map.of("url", url("/scale/api"))).withDryRun(true));

		assertThat(result.succeeded()).isTrue();
		assertThat(result.summary()).isEqualTo("would call POST " + url("/scale/api"));
		assertThat(this.received).isEmpty();
	}

	@Test
	void anEndlessAnswerKeepsItsFirstBytesOnly() {
		ActionResult result = new HttpAction().run(action(Map.of("method", "GET", "url", url("/endless"))));

		assertThat(result.succeeded()).isTrue();
		assertThat(result.details().get("body")).hasSize(HttpAction.MAX_BODY).matches("x+");
	}

	@Test
	void aBodyThatStallsIsBoundedByTheTimeout() {
		PreparedAction stalls = new PreparedAction("http", Duration.ofMillis(500),
				Map.of("method", "GET", "url", url("/trickle")), false);

		ActionResult result = new HttpAction().run(stalls);

		assertThat(result.succeeded()).isFalse();
		assertThat(result.summary()).isEqualTo("GET " + url("/trickle") + " gave no answer within PT0.5S");
		assertThat(result.duration()).isLessThan(Duration.ofSeconds(4));
	}

	@Test
	void whatItReportsNamesTheUrlWithoutItsQuery() {
		ActionResult result = new HttpAction().run(action(Map.of("url", url("/scale/api?token=s3cr3t&n=1"))));

		assertThat(result.summary()).isEqualTo("POST " + url("/scale/api") + "?… answered 202");
		assertThat(result.details()).containsEntry("url", url("/scale/api") + "?…");
		assertThat(result.toString()).doesNotContain("s3cr3t");
	}

	private PreparedAction action(Map<String, String> values) {
		return new PreparedAction("http", Duration.ofSeconds(5), values, false);
	}

	private String url(String path) {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + path;
	}

	private void answer(HttpExchange exchange) throws IOException {
		this.received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
				exchange.getRequestHeaders().getFirst("Content-Type"),
				exchange.getRequestHeaders().getFirst("X-Incident"),
				new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
		byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
		exchange.sendResponseHeaders(this.status, body.length);
		exchange.getResponseBody().write(body);
		exchange.close();
	}

	record Received(String method, String path, String contentType, String incident, String body) {
	}

}
