package dev.firebreak.notifier.delivery;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.firebreak.notifier.route.Kind;
import dev.firebreak.platform.CommandOutbox;
import dev.firebreak.schemas.avro.Channel;
import dev.firebreak.schemas.avro.IncidentCommand;

/**
 * Deliveries in PostgreSQL: each recorded before it is sent, claimed by one sender at a
 * time, in order per incident and destination, and finished together with the outcome
 * that reports it (in the {@link CommandOutbox}, one transaction). The pages of
 * escalation targets are recorded with their deliveries, once per incident, stage and
 * target.
 * <p>
 * Any number of notifiers share the table. A claim holds for a lease, on PostgreSQL's
 * clock: the sender renews it just before it sends ({@link #holds}), and every write that
 * ends or puts back the delivery names the claim, so a sender whose claim ran out and was
 * taken over (its process paused, or cut off, for longer than the lease) neither sends
 * nor records anything. A claim whose lease ran out is due again for every instance
 * ({@link #recover}): a crashed peer's messages are sent, a live peer's are not taken.
 * Rate limits are token buckets in the same database ({@link #take}), one per destination
 * for the whole cluster.
 */
public class DeliveryStore {

	private static final Logger log = LoggerFactory.getLogger(DeliveryStore.class);

	private static final String COLUMNS = """
			id, incident_id, sequence, channel, kind, route, event, attempts, destination, target, address,
			recipient, stage, paged""";

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final CommandOutbox outbox;

	private final String lease;

	/**
	 * @param lease how long a claim holds without being renewed: longer than a send may
	 * take
	 */
	public DeliveryStore(DataSource dataSource, CommandOutbox outbox, Duration lease) {
		if (lease.toMillis() < 1) {
			throw new IllegalArgumentException("a claim's lease must be at least a millisecond");
		}
		this.jdbc = JdbcClient.create(dataSource);
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		this.outbox = outbox;
		this.lease = lease.toMillis() + " milliseconds";
	}

	/** A delivery to record: to send, or suppressed with its outcome. */
	public record New(String incidentId, long sequence, Channel channel, Kind kind, String route, byte[] event,
			Delivery.Addressee to, IncidentCommand suppressed) {
	}

	/**
	 * A target of a stage told of an incident, with the deliveries that tell it.
	 *
	 * @param stage the level ({@code L2}) or severity ({@code SEV1})
	 * @param target the target's name
	 * @param recipient who it named (the person on call)
	 */
	public record Page(String incidentId, long sequence, String stage, String target, String recipient,
			List<New> deliveries) {
	}

	/**
	 * Records the deliveries of one event in one transaction; one already there (a
	 * redelivered event) is left alone, and so is a page whose target was told already.
	 */
	public void record(List<New> deliveries, List<Page> pages, Instant now) {
		this.transactions.executeWithoutResult((status) -> {
			for (Page page : pages) {
				int rows = this.jdbc.sql("""
						INSERT INTO page (incident_id, stage, target, recipient, sequence) VALUES (?, ?, ?, ?, ?)
						ON CONFLICT (incident_id, stage, target) DO NOTHING""")
					.params(page.incidentId(), page.stage(), page.target(), page.recipient(), page.sequence())
					.update();
				if (rows == 1) {
					page.deliveries().forEach((delivery) -> insert(delivery, now));
				}
			}
			deliveries.forEach((delivery) -> insert(delivery, now));
		});
	}

	public void record(List<New> deliveries, Instant now) {
		record(deliveries, List.of(), now);
	}

