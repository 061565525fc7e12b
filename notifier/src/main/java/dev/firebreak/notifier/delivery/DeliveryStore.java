package dev.firebreak.notifier.delivery;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.firebreak.notifier.route.Kind;
import dev.firebreak.platform.CommandOutbox;
import dev.firebreak.schemas.avro.Channel;
import dev.firebreak.schemas.avro.IncidentCommand;

/**
 * Deliveries in PostgreSQL: each recorded before it is sent, claimed by one sender at a
 * time, in order per incident and channel, and finished together with the outcome that
 * reports it (in the {@link CommandOutbox}, one transaction).
 */
public class DeliveryStore {

	private static final String COLUMNS = "id, incident_id, sequence, channel, kind, route, event, attempts";

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final CommandOutbox outbox;

	public DeliveryStore(DataSource dataSource, CommandOutbox outbox) {
		this.jdbc = JdbcClient.create(dataSource);
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		this.outbox = outbox;
	}

	/** A delivery to record: to send, or suppressed with its outcome. */
	public record New(String incidentId, long sequence, Channel channel, Kind kind, String route, byte[] event,
			IncidentCommand suppressed) {
	}

	/**
	 * Records the deliveries of one event in one transaction; one already there (a
	 * redelivered event) is left alone.
	 */
	public void record(List<New> deliveries, Instant now) {
		this.transactions.executeWithoutResult((status) -> {
			for (New delivery : deliveries) {
				int rows = this.jdbc
					.sql("""
							INSERT INTO delivery (incident_id, sequence, channel, kind, route, event, status, next_attempt_at,
							    finished_at)
							VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
							ON CONFLICT (incident_id, sequence, channel) DO NOTHING""")
					.params(delivery.incidentId(), delivery.sequence(), delivery.channel().name(),
							delivery.kind().name(), delivery.route(), delivery.event(),
							(delivery.suppressed() != null) ? "SUPPRESSED" : "PENDING", Timestamp.from(now),
							(delivery.suppressed() != null) ? Timestamp.from(now) : null)
					.update();
				if (rows == 1 && delivery.suppressed() != null) {
					this.outbox.enqueue(delivery.suppressed());
				}
			}
		});
	}

	/** Whether the incident has been (or is being) triggered on PagerDuty. */
	public boolean triggered(String incidentId) {
		return this.jdbc.sql("""
				SELECT count(*) FROM delivery
				WHERE incident_id = ? AND channel = 'PAGERDUTY' AND kind = 'TRIGGER'
				  AND status IN ('PENDING', 'SENDING', 'SENT')""").param(incidentId).query(Integer.class).single() > 0;
	}

	/**
	 * The channel's id for the incident's first message sent on it, or null: this one is
	 * the first.
	 */
	public String thread(Delivery delivery) {
		return this.jdbc.sql("""
				SELECT message_id FROM delivery
				WHERE incident_id = ? AND channel = ? AND id < ? AND status = 'SENT' AND kind <> 'UPDATE'
				ORDER BY id LIMIT 1""")
			.params(delivery.incidentId(), delivery.channel().name(), delivery.id())
			.query(String.class)
			.optional()
			.orElse(null);
	}

	/** Whether a message of the incident went out on the channel. */
	public boolean sent(String incidentId, Channel channel) {
		return this.jdbc.sql("SELECT count(*) FROM delivery WHERE incident_id = ? AND channel = ? AND status = 'SENT'")
			.params(incidentId, channel.name())
			.query(Integer.class)
			.single() > 0;
	}

