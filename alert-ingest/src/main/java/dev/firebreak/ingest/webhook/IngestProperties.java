package dev.firebreak.ingest.webhook;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How much one request may carry. A request over a limit is refused whole with a 413,
 * which Alertmanager does not retry: size its {@code max_alerts} below
 * {@code max-alerts-per-request}.
 *
 * @param maxRequestSize largest body accepted
 * @param maxAlertsPerRequest most alerts accepted in one request
 * @param limits how large one alert may be
 */
@ConfigurationProperties("firebreak.ingest")
public record IngestProperties(@DefaultValue("4MB") DataSize maxRequestSize,
		@DefaultValue("10000") int maxAlertsPerRequest, @DefaultValue AlertLimits limits) {

	public IngestProperties {
		if (maxRequestSize.toBytes() < 1 || maxRequestSize.toBytes() > Integer.MAX_VALUE - 8) {
			throw new IllegalArgumentException("firebreak.ingest.max-request-size must be between 1B and 2GB");
		}
		if (maxAlertsPerRequest < 1) {
			throw new IllegalArgumentException("firebreak.ingest.max-alerts-per-request must be at least 1");
		}
	}

}
