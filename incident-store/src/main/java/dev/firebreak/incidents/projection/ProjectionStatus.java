package dev.firebreak.incidents.projection;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

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

	ProjectionStatus(MeterRegistry registry) {
		this.clock = Clock.systemUTC();
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
