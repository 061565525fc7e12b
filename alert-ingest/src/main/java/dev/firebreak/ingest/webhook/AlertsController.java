package dev.firebreak.ingest.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.http.MediaType;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import dev.firebreak.ingest.publish.AlertPublisher;
import dev.firebreak.ingest.webhook.IngestMetrics.Api;
import dev.firebreak.ingest.webhook.RequestRefusedException.Kind;
import dev.firebreak.schemas.avro.AlertSource;
import dev.firebreak.schemas.avro.AlertSourceKind;

/**
 * The front door: Alertmanager's webhook and the alerts API Prometheus pushes to. Answers
 * 200 only after Kafka has acknowledged every valid alert of the request.
 */
@RestController
class AlertsController {

	private static final Logger log = LoggerFactory.getLogger(AlertsController.class);

	private final ObjectMapper json;

	private final AlertPublisher publisher;

	private final IngestProperties properties;

	private final IngestMetrics metrics;

	private final Clock clock;

	AlertsController(ObjectMapper json, AlertPublisher publisher, IngestProperties properties, IngestMetrics metrics,
			Clock clock) {
		this.json = json;
		this.publisher = publisher;
		this.properties = properties;
		this.metrics = metrics;
		this.clock = clock;
	}

	/** Alertmanager's webhook, version 4. */
	@PostMapping(path = "/api/v1/alerts/alertmanager", consumes = MediaType.APPLICATION_JSON_VALUE)
	Map<String, Object> webhook(HttpServletRequest request) {
		JsonNode message = readJson(request);
		if (!message.isObject() || !message.path("alerts").isArray()) {
			throw new RequestRefusedException(Kind.MALFORMED,
					"expected an Alertmanager webhook: an object with an \"alerts\" array");
		}
		AlertSource source = AlertSource.newBuilder()
			.setKind(AlertSourceKind.ALERTMANAGER_WEBHOOK)
			.setReceiver(text(message, "receiver"))
			.setGroupKey(text(message, "groupKey"))
			.setExternalURL(text(message, "externalURL"))
			.setRemoteAddress(request.getRemoteAddr())
			.build();
		int truncated = Math.max(0, message.path("truncatedAlerts").asInt(0));
		return accept(Api.WEBHOOK, message.get("alerts"), source, truncated);
	}

	/** The alerts API (v2) Prometheus uses to push to Alertmanager. */
	@PostMapping(path = "/api/v2/alerts", consumes = MediaType.APPLICATION_JSON_VALUE)
	Map<String, Object> alertsApi(HttpServletRequest request) {
		JsonNode alerts = readJson(request);
		if (!alerts.isArray()) {
			throw new RequestRefusedException(Kind.MALFORMED, "expected a JSON array of alerts");
		}
		AlertSource source = AlertSource.newBuilder()
			.setKind(AlertSourceKind.ALERTS_API_V2)
			.setRemoteAddress(request.getRemoteAddr())
			.build();
		return accept(Api.ALERTS_V2, alerts, source, 0);
	}

	private Map<String, Object> accept(Api api, JsonNode alerts, AlertSource source, int truncated) {
		if (alerts.size() > this.properties.maxAlertsPerRequest()) {
			throw new RequestRefusedException(Kind.TOO_LARGE, alerts.size() + " alerts in one request, at most "
					+ this.properties.maxAlertsPerRequest() + " allowed (firebreak.ingest.max-alerts-per-request)");
		}
		Delivery delivery = new Delivery(source, this.clock.instant(), this.properties.limits());
		AlertBatch batch = AlertBatch.read(alerts, delivery, truncated);
		if (batch.truncated() > 0) {
			this.metrics.truncated(batch.truncated());
			log.atWarn()
				.setMessage("Alertmanager truncated a webhook; raise max_alerts in its webhook_config")
				.addKeyValue("truncatedAlerts", batch.truncated())
				.addKeyValue("receiver", source.getReceiver())
				.log();
		}
		this.publisher.publish(batch.accepted());
		this.metrics.received(api, batch.accepted());
		if (!batch.rejected().isEmpty()) {
			this.metrics.invalid(api, batch.rejected());
			throw new RequestRefusedException(Kind.INVALID_ALERTS,
					batch.rejected().size() + " of " + alerts.size() + " alerts were invalid", batch.accepted().size(),
					batch.rejected());
		}
		return Map.of("accepted", batch.accepted().size());
	}

	/**
	 * Parses the body, refusing a key that appears twice in one object: whichever value
	 * won, a label could be smuggled past whatever read the other.
	 */
	private JsonNode readJson(HttpServletRequest request) {
		byte[] body = readBody(request);
		try {
			return this.json.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION).readTree(body);
		}
		catch (StreamReadException ex) {
			if (ex.processor() != null && ex.getOriginalMessage().startsWith("Duplicate")) {
				throw new RequestRefusedException(Kind.MALFORMED,
						"the body repeats the key " + ex.processor().streamReadContext().pathAsPointer());
			}
			throw new RequestRefusedException(Kind.MALFORMED, "the body is not valid JSON: " + ex.getOriginalMessage());
		}
		catch (JacksonException ex) {
			throw new RequestRefusedException(Kind.MALFORMED, "the body is not valid JSON: " + ex.getOriginalMessage());
		}
	}

	/**
	 * Reads at most the configured size, refusing a larger body without reading it all.
	 */
	private byte[] readBody(HttpServletRequest request) {
		long limit = this.properties.maxRequestSize().toBytes();
		if (request.getContentLengthLong() > limit) {
			throw tooLarge(limit);
		}
		try (InputStream in = request.getInputStream()) {
			byte[] body = in.readNBytes((int) limit + 1);
			if (body.length > limit) {
				throw tooLarge(limit);
			}
			if (body.length == 0) {
				throw new RequestRefusedException(Kind.MALFORMED, "the body is empty");
			}
			return body;
		}
		catch (IOException ex) {
			throw new RequestRefusedException(Kind.MALFORMED, "the body could not be read: " + ex.getMessage());
		}
	}

	private static RequestRefusedException tooLarge(long limit) {
		return new RequestRefusedException(Kind.TOO_LARGE,
				"the body is larger than " + limit + " bytes (firebreak.ingest.max-request-size)");
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isString()) ? value.stringValue() : null;
	}

}