	private void insert(New delivery, Instant now) {
		Delivery.Addressee to = delivery.to();
		int rows = this.jdbc.sql("""
				INSERT INTO delivery (incident_id, sequence, channel, kind, route, event, status, next_attempt_at,
				    finished_at, destination, target, address, recipient, stage, paged)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (incident_id, sequence, channel, target) DO NOTHING""")
			.params(delivery.incidentId(), delivery.sequence(), delivery.channel().name(), delivery.kind().name(),
					delivery.route(), delivery.event(), (delivery.suppressed() != null) ? "SUPPRESSED" : "PENDING",
					Timestamp.from(now), (delivery.suppressed() != null) ? Timestamp.from(now) : null, to.destination(),
					to.target(), to.address(), to.recipient(), to.stage(), to.paged())
			.update();
		if (rows == 1 && delivery.suppressed() != null) {
			this.outbox.enqueue(delivery.suppressed());
		}
	}

	/**
	 * The (stage, target) pairs of the incident told already, as {@code stage/target}.
	 */
	public Set<String> paged(String incidentId) {
		return Set.copyOf(this.jdbc.sql("SELECT stage || '/' || target FROM page WHERE incident_id = ?")
			.param(incidentId)
			.query(String.class)
			.list());
	}

	/**
	 * Where an acknowledge or resolve of the incident follows its trigger, each place
	 * once: every PagerDuty destination triggered, and every escalation target's.
	 */
	public List<Triggered> triggered(String incidentId) {
		return this.jdbc.sql("""
				SELECT DISTINCT ON (channel, destination, coalesce(address, ''))
				    channel, destination, target, address, recipient, stage
				FROM delivery
				WHERE incident_id = ? AND kind = 'TRIGGER' AND status IN ('PENDING', 'SENDING', 'SENT')
				  AND (channel = 'PAGERDUTY' OR target <> '')
				ORDER BY channel, destination, coalesce(address, ''), id""")
			.param(incidentId)
			.query((row, n) -> new Triggered(Channel.valueOf(row.getString(1)),
					new Delivery.Addressee(row.getString(2), row.getString(3), row.getString(4), row.getString(5),
							row.getString(6), null)))
			.list();
	}

	/**
	 * Whether a trigger of the incident went out on the channel, to any of its
	 * destinations: PagerDuty's webhooks may act only on incidents Firebreak paged.
	 */
	public boolean triggeredOn(String incidentId, Channel channel) {
		return this.jdbc.sql("""
				SELECT count(*) FROM delivery
				WHERE incident_id = ? AND channel = ? AND kind = 'TRIGGER' AND status = 'SENT'""")
			.params(incidentId, channel.name())
			.query(Integer.class)
			.single() > 0;
	}

	/** A place an incident was triggered on. */
	public record Triggered(Channel channel, Delivery.Addressee to) {
	}

	/**
	 * The channel's id for the incident's first message sent to the same place, or null:
	 * this one is the first.
	 */
	public String thread(Delivery delivery) {
		return this.jdbc.sql("""
				SELECT message_id FROM delivery
				WHERE incident_id = ? AND channel = ? AND destination = ? AND coalesce(address, '') = ? AND id < ?
				  AND status = 'SENT' AND kind <> 'UPDATE'
				ORDER BY id LIMIT 1""")
			.params(delivery.incidentId(), delivery.channel().name(), delivery.to().destination(),
					(delivery.to().address() != null) ? delivery.to().address() : "", delivery.id())
			.query(String.class)
			.optional()
			.orElse(null);
	}

	/** Whether a route's message of the incident went out on the channel. */
	public boolean sent(String incidentId, Channel channel) {
		return this.jdbc.sql("""
				SELECT count(*) FROM delivery WHERE incident_id = ? AND channel = ? AND target = '' AND status = 'SENT'
				""").params(incidentId, channel.name()).query(Integer.class).single() > 0;
	}