	/**
	 * Claims the next due delivery on one of the channels whose incident has nothing
	 * older pending on its channel (so that an acknowledge never overtakes its trigger),
	 * marking it SENDING.
	 */
	public Optional<Delivery> claim(Instant now, Set<Channel> channels) {
		return this.transactions.execute((status) -> {
			Optional<Delivery> next = this.jdbc.sql("SELECT " + COLUMNS + """
					 FROM delivery d
					WHERE status = 'PENDING' AND next_attempt_at <= :now AND channel IN (:channels)
					  AND NOT EXISTS (SELECT 1 FROM delivery o
					                  WHERE o.incident_id = d.incident_id AND o.channel = d.channel AND o.id < d.id
					                    AND o.status IN ('PENDING', 'SENDING'))
					ORDER BY next_attempt_at, id
					LIMIT 1
					FOR UPDATE SKIP LOCKED""")
				.param("now", Timestamp.from(now))
				.param("channels", channels.stream().map(Channel::name).toList())
				.query((row, number) -> new Delivery(row.getLong(1), row.getString(2), row.getLong(3),
						Channel.valueOf(row.getString(4)), Kind.valueOf(row.getString(5)), row.getString(6),
						row.getBytes(7), row.getInt(8) + 1))
				.optional();
			next.ifPresent((delivery) -> this.jdbc
				.sql("UPDATE delivery SET status = 'SENDING', attempts = attempts + 1 WHERE id = ?")
				.param(delivery.id())
				.update());
			return next;
		});
	}

	/** Whether a later event of the same incident waits on the same channel. */
	public boolean newerPending(Delivery delivery) {
		return this.jdbc.sql("""
				SELECT count(*) FROM delivery
				WHERE incident_id = ? AND channel = ? AND id > ? AND status = 'PENDING'""")
			.params(delivery.incidentId(), delivery.channel().name(), delivery.id())
			.query(Integer.class)
			.single() > 0;
	}

	/**
	 * Ends a delivery (SENT, FAILED, COALESCED) and enqueues its outcome, in one
	 * transaction.
	 */
	public void finish(Delivery delivery, String status, String messageId, String error, IncidentCommand outcome,
			Instant now) {
		this.transactions.executeWithoutResult((tx) -> {
			this.jdbc.sql("""
					UPDATE delivery SET status = ?, message_id = ?, last_error = ?, finished_at = ?
					WHERE id = ?""").params(status, messageId, error, Timestamp.from(now), delivery.id()).update();
			if (outcome != null) {
				this.outbox.enqueue(outcome);
			}
		});
	}

	/**
	 * Puts a delivery back for later.
	 * @param counted whether the attempt counts (a send that failed) or not (the rate
	 * limit said wait)
	 */
	public void retryAt(Delivery delivery, Instant at, String error, boolean counted) {
		this.jdbc.sql("""
				UPDATE delivery SET status = 'PENDING', next_attempt_at = ?, last_error = coalesce(?, last_error),
				    attempts = attempts - ?
				WHERE id = ?""").params(Timestamp.from(at), error, counted ? 0 : 1, delivery.id()).update();
	}

	/** Adds the same event on the fallback channel, unless it is there already. */
	public void fallBack(Delivery failed, Channel channel, Instant now) {
		this.jdbc.sql("""
				INSERT INTO delivery (incident_id, sequence, channel, kind, route, event, status, next_attempt_at)
				VALUES (?, ?, ?, ?, ?, ?, 'PENDING', ?)
				ON CONFLICT (incident_id, sequence, channel) DO NOTHING""")
			.params(failed.incidentId(), failed.sequence(), channel.name(), failed.kind().name(),
					"fallback of " + failed.channel(), failed.event(), Timestamp.from(now))
			.update();
	}

	/**
	 * Deliveries a crash left SENDING go back to PENDING: sent again, with the channel's
	 * own idempotency.
	 */
	public int recover() {
		return this.jdbc.sql("UPDATE delivery SET status = 'PENDING' WHERE status = 'SENDING'").update();
	}

	/** Deliveries waiting, for health and metrics. */
	public int pending() {
		return this.jdbc.sql("SELECT count(*) FROM delivery WHERE status IN ('PENDING', 'SENDING')")
			.query(Integer.class)
			.single();
	}

}
