package dev.firebreak.ingest.webhook;

import java.util.List;

import org.springframework.http.HttpStatus;

/**
 * A request that can never succeed as sent. A 4xx: Alertmanager does not retry it, so the
 * sender must be told exactly why. Alerts already published stay published.
 */
public class RequestRefusedException extends RuntimeException {

	/** Which rule refused the request; each has a stable problem type. */
	public enum Kind {

		MALFORMED(HttpStatus.BAD_REQUEST, "malformed-request", "The body is not an alert payload"),
		TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "The request is over a size limit"),
		INVALID_ALERTS(HttpStatus.BAD_REQUEST, "invalid-alerts", "Some alerts were invalid; the others were accepted");

		private final HttpStatus status;

		private final String type;

		private final String title;

		Kind(HttpStatus status, String type, String title) {
			this.status = status;
			this.type = type;
			this.title = title;
		}

		public HttpStatus status() {
			return this.status;
		}

		public String type() {
			return this.type;
		}

		public String title() {
			return this.title;
		}

	}

	private final Kind kind;

	private final int accepted;

	private final List<InvalidAlert> invalidAlerts;

	RequestRefusedException(Kind kind, String detail) {
		this(kind, detail, 0, List.of());
	}

	RequestRefusedException(Kind kind, String detail, int accepted, List<InvalidAlert> invalidAlerts) {
		super(detail, null, false, false);
		this.kind = kind;
		this.accepted = accepted;
		this.invalidAlerts = List.copyOf(invalidAlerts);
	}

	public Kind kind() {
		return this.kind;
	}

	public int accepted() {
		return this.accepted;
	}

	public List<InvalidAlert> invalidAlerts() {
		return this.invalidAlerts;
	}

}
