package dev.firebreak.remediation.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import dev.firebreak.schemas.Topics;

/**
 * Publishes the outbox's outcomes to {@code firebreak.incident-commands}, oldest first,
 * keyed by incident id, and deletes each once the broker has it. Runs after every change
 * and on the engine's sweep, so an outcome written while the broker was away goes out
 * when it is back.
 */
public class OutcomePublisher {

	private static final Logger log = LoggerFactory.getLogger(OutcomePublisher.class);

	private static final int BATCH = 500;

	private final AttemptStore store;

	private final KafkaTemplate<byte[], byte[]> kafka;

	public OutcomePublisher(AttemptStore store, KafkaTemplate<byte[], byte[]> kafka) {
		this.store = store;
		this.kafka = kafka;
	}

	/** Publishes what is pending; on a failure, what is left waits for the next call. */
	synchronized void flush() {
		try {
			List<AttemptStore.Pending> pending = this.store.pending(BATCH);
			while (!pending.isEmpty()) {
				List<CompletableFuture<?>> sends = new ArrayList<>();
				for (AttemptStore.Pending outcome : pending) {
					sends.add(this.kafka.send(new ProducerRecord<>(Topics.INCIDENT_COMMANDS.name(),
							outcome.incidentId().getBytes(StandardCharsets.UTF_8), outcome.payload())));
				}
				CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
				this.store.published(pending.stream().map(AttemptStore.Pending::id).toList());
				if (pending.size() < BATCH) {
					return;
				}
				pending = this.store.pending(BATCH);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException | RuntimeException ex) {
			log.atWarn()
				.setMessage("Outcomes not published yet; retrying on the next sweep")
				.addKeyValue("error", ex.toString())
				.log();
		}
	}

}
