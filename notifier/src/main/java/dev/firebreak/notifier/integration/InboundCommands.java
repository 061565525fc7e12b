package dev.firebreak.notifier.integration;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.firebreak.notifier.route.Origin;
import dev.firebreak.platform.CommandOutbox;
import dev.firebreak.schemas.avro.IncidentCommand;

/**
 * The commands that PagerDuty's and Slack's requests make, each event taken once: the
 * event's id is recorded in the same transaction that puts its command in the
 * {@link CommandOutbox}, so a replayed or redelivered event enqueues nothing, and a
 * failure leaves neither. Rows older than {@link #KEPT} go as new ones come.
 */
public class InboundCommands {

	/** How long an event's id is remembered. */
	static final Duration KEPT = Duration.ofDays(1);

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final CommandOutbox outbox;

	public InboundCommands(DataSource dataSource, CommandOutbox outbox) {
		this.jdbc = JdbcClient.create(dataSource);
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		this.outbox = outbox;
	}

	/**
	 * Enqueues the command of an event seen for the first time.
	 * @return false when the event was taken already: nothing was enqueued
	 */
	public boolean accept(Origin source, String eventId, IncidentCommand command, Instant now) {
		return Boolean.TRUE.equals(this.transactions.execute((status) -> {
			this.jdbc.sql("DELETE FROM inbound_event WHERE received_at < ?")
				.param(Timestamp.from(now.minus(KEPT)))
				.update();
			int rows = this.jdbc.sql("""
					INSERT INTO inbound_event (source, event_id, command_id, received_at) VALUES (?, ?, ?, ?)
					ON CONFLICT (source, event_id) DO NOTHING""")
				.params(source.name().toLowerCase(Locale.ROOT), eventId, command.getCommandId(), Timestamp.from(now))
				.update();
			if (rows == 0) {
				return false;
			}
			this.outbox.enqueue(command);
			return true;
		}));
	}

}
