package dev.firebreak.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpServer;

/**
 * A Prometheus scrape target on 127.0.0.1: {@code /metrics} answers fixed metrics in the
 * text exposition format. Run as a program (argument: port) it is the service a runbook
 * starts; in the test's JVM it is a host whose metrics fire an alert.
 */
public final class ScrapeTarget implements AutoCloseable {

	private final HttpServer server;

	private ScrapeTarget(HttpServer server) {
		this.server = server;
	}

	/** Serves {@code metrics} on the port (0: any free one) until closed. */
	public static ScrapeTarget start(int port, String metrics) throws IOException {
		return start(port, () -> metrics);
	}

	/** Serves what {@code metrics} gives at each scrape, on the port, until closed. */
	public static ScrapeTarget start(int port, Supplier<String> metrics) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
		server.createContext("/metrics", (exchange) -> {
			byte[] body = metrics.get().getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		server.start();
		return new ScrapeTarget(server);
	}

	public int port() {
		return this.server.getAddress().getPort();
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	/** The service that was down: serves its build info until killed. */
	public static void main(String[] args) throws IOException {
		start(Integer.parseInt(args[0]), "# TYPE checkout_build_info gauge\ncheckout_build_info{version=\"1.0\"} 1\n");
	}

}
