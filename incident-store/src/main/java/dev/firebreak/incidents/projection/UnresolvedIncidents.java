package dev.firebreak.incidents.projection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;

import dev.firebreak.schemas.avro.IncidentStatus;
import dev.firebreak.schemas.avro.Severity;

/**
 * {@code firebreak.incidents.unresolved{severity,status}}: the projected incidents that
 * are open or acknowledged, counted in PostgreSQL at most every {@link #FRESH} (every
 * instance reports the same numbers: take their maximum).
 */
@Component
class UnresolvedIncidents implements MeterBinder {

	static final Duration FRESH = Duration.ofSeconds(10);

	private final JdbcTemplate jdbc;

	private final Clock clock = Clock.systemUTC();

	private Map<String, Long> counts = Map.of();

	private Instant countedAt = Instant.EPOCH;

	UnresolvedIncidents(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (Severity severity : Severity.values()) {
			for (IncidentStatus status : new IncidentStatus[] { IncidentStatus.OPEN, IncidentStatus.ACKNOWLEDGED }) {
				String key = severity.name() + "/" + status.name();
				Gauge.builder("firebreak.incidents.unresolved", this, (self) -> self.count(key))
					.description("Incidents open or acknowledged, by severity and status, as projected to PostgreSQL")
					.tag("severity", severity.name())
					.tag("status", status.name())
					.strongReference(true)
					.register(registry);
			}
		}
	}

	private synchronized double count(String key) {
		Instant now = this.clock.instant();
		if (Duration.between(this.countedAt, now).compareTo(FRESH) >= 0) {
			Map<String, Long> counted = new HashMap<>();
			this.jdbc.query(
					"SELECT severity, status, count(*) FROM incident WHERE status <> 'RESOLVED' "
							+ "GROUP BY severity, status",
					(RowCallbackHandler) (row) -> counted.put(row.getString(1) + "/" + row.getString(2),
							row.getLong(3)));
			this.counts = counted;
			this.countedAt = now;
		}
		return this.counts.getOrDefault(key, 0L);
	}

}
