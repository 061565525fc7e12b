package dev.firebreak.ingest.webhook;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.avro.AlertStatus;

/** The ingest counters; every tag value comes from an enum, never from an alert. */
@Component
class IngestMetrics {

	private final MeterRegistry registry;

	private final Counter truncated;

	private final Map<Api, Map<AlertStatus, Counter>> received = new EnumMap<>(Api.class);

	IngestMetrics(MeterRegistry registry) {
		this.registry = registry;
		for (Api api : Api.values()) {
			Map<AlertStatus, Counter> byStatus = new EnumMap<>(AlertStatus.class);
			for (AlertStatus status : AlertStatus.values()) {
				byStatus.put(status,
						Counter.builder("firebreak.alerts.received")
							.description("Alerts accepted and stored in Kafka")
							.tag("api", api.tag())
							.tag("status", status.name().toLowerCase(Locale.ROOT))
							.register(registry));
			}
			this.received.put(api, byStatus);
		}
		this.truncated = Counter.builder("firebreak.alerts.truncated")
			.description("Alerts Alertmanager left out of webhooks (raise its max_alerts)")
			.register(registry);
	}

	void received(Api api, List<AlertEvent> alerts) {
		int firing = 0;
		for (AlertEvent alert : alerts) {
			firing += (alert.getStatus() == AlertStatus.FIRING) ? 1 : 0;
		}
		this.received.get(api).get(AlertStatus.FIRING).increment(firing);
		this.received.get(api).get(AlertStatus.RESOLVED).increment(alerts.size() - firing);
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
