package dev.firebreak.ingest.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.stereotype.Component;

import dev.firebreak.schemas.AvroCodec;
import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.AlertEvent;

/**
 * Writes alerts to {@code firebreak.alerts}, keyed by fingerprint, and returns only when
 * the broker has acknowledged all of them ({@code acks=all}, idempotent producer);
 * otherwise it throws within the configured timeout, however Kafka fails. Each alert is
 * encoded once, here, and an alert larger than Kafka takes in one record refuses the
 * whole request before anything is sent: retrying it could never succeed.
 */
@Component
public class AlertPublisher {

	private static final AvroCodec<AlertEvent> CODEC = AvroCodec.of(AlertEvent.class);

	/** What a record costs beyond its key and value (headers, batch framing). */
	private static final int RECORD_OVERHEAD = 512;

	private final ProducerFactory<String, byte[]> producers;

	private final int maxRecordSize;

	private final PublishProperties properties;

	private final Timer published;

	private final Timer failed;

	AlertPublisher(ProducerFactory<String, byte[]> producers, PublishProperties properties, MeterRegistry registry) {
		this.producers = producers;
		this.maxRecordSize = Integer.parseInt(String.valueOf(producers.getConfigurationProperties()
			.getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024 * 1024)));
		this.properties = properties;
		this.published = Timer.builder("firebreak.alerts.publish").tag("outcome", "acknowledged").register(registry);
		this.failed = Timer.builder("firebreak.alerts.publish").tag("outcome", "failed").register(registry);
	}

	public PublishProperties properties() {
		return this.properties;
	}

	/**
	 * Publishes the alerts of one request.
	 * @throws AlertTooLargeException when an alert is larger than Kafka takes in one
	 * record; nothing is sent then
	 * @throws PublishFailedException when any alert is not acknowledged within the
	 * timeout
	 */
	public void publish(List<AlertEvent> alerts) {
		if (alerts.isEmpty()) {
			return;
		}
		List<byte[]> values = new ArrayList<>(alerts.size());
		for (AlertEvent alert : alerts) {
			byte[] value = CODEC.encode(alert);
			int size = value.length + alert.getFingerprint().length() + RECORD_OVERHEAD;
			if (size > this.maxRecordSize) {
				throw new AlertTooLargeException(values.size(), size, this.maxRecordSize);
			}
			values.add(value);
		}
		long started = System.nanoTime();
		long deadline = started + this.properties.timeout().toNanos();
		Acknowledgements acknowledgements = new Acknowledgements(alerts.size());
		try {
			Producer<String, byte[]> producer = this.producers.createProducer();
			for (int i = 0; i < alerts.size(); i++) {
				// A send blocks while metadata is unknown or the buffer is full; never
				// past the deadline.
				if (System.nanoTime() > deadline) {
					throw new TimeoutException("the deadline passed while handing alerts to the producer");
				}
				producer.send(new ProducerRecord<>(Topics.ALERTS.name(), alerts.get(i).getFingerprint(), values.get(i)),
						acknowledgements);
			}
			acknowledgements.all.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			this.published.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw failure(started, "interrupted while waiting for Kafka", ex);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RecordTooLargeException) {
				// The broker's or the topic's limit is below the producer's.
				throw new AlertTooLargeException(-1, 0, this.maxRecordSize);
			}
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

	/**
	 * Completes when the broker has acknowledged every record of a request, or fails with
	 * the first error.
	 */
	private static final class Acknowledgements implements Callback {

		private final CompletableFuture<Void> all = new CompletableFuture<>();

		private final AtomicInteger outstanding;

		Acknowledgements(int records) {
			this.outstanding = new AtomicInteger(records);
		}

		@Override
		public void onCompletion(RecordMetadata metadata, Exception exception) {
			if (exception != null) {
				this.all.completeExceptionally(exception);
			}
			else if (this.outstanding.decrementAndGet() == 0) {
				this.all.complete(null);
			}
		}

	}

}
