package dev.firebreak.incidents.projection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

import dev.firebreak.schemas.avro.IncidentEvent;

/**
 * How the projection is doing, as the {@code projection} health contributor and as
 * metrics: down while its writes fail (the consumer is paused and retrying), with the
 * error and since when.
 */
@Component("projection")
class ProjectionStatus extends AbstractHealthIndicator {

	private record Failure(Instant since, String error, long attempts) {
	}

	private final Clock clock;

	private final AtomicReference<Failure> failure = new AtomicReference<>();

	private final AtomicReference<Instant> lastWrite = new AtomicReference<>();

	private final Counter records;

	private final Counter failures;

	private final Timer latency;

	ProjectionStatus(MeterRegistry registry) {
		this.clock = Clock.systemUTC();
		this.latency = Timer.builder("firebreak.incident.latency")
			.description("From an alert's arrival at alert-ingest to the incident change it caused being "
					+ "queryable in PostgreSQL")
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(5))
			.maximumExpectedValue(Duration.ofMinutes(10))
			.register(registry);
		this.records = Counter.builder("firebreak.projection.records")
			.description("Records of firebreak.incidents and firebreak.incident-events projected into PostgreSQL")
			.register(registry);
		this.failures = Counter.builder("firebreak.projection.failures")
			.description("Batches that failed to be written and are retried")
			.register(registry);
	}

	void written(int count) {
		this.records.increment(count);
		this.lastWrite.set(this.clock.instant());
		this.failure.set(null);
	}

	/**
	 * What the user feels: for each projected event an alert caused, the time from the
	 * alert's arrival at alert-ingest to the incident's change being in the API.
	 */
	void timeFromAlerts(List<IncidentEvent> events) {
		Instant now = this.clock.instant();
		for (IncidentEvent event : events) {
			if (event.getAlert() != null) {
				Duration latency = Duration.between(event.getAlert().getLastReceivedAt(), now);
				this.latency.record(latency.isNegative() ? Duration.ZERO : latency);
			}
		}
	}

	void failed(Exception ex) {
		this.failures.increment();
		this.failure
			.getAndUpdate((previous) -> new Failure((previous != null) ? previous.since() : this.clock.instant(),
					ex.getClass().getSimpleName() + ": " + ex.getMessage(),
					(previous != null) ? previous.attempts() + 1 : 1));
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Failure current = this.failure.get();
		if (current != null) {
			builder.down()
				.withDetail("failingSince", current.since().toString())
				.withDetail("attempts", current.attempts())
				.withDetail("error", current.error());
		}
		else {
			builder.up();
		}
		Instant last = this.lastWrite.get();
		if (last != null) {
			builder.withDetail("lastWrite", last.toString());
		}
	}

}