	/**
	 * Claims the next due delivery on one of the channels whose incident has nothing
	 * older pending on its destination (so that an acknowledge never overtakes its
	 * trigger), marking it SENDING under a new claim, for a lease.
	 */
	public Optional<Delivery> claim(Instant now, Set<Channel> channels) {
		return this.transactions.execute((status) -> {
			Optional<Delivery> next = this.jdbc.sql("SELECT " + COLUMNS + """
					 FROM delivery d
					WHERE status = 'PENDING' AND next_attempt_at <= :now AND channel IN (:channels)
					  AND NOT EXISTS (SELECT 1 FROM delivery o
					                  WHERE o.incident_id = d.incident_id AND o.channel = d.channel
					                    AND o.destination = d.destination
					                    AND coalesce(o.address, '') = coalesce(d.address, '') AND o.id < d.id
					                    AND o.status IN ('PENDING', 'SENDING'))
					ORDER BY next_attempt_at, id
					LIMIT 1
					FOR UPDATE SKIP LOCKED""")
				.param("now", Timestamp.from(now))
				.param("channels", channels.stream().map(Channel::name).toList())
				.query((row, number) -> new Delivery(row.getLong(1), row.getString(2), row.getLong(3),
						Channel.valueOf(row.getString(4)), Kind.valueOf(row.getString(5)), row.getString(6),
						row.getBytes(7), row.getInt(8) + 1,
						new Delivery.Addressee(row.getString(9), row.getString(10), row.getString(11),
								row.getString(12), row.getString(13), row.getString(14)),
						0))
				.optional();
			return next.map((delivery) -> {
				long claim = this.jdbc.sql("""
						UPDATE delivery SET status = 'SENDING', attempts = attempts + 1,
						    claim = nextval('delivery_claim'), lease_until = clock_timestamp() + ?::interval
						WHERE id = ?
						RETURNING claim""").params(this.lease, delivery.id()).query(Long.class).single();
				return new Delivery(delivery.id(), delivery.incidentId(), delivery.sequence(), delivery.channel(),
						delivery.kind(), delivery.route(), delivery.event(), delivery.attempts(), delivery.to(), claim);
			});
		});
	}

	/**
	 * Renews the claim for another lease, just before the message goes out.
	 * @return false when the claim is no longer this sender's: it must not send
	 */
	public boolean holds(Delivery delivery) {
		return this.jdbc.sql("""
				UPDATE delivery SET lease_until = clock_timestamp() + ?::interval
				WHERE id = ? AND claim = ? AND status = 'SENDING'""")
			.params(this.lease, delivery.id(), delivery.claim())
			.update() == 1;
	}

	/** Whether a later event of the same incident waits for the same place. */
	public boolean newerPending(Delivery delivery) {
		return this.jdbc.sql("""
				SELECT count(*) FROM delivery
				WHERE incident_id = ? AND channel = ? AND destination = ? AND coalesce(address, '') = ? AND id > ?
				  AND status = 'PENDING'""")
			.params(delivery.incidentId(), delivery.channel().name(), delivery.to().destination(),
					(delivery.to().address() != null) ? delivery.to().address() : "", delivery.id())
			.query(Integer.class)
			.single() > 0;
	}

	/**
	 * Ends a delivery (SENT, FAILED, COALESCED) and enqueues its outcome, in one
	 * transaction, if the claim is still the sender's.
	 * @return false when it was taken over: nothing was recorded
	 */
	public boolean finish(Delivery delivery, String status, String messageId, String error, IncidentCommand outcome,
			Instant now) {
		return Boolean.TRUE.equals(this.transactions.execute((tx) -> {
			int rows = this.jdbc.sql("""
					UPDATE delivery SET status = ?, message_id = ?, last_error = ?, finished_at = ?, lease_until = NULL
					WHERE id = ? AND claim = ? AND status = 'SENDING'""")
				.params(status, messageId, error, Timestamp.from(now), delivery.id(), delivery.claim())
				.update();
			if (rows == 0) {
				lostClaim(delivery, status);
				return false;
			}
			if (outcome != null) {
				this.outbox.enqueue(outcome);
			}
			return true;
		}));
	}

