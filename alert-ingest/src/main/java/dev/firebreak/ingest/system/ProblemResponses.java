package dev.firebreak.ingest.system;

import java.net.URI;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.firebreak.ingest.publish.AlertTooLargeException;
import dev.firebreak.ingest.publish.PublishFailedException;
import dev.firebreak.ingest.webhook.RequestRefusedException;

/**
 * Every error as RFC 9457 problem details with a stable type, never a stack trace. 4xx
 * for what can never succeed (Alertmanager drops it), 503 with {@code Retry-After} for
 * what may succeed later (Alertmanager retries it).
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class ProblemResponses {

	static final String TYPE_PREFIX = "urn:firebreak:problem:";

	private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

	private final long retryAfterSeconds;

	ProblemResponses(dev.firebreak.ingest.publish.PublishProperties publish) {
		this.retryAfterSeconds = Math.max(1, publish.retryAfter().toSeconds());
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> refused(RequestRefusedException ex) {
		RequestRefusedException.Kind kind = ex.kind();
		ProblemDetail problem = problem(kind.status(), kind.type(), kind.title(), ex.getMessage());
		if (kind == RequestRefusedException.Kind.INVALID_ALERTS) {
			problem.setProperty("accepted", ex.accepted());
			problem.setProperty("invalidAlerts", ex.invalidAlerts()
				.stream()
				.map((alert) -> Map.of("index", alert.index(), "reason", alert.reason(), "detail", alert.detail()))
				.toList());
		}
		return ResponseEntity.status(kind.status()).body(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> tooLarge(AlertTooLargeException ex) {
		RequestRefusedException.Kind kind = RequestRefusedException.Kind.TOO_LARGE;
		return ResponseEntity.status(kind.status())
			.body(problem(kind.status(), kind.type(), kind.title(), ex.getMessage()));
	}

	/**
	 * Alertmanager and Prometheus send {@code application/json}; nothing else is read.
	 */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> unsupportedMediaType(HttpMediaTypeNotSupportedException ex) {
		ProblemDetail problem = problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
				"Unsupported media type", "send the alerts as application/json, not "
						+ ((ex.getContentType() != null) ? ex.getContentType() : "without a Content-Type"));
		return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
			.header(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE)
			.body(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> kafkaUnavailable(PublishFailedException ex) {
		log.atWarn()
			.setMessage("Alerts not acknowledged by Kafka; answering 503")
			.addKeyValue("error", ex.getMessage())
			.log();
		ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "kafka-unavailable",
				"Alerts could not be stored", ex.getMessage() + "; send the request again");
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, Long.toString(this.retryAfterSeconds))
			.body(problem);
	}

	private static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_PREFIX + type));
		problem.setTitle(title);
		return problem;
	}

}
