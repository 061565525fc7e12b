package dev.firebreak.ingest.webhook;

import java.util.List;
import java.util.Locale;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import dev.firebreak.schemas.avro.AlertEvent;

/** The ingest counters; every tag value comes from an enum, never from an alert. */
@Component
class IngestMetrics {

	private final MeterRegistry registry;

	private final Counter truncated;

	IngestMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.truncated = Counter.builder("firebreak.alerts.truncated")
			.description("Alerts Alertmanager left out of webhooks (raise its max_alerts)")
			.register(registry);
	}

	void received(Api api, List<AlertEvent> alerts) {
		for (AlertEvent alert : alerts) {
			this.registry
				.counter("firebreak.alerts.received", "api", api.tag(), "status",
						alert.getStatus().name().toLowerCase(Locale.ROOT))
				.increment();
		}
	}

	void invalid(Api api, List<InvalidAlert> invalid) {
		for (InvalidAlert alert : invalid) {
			this.registry
				.counter("firebreak.alerts.invalid", "api", api.tag(), "reason",
						alert.reason().name().toLowerCase(Locale.ROOT))
				.increment();
		}
	}

	void truncated(int count) {
		this.truncated.increment(count);
	}

	/** The API an alert arrived on. */
	enum Api {

		WEBHOOK, ALERTS_V2;

		String tag() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