	/**
	 * Puts a delivery back for later, if the claim is still the sender's.
	 * @param counted whether the attempt counts (a send that failed) or not (the rate
	 * limit said wait)
	 */
	public void retryAt(Delivery delivery, Instant at, String error, boolean counted) {
		int rows = this.jdbc.sql("""
				UPDATE delivery SET status = 'PENDING', next_attempt_at = ?, last_error = coalesce(?, last_error),
				    attempts = attempts - ?, lease_until = NULL
				WHERE id = ? AND claim = ? AND status = 'SENDING'""")
			.params(Timestamp.from(at), error, counted ? 0 : 1, delivery.id(), delivery.claim())
			.update();
		if (rows == 0) {
			lostClaim(delivery, "PENDING");
		}
	}

	private static void lostClaim(Delivery delivery, String status) {
		log.atWarn()
			.setMessage("A delivery's claim ran out and another sender took it over; this one records nothing")
			.addKeyValue("incidentId", delivery.incidentId())
			.addKeyValue("sequence", delivery.sequence())
			.addKeyValue("channel", delivery.channel())
			.addKeyValue("wouldHaveBeen", status)
			.log();
	}

	/**
	 * Adds the same event on the fallback channel's own destination, unless it is there
	 * already.
	 */
	public void fallBack(Delivery failed, Channel channel, String destination, Instant now) {
		Delivery.Addressee to = failed.to();
		this.jdbc.sql("""
				INSERT INTO delivery (incident_id, sequence, channel, kind, route, event, status, next_attempt_at,
				    destination, target, recipient, stage, paged)
				VALUES (?, ?, ?, ?, ?, ?, 'PENDING', ?, ?, ?, ?, ?, ?)
				ON CONFLICT (incident_id, sequence, channel, target) DO NOTHING""")
			.params(failed.incidentId(), failed.sequence(), channel.name(), failed.kind().name(),
					"fallback of " + failed.channel(), failed.event(), Timestamp.from(now), destination, to.target(),
					to.recipient(), to.stage(), to.paged())
			.update();
	}

	/**
	 * Deliveries whose claim's lease ran out (their sender crashed, or is paused or cut
	 * off) go back to PENDING, for any sender: sent again, with the channel's own
	 * idempotency. A claim from before leases (none) counts as run out.
	 */
	public int recover() {
		return this.jdbc.sql("""
				UPDATE delivery SET status = 'PENDING', lease_until = NULL
				WHERE status = 'SENDING' AND (lease_until IS NULL OR lease_until < clock_timestamp())""").update();
	}

	/**
	 * Takes a token from the destination's bucket, one for every notifier.
	 * @return zero when one was taken; otherwise how long until one is there
	 */
	public Duration take(String destination, RateLimit limit) {
		return this.transactions.execute((tx) -> {
			this.jdbc.sql("""
					INSERT INTO rate_bucket (destination, tokens, refilled_at) VALUES (?, ?, clock_timestamp())
					ON CONFLICT (destination) DO NOTHING""").params(destination, (double) limit.burst()).update();
			Bucket bucket = this.jdbc
				.sql("SELECT tokens, refilled_at, clock_timestamp() FROM rate_bucket WHERE destination = ? FOR UPDATE")
				.param(destination)
				.query((row, n) -> new Bucket(row.getDouble(1), row.getTimestamp(2).toInstant(),
						row.getTimestamp(3).toInstant()))
				.single();
			RateLimit.Taken taken = limit.take(bucket.tokens(), bucket.refilledAt(), bucket.now());
			if (taken.delay().isZero()) {
				// A bucket that had no token keeps its time, so its refill goes on.
				this.jdbc.sql("UPDATE rate_bucket SET tokens = ?, refilled_at = ? WHERE destination = ?")
					.params(taken.tokens(), Timestamp.from(bucket.now()), destination)
					.update();
			}
			return taken.delay();
		});
	}

	private record Bucket(double tokens, Instant refilledAt, Instant now) {
	}

	/** Deliveries waiting, for health and metrics. */
	public int pending() {
		return this.jdbc.sql("SELECT count(*) FROM delivery WHERE status IN ('PENDING', 'SENDING')")
			.query(Integer.class)
			.single();
	}

}
