package dev.firebreak.ingest.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.AlertEvent;

/**
 * Writes alerts to {@code firebreak.alerts}, keyed by fingerprint, and returns only when
 * the broker has acknowledged all of them ({@code acks=all}, idempotent producer);
 * otherwise it throws within the configured timeout, however Kafka fails.
 */
@Component
public class AlertPublisher {

	private final KafkaTemplate<String, AlertEvent> kafka;

	private final PublishProperties properties;

	private final Timer published;

	private final Timer failed;

	AlertPublisher(KafkaTemplate<String, AlertEvent> kafka, PublishProperties properties, MeterRegistry registry) {
		this.kafka = kafka;
		this.properties = properties;
		this.published = Timer.builder("firebreak.alerts.publish").tag("outcome", "acknowledged").register(registry);
		this.failed = Timer.builder("firebreak.alerts.publish").tag("outcome", "failed").register(registry);
	}

	public PublishProperties properties() {
		return this.properties;
	}

	/**
	 * @throws PublishFailedException when any alert is not acknowledged within the
	 * timeout
	 */
	public void publish(List<AlertEvent> alerts) {
		if (alerts.isEmpty()) {
			return;
		}
		long started = System.nanoTime();
		long deadline = started + this.properties.timeout().toNanos();
		try {
			List<CompletableFuture<?>> sends = new ArrayList<>(alerts.size());
			for (AlertEvent alert : alerts) {
				// A send blocks while metadata is unknown or the buffer is full; never
				// past the deadline.
				if (System.nanoTime() > deadline) {
					throw new TimeoutException("the deadline passed while handing alerts to the producer");
				}
				sends.add(this.kafka.send(Topics.ALERTS.name(), alert.getFingerprint(), alert));
			}
			CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
				.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			this.published.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw failure(started, "interrupted while waiting for Kafka", ex);
		}
		catch (ExecutionException ex) {
			throw failure(started, "Kafka refused the alerts: " + ex.getCause().getMessage(), ex.getCause());
		}
		catch (TimeoutException ex) {
			throw failure(started, "Kafka did not acknowledge the alerts within " + this.properties.timeout(), ex);
		}
		catch (RuntimeException ex) {
			throw failure(started, "Kafka could not take the alerts: " + ex.getMessage(), ex);
		}
	}

	private PublishFailedException failure(long started, String message, Throwable cause) {
		this.failed.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
		return new PublishFailedException(message, cause);
	}

}
