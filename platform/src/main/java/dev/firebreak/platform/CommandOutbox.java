package dev.firebreak.platform;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;

import dev.firebreak.schemas.AvroCodec;
import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.IncidentCommand;

/**
 * The transactional outbox of a service that reports to incident-store: a command is
 * written to the service's {@code outbox} table in the same transaction as the change it
 * reports, and {@link #flush()} publishes what is there to
 * {@code firebreak.incident-commands}, oldest first, keyed by incident id, deleting each
 * once the broker has it. A command published twice (a crash between the broker's
 * acknowledgement and the delete) changes the incident once: the topology applies a
 * command id once.
 *
 * <p>
 * The table, in each service's own migrations: {@code outbox (id bigserial PRIMARY KEY,
 * command_id text NOT NULL UNIQUE, incident_id text NOT NULL, payload bytea NOT NULL,
 * created_at timestamptz NOT NULL DEFAULT now())}.
 */
public class CommandOutbox {

	private static final Logger log = LoggerFactory.getLogger(CommandOutbox.class);

	private static final AvroCodec<IncidentCommand> COMMANDS = AvroCodec.of(IncidentCommand.class);

	private static final int BATCH = 500;

	private final JdbcClient jdbc;

	private final KafkaTemplate<byte[], byte[]> kafka;

	public CommandOutbox(DataSource dataSource, KafkaTemplate<byte[], byte[]> kafka) {
		this.jdbc = JdbcClient.create(dataSource);
		this.kafka = kafka;
	}

	/**
	 * Adds a command, in the caller's transaction; a command id already there is kept.
	 */
	public void enqueue(IncidentCommand command) {
		this.jdbc
			.sql("INSERT INTO outbox (command_id, incident_id, payload) VALUES (?, ?, ?) "
					+ "ON CONFLICT (command_id) DO NOTHING")
			.params(command.getCommandId(), command.getIncidentId(), COMMANDS.encode(command))
			.update();
	}

	/** Publishes what is pending; on a failure, what is left waits for the next call. */
	public synchronized void flush() {
		try {
			List<Pending> pending = pending();
			while (!pending.isEmpty()) {
				List<CompletableFuture<?>> sends = new ArrayList<>();
				for (Pending command : pending) {
					sends.add(this.kafka.send(new ProducerRecord<>(Topics.INCIDENT_COMMANDS.name(),
							command.incidentId().getBytes(StandardCharsets.UTF_8), command.payload())));
				}
				CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
				this.jdbc.sql("DELETE FROM outbox WHERE id IN (:ids)")
					.param("ids", pending.stream().map(Pending::id).toList())
					.update();
				pending = (pending.size() < BATCH) ? List.of() : pending();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException | RuntimeException ex) {
			log.atWarn()
				.setMessage("Commands not published yet; retrying on the next flush")
				.addKeyValue("error", ex.toString())
				.log();
		}
	}

	/** Commands waiting, for health and tests. */
	public int size() {
		return this.jdbc.sql("SELECT count(*) FROM outbox").query(Integer.class).single();
	}

	private List<Pending> pending() {
		return this.jdbc.sql("SELECT id, incident_id, payload FROM outbox ORDER BY id LIMIT ?")
			.param(BATCH)
			.query((row, number) -> new Pending(row.getLong(1), row.getString(2), row.getBytes(3)))
			.list();
	}

	private record Pending(long id, String incidentId, byte[] payload) {
	}

}
