package dev.firebreak.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP server on 127.0.0.1 playing Slack or PagerDuty: it checks each payload
 * against the documented shape (answering 400 and noting the problem when it is wrong, as
 * the real ones do), answers whatever a test queues (429 with Retry-After, 500, 400), and
 * keeps every request it accepted with its arrival time.
 */
public final class ChannelStandIn implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpServer server;

	private final Function<JsonNode, String> check;

	private final int okStatus;

	private final java.util.concurrent.atomic.AtomicInteger messages = new java.util.concurrent.atomic.AtomicInteger();

	private final boolean webApi;

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private final List<String> problems = new CopyOnWriteArrayList<>();

	private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();

	/** What the server took, and when. */
	public record Received(String path, JsonNode body, java.util.Map<String, String> headers, Instant at) {
	}

	/** An answer a test queues for the next request. */
	public record Answer(int status, String retryAfter, String body) {
	}

	private ChannelStandIn(Function<JsonNode, String> check, int okStatus) throws IOException {
		this(check, okStatus, false);
	}

	private ChannelStandIn(Function<JsonNode, String> check, int okStatus, boolean webApi) throws IOException {
		this.check = check;
		this.okStatus = okStatus;
		this.webApi = webApi;
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/", this::handle);
		this.server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
		this.server.start();
	}

	/** Slack's incoming webhook: 200 "ok". */
	public static ChannelStandIn slack() throws IOException {
		return new ChannelStandIn(ChannelStandIn::checkSlack, 200);
	}

	/**
	 * Slack's Web API ({@code chat.postMessage}, {@code chat.update}): a message needs a
	 * channel; answers {@code {"ok": true, "ts": …}}, a new ts per posted message.
	 */
	public static ChannelStandIn slackApi() throws IOException {
		return new ChannelStandIn(
				(body) -> (body.path("channel").asString().isEmpty()) ? "no channel" : checkSlack(body), 200, true);
	}

	/** PagerDuty's Events API v2: 202 with status success. */
	public static ChannelStandIn pagerDuty() throws IOException {
		return new ChannelStandIn(ChannelStandIn::checkPagerDuty, 202);
	}

	/** A generic webhook receiver: anything JSON. */
	public static ChannelStandIn webhook() throws IOException {
		return new ChannelStandIn((body) -> null, 200);
	}

	public String url(String path) {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + path;
	}

	public void answer(int status, String retryAfter) {
		answer(status, retryAfter, "{\"error\":\"queued by the test\"}");
	}

	public void answer(int status, String retryAfter, String body) {
		this.answers.add(new Answer(status, retryAfter, body));
	}

	public List<Received> received() {
		return List.copyOf(this.received);
	}

	public List<String> problems() {
		return List.copyOf(this.problems);
	}

	private void handle(HttpExchange exchange) throws IOException {
		byte[] raw = exchange.getRequestBody().readAllBytes();
		Answer queued = this.answers.poll();
		if (queued != null) {
			reply(exchange, queued.status(), queued.retryAfter(), queued.body());
			return;
		}
		JsonNode body;
		try {
			body = JSON.readTree(new String(raw, StandardCharsets.UTF_8));
		}
		catch (RuntimeException ex) {
			this.problems.add("not JSON: " + ex.getMessage());
			reply(exchange, 400, null, "invalid_payload");
			return;
		}
		String problem = this.check.apply(body);
		if (problem != null) {
			this.problems.add(problem);
			reply(exchange, 400, null, "{\"status\":\"invalid event\",\"message\":\"" + problem + "\"}");
			return;
		}
		java.util.Map<String, String> headers = new java.util.HashMap<>();
		exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
		this.received.add(new Received(exchange.getRequestURI().getPath(), body, headers, Instant.now()));
		if (this.webApi) {
			String ts = body.has("ts") ? body.path("ts").asString()
					: "1795341600.%06d".formatted(this.messages.incrementAndGet());
			reply(exchange, 200, null,
					"{\"ok\":true,\"channel\":\"" + body.path("channel").asString() + "\",\"ts\":\"" + ts + "\"}");
			return;
		}
		reply(exchange, this.okStatus, null,
				(this.okStatus == 202) ? "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\""
						+ body.path("dedup_key").asString() + "\"}" : "ok");
	}

	private static void reply(HttpExchange exchange, int status, String retryAfter, String body) throws IOException {
		if (retryAfter != null) {
			exchange.getResponseHeaders().add("Retry-After", retryAfter);
		}
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.sendResponseHeaders(status, bytes.length);
		exchange.getResponseBody().write(bytes);
		exchange.close();
	}

	/**
	 * Slack's limits: text, at most 50 blocks, header ≤ 150, section text ≤ 3000, ≤ 10
	 * fields.
	 */
	static String checkSlack(JsonNode body) {
		if (!body.path("text").isString() || body.path("text").asString().isEmpty()) {
			return "no text fallback";
		}
		JsonNode blocks = body.path("blocks");
		if (!blocks.isArray() || blocks.size() == 0 || blocks.size() > 50) {
			return "blocks must be 1 to 50";
		}
		for (JsonNode block : blocks) {
			String type = block.path("type").asString();
			if (type.equals("header") && (block.path("text").path("text").asString().length() > 150
					|| !block.path("text").path("type").asString().equals("plain_text"))) {
				return "header must be plain_text of at most 150";
			}
			if (type.equals("section") && block.path("text").path("text").asString().length() > 3000) {
				return "section text over 3000";
			}
			if (type.equals("section") && block.path("fields").size() > 10) {
				return "more than 10 fields";
			}
		}
		return null;
	}

	/**
	 * Events API v2: routing_key, event_action, dedup_key; a trigger's payload summary,
	 * source, severity.
	 */
	static String checkPagerDuty(JsonNode body) {
		if (body.path("routing_key").asString().length() != 32) {
			return "routing_key must be 32 characters";
		}
		String action = body.path("event_action").asString();
		if (!List.of("trigger", "acknowledge", "resolve").contains(action)) {
			return "event_action " + action;
		}
		if (body.path("dedup_key").asString().isEmpty() || body.path("dedup_key").asString().length() > 255) {
			return "dedup_key";
		}
		if (action.equals("trigger")) {
			JsonNode payload = body.path("payload");
			String summary = payload.path("summary").asString();
			if (summary.isEmpty() || summary.length() > 1024) {
				return "payload.summary must be 1 to 1024 characters";
			}
			if (payload.path("source").asString().isEmpty()) {
				return "payload.source";
			}
			if (!List.of("critical", "error", "warning", "info").contains(payload.path("severity").asString())) {
				return "payload.severity";
			}
		}
		return null;
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
