package dev.firebreak.incidents.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * remediation-engine's {@code /actuator/remediation} as the console sees it: it refuses
 * any token but the admin token it was given, keeps the switch as the engine does
 * (recorded as {@code <caller> for <onBehalfOf>}, the caller being the token's name), and
 * keeps every body it was sent. The engine's own behaviour is RemediationEngineTest's.
 */
final class EngineStandIn {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpServer server;

	private final String token;

	private final List<JsonNode> received = new CopyOnWriteArrayList<>();

	private volatile boolean on;

	private volatile String changedBy;

	private EngineStandIn(String token) {
		this.token = token;
		try {
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.createContext("/actuator/remediation", this::handle);
		this.server.start();
	}

	static EngineStandIn start(String token) {
		return new EngineStandIn(token);
	}

	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	List<JsonNode> received() {
		return List.copyOf(this.received);
	}

	private void handle(HttpExchange exchange) throws IOException {
		if (!("Bearer " + this.token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
			respond(exchange, 401, "{}");
			return;
		}
		if ("POST".equals(exchange.getRequestMethod())) {
			JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
			this.received.add(body);
			this.on = body.get("killSwitch").asBoolean();
			this.changedBy = "console for " + body.get("onBehalfOf").asString();
		}
		ObjectNode state = JSON.createObjectNode();
		state.put("killSwitch", this.on);
		state.put("killSwitchChangedBy", this.changedBy);
		state.putObject("openCircuits").put("restart-service", "3 failures in a row");
		state.put("running", 0);
		respond(exchange, 200, JSON.writeValueAsString(state));
	}

	private static void respond(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		exchange.getResponseBody().write(bytes);
		exchange.close();
	}

}
