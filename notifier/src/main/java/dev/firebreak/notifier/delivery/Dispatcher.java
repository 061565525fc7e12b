package dev.firebreak.notifier.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.firebreak.notifier.channel.SendResult;
import dev.firebreak.notifier.channel.Sender;
import dev.firebreak.notifier.message.Notice;
import dev.firebreak.notifier.message.WebhookPayload;
import dev.firebreak.notifier.route.Kind;
import dev.firebreak.notifier.route.Origin;
import dev.firebreak.platform.CommandOutbox;
import dev.firebreak.schemas.AvroCodec;
import dev.firebreak.schemas.Topics;
import dev.firebreak.schemas.avro.Channel;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.NotificationStatus;

/**
 * Sends what {@link Intake} recorded, each channel on threads of its own (a mail server
 * that hangs holds up email, not PagerDuty): claims a due delivery, waits for its
 * channel's rate limit (or, when a later message of the same incident waits too, folds
 * this one into it: a storm is coalesced, never dropped), sends, and records the result
 * with its outcome. A retryable failure comes back after a backoff (or the channel's
 * Retry-After); a permanent one, or the last retry, goes to
 * {@code firebreak.notifications.dlt}, is reported NOTIFICATION_FAILED, and tries the
 * fallback channel if there is one.
 * <p>
 * Any number of notifiers may dispatch from the same {@link DeliveryStore}: a delivery is
 * claimed for a lease and sent only while the claim holds, each instance puts back what a
 * dead or paused peer's lease left behind, and the rate limits are the cluster's.
 */
public class Dispatcher {

	private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

	private static final AvroCodec<IncidentEvent> EVENTS = AvroCodec.of(IncidentEvent.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final DeliveryStore store;

	private final Map<String, Sender> senders;

	private final Map<String, RateLimit> limits;

	private final CommandOutbox outbox;

	private final KafkaTemplate<byte[], byte[]> kafka;

	private final Redactor redactor;

	private final Settings settings;

	private final Clock clock;

	private final MeterRegistry meters;

	private final Object idle = new Object();

	private final Object lookout = new Object();

	private final List<Thread> threads = new ArrayList<>();

	private volatile boolean running;

	/**
	 * @param maxAttempts sends of one message at most
	 * @param backoff the wait between them
	 * @param fallbacks the channel to try when one fails for good
	 * @param publicUrl Firebreak's address as people reach it, for links to the console
	 * @param threads senders at once on each channel
	 * @param recoverEvery how often to look for claims whose lease ran out: a fraction of
	 * the lease
	 */
	public record Settings(int maxAttempts, Backoff backoff, Map<Channel, Channel> fallbacks, String publicUrl,
			int threads, Duration recoverEvery) {

	}

	/**
	 * @param senders the sender of each destination, by name
	 * @param limits the rate limit of each destination, by name
	 */
	public Dispatcher(DeliveryStore store, Map<String, Sender> senders, Map<String, RateLimit> limits,
			CommandOutbox outbox, KafkaTemplate<byte[], byte[]> kafka, Redactor redactor, Settings settings,
			Clock clock, MeterRegistry meters) {
		this.store = store;
		this.senders = Map.copyOf(senders);
		this.limits = Map.copyOf(limits);
		this.outbox = outbox;
		this.kafka = kafka;
		this.redactor = redactor;
		this.settings = settings;
		this.clock = clock;
		this.meters = meters;
		// From zero, so that the first message's latency counts in a rate.
		for (Channel channel : Channel.values()) {
			if (this.senders.containsKey(Intake.destinationOf(channel))) {
				latency(channel);
			}
		}
	}

	/**
	 * Starts the senders, and the look-out that puts back what a crashed or paused sender
	 * (this instance's, in an earlier run, or a peer's) left claimed past its lease.
	 */
	public synchronized void start() {
		this.running = true;
		Thread recoverer = new Thread(this::recoverLoop, "notifier-recoverer");
		recoverer.setDaemon(true);
		recoverer.start();
		this.threads.add(recoverer);
		EnumSet<Channel> configured = EnumSet.noneOf(Channel.class);
		this.senders.values().forEach((sender) -> configured.add(sender.channel()));
		for (Channel channel : configured) {
			for (int i = 0; i < this.settings.threads(); i++) {
				startSender(EnumSet.of(channel), channel.name().toLowerCase(Locale.ROOT) + "-" + (i + 1));
			}
		}
		// Deliveries recorded for a channel that is no longer configured fail, and say
		// so.
		EnumSet<Channel> unconfigured = EnumSet.allOf(Channel.class);
		unconfigured.removeAll(configured);
		if (!unconfigured.isEmpty()) {
			startSender(unconfigured, "unconfigured");
		}
	}

	private void startSender(Set<Channel> channels, String name) {
		Thread thread = new Thread(() -> loop(channels), "notifier-sender-" + name);
		thread.setDaemon(true);
		thread.start();
		this.threads.add(thread);
	}

	/** Lets the senders finish the message in hand, then stops them. */
	public synchronized void stop() {
		this.running = false;
		wake();
		synchronized (this.lookout) {
			this.lookout.notifyAll();
		}
		for (Thread thread : this.threads) {
			try {
				thread.join(Duration.ofSeconds(15).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.threads.clear();
	}

	private void recoverLoop() {
		while (this.running) {
			try {
				recover();
			}
			catch (RuntimeException ex) {
				log.atWarn().setMessage("Could not look for deliveries left unfinished").setCause(ex).log();
			}
			synchronized (this.lookout) {
				try {
					if (this.running) {
						this.lookout.wait(this.settings.recoverEvery().toMillis());
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	/**
	 * Makes due again the deliveries whose claim's lease ran out.
	 * @return how many
	 */
	public int recover() {
		int recovered = this.store.recover();
		if (recovered > 0) {
			log.atInfo()
				.setMessage("Sending again what a sender left unfinished past its lease")
				.addKeyValue("deliveries", recovered)
				.log();
			wake();
		}
		return recovered;
	}

	/** New deliveries are there. */
	public void wake() {
		synchronized (this.idle) {
			this.idle.notifyAll();
		}
	}

	private void loop(Set<Channel> channels) {
		while (this.running) {
			boolean worked;
			try {
				worked = dispatchOne(channels);
			}
			catch (RuntimeException ex) {
				log.atWarn().setMessage("Dispatch failed; trying again").setCause(ex).log();
				worked = false;
			}
			if (!worked) {
				this.outbox.flush();
				synchronized (this.idle) {
					try {
						this.idle.wait(200);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						return;
					}
				}
			}
		}
	}

	/** Handles one due delivery of any channel, if there is one. */
	public boolean dispatchOne() {
		return dispatchOne(EnumSet.allOf(Channel.class));
	}

	/** Handles one due delivery on one of the channels, if there is one. */
	private boolean dispatchOne(Set<Channel> channels) {
		Instant now = this.clock.instant();
		Optional<Delivery> claimed = this.store.claim(now, channels);
		if (claimed.isEmpty()) {
			return false;
		}
		Delivery delivery = claimed.get();
		Sender sender = this.senders.get(delivery.to().destination());
		if (sender == null) {
			fail(delivery,
					"no destination " + delivery.to().destination() + " (" + delivery.channel() + ") is configured",
					"unconfigured", now);
			return true;
		}
		if (delivery.kind() == Kind.UPDATE && this.store.newerPending(delivery)) {
			// A later message or refresh shows the incident as it is: this one is moot.
			this.store.finish(delivery, "COALESCED", null, null, null, now);
			return true;
		}
		RateLimit limit = this.limits.get(delivery.to().destination());
		Duration wait = (limit != null) ? this.store.take(delivery.to().destination(), limit) : Duration.ZERO;
		if (!wait.isZero()) {
			if (delivery.channel() != Channel.PAGERDUTY && this.store.newerPending(delivery)) {
				this.store.finish(delivery, "COALESCED", null, null,
						Outcomes.of(delivery.incidentId(), delivery.sequence(), delivery.channel(), delivery.to(),
								NotificationStatus.SUPPRESSED, sender.destination(),
								"coalesced into a later message of the incident (rate limit)", null,
								delivery.attempts(), now),
						now);
				count(delivery, "coalesced");
			}
			else {
				this.store.retryAt(delivery, now.plus(wait), null, false);
			}
			return true;
		}
		IncidentEvent event = EVENTS.decode(delivery.event());
		Notice notice = notice(delivery, event);
		String thread = this.store.thread(delivery);
		if (!this.store.holds(delivery)) {
			// Paused past the lease: another sender has it now.
			count(delivery, "taken-over");
			return true;
		}
		SendResult result;
		try {
			result = sender.send(notice, thread, delivery.to().address());
		}
		catch (RuntimeException ex) {
			result = SendResult.retry(ex.toString(), null);
		}
		Instant done = this.clock.instant();
		String error = this.redactor.redact(result.error());
		switch (result.status()) {
			case SENT -> {
				// A refresh in place is no message of its own: not a timeline event.
				boolean recorded = this.store.finish(delivery, "SENT", result.messageId(), null,
						(delivery.kind() == Kind.UPDATE) ? null
								: Outcomes.of(delivery.incidentId(), delivery.sequence(), delivery.channel(),
										delivery.to(), NotificationStatus.SENT, sender.destination(), null,
										result.messageId(), delivery.attempts(), done),
						done);
				// Sent after its claim ran out (the send outlasted the lease): another
				// sender may have sent it too. Counted, not hidden.
				count(delivery, recorded ? "sent" : "sent-after-takeover");
				if (delivery.kind() != Kind.UPDATE && event.getAlert() != null) {
					timeFromAlert(delivery.channel(), event.getAlert().getLastReceivedAt(), done);
				}
			}
			case RETRY -> {
				if (delivery.attempts() >= this.settings.maxAttempts()) {
					fail(delivery, "gave up after " + delivery.attempts() + " attempts: " + error, sender.destination(),
							done);
				}
				else {
					this.store.retryAt(delivery,
							done.plus(this.settings.backoff().after(delivery.attempts(), result.retryAfter())), error,
							true);
					count(delivery, "retried");
				}
			}
			case PERMANENT -> fail(delivery, error, sender.destination(), done);
		}
		return true;
	}

	private void fail(Delivery delivery, String error, String destination, Instant now) {
		if (delivery.kind() == Kind.UPDATE) {
			this.store.finish(delivery, "FAILED", null, error, null, now);
			log.atWarn().setMessage("Could not refresh a message in place").addKeyValue("error", error).log();
			return;
		}
		try {
			deadLetter(delivery, error, destination);
		}
		catch (IllegalStateException ex) {
			// Not failed until the dead letter is safe: try the whole thing again later.
			this.store.retryAt(delivery, now.plus(this.settings.backoff().max()), error, false);
			return;
		}
		this.store.finish(delivery, "FAILED", null, error,
				Outcomes.of(delivery.incidentId(), delivery.sequence(), delivery.channel(), delivery.to(),
						NotificationStatus.FAILED, destination, error, null, delivery.attempts(), now),
				now);
		Channel fallback = this.settings.fallbacks().get(delivery.channel());
		if (fallback != null && fallback != delivery.channel()
				&& this.senders.containsKey(Intake.destinationOf(fallback))
				&& !Origin.echoes(EVENTS.decode(delivery.event()).getCommandId(), fallback, delivery.kind())) {
			this.store.fallBack(delivery, fallback, Intake.destinationOf(fallback), now);
		}
		count(delivery, "failed");
		log.atWarn()
			.setMessage("Notification failed for good")
			.addKeyValue("incidentId", delivery.incidentId())
			.addKeyValue("sequence", delivery.sequence())
			.addKeyValue("channel", delivery.channel())
			.addKeyValue("error", error)
			.log();
	}

	/**
	 * The undeliverable message and its last error, secrets removed, keyed by incident;
	 * written before the delivery is marked failed, so a crash in between writes it twice
	 * rather than never.
	 */
	private void deadLetter(Delivery delivery, String error, String destination) {
		ObjectNode letter = JSON.createObjectNode();
		letter.put("incidentId", delivery.incidentId());
		letter.put("sequence", delivery.sequence());
		letter.put("channel", delivery.channel().name());
		letter.put("destination", destination);
		letter.put("target", delivery.to().target());
		letter.put("recipient", delivery.to().recipient());
		letter.put("attempts", delivery.attempts());
		letter.put("error", error);
		letter.set("notice", WebhookPayload.render(notice(delivery)));
		ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Topics.NOTIFICATIONS_DEAD_LETTER.name(),
				delivery.incidentId().getBytes(StandardCharsets.UTF_8),
				this.redactor.redact(letter.toString()).getBytes(StandardCharsets.UTF_8));
		record.headers().add("firebreak.error.reason", "UNDELIVERABLE".getBytes(StandardCharsets.UTF_8));
		record.headers().add("firebreak.error.message", String.valueOf(error).getBytes(StandardCharsets.UTF_8));
		try {
			this.kafka.send(record).get(30, TimeUnit.SECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Could not write to " + Topics.NOTIFICATIONS_DEAD_LETTER.name(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	/** What the message says, for whom, and who its event paged. */
	private Notice notice(Delivery delivery) {
		return notice(delivery, EVENTS.decode(delivery.event()));
	}

	private Notice notice(Delivery delivery, IncidentEvent event) {
		return Notice.of(event, delivery.kind(), this.settings.publicUrl())
			.to(delivery.to().recipient(), delivery.to().stage(), delivery.to().paged());
	}

	/**
	 * What people feel: from the alert's arrival at Firebreak to the channel accepting
	 * the message it caused (retries and any hold included).
	 */
	private void timeFromAlert(Channel channel, Instant received, Instant accepted) {
		Duration latency = Duration.between(received, accepted);
		latency(channel).record(latency.isNegative() ? Duration.ZERO : latency);
	}

	private Timer latency(Channel channel) {
		return Timer.builder("firebreak.notification.latency")
			.description("From an alert's arrival at alert-ingest to the channel accepting the message it caused")
			.tag("channel", channel.name())
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(10))
			.maximumExpectedValue(Duration.ofHours(1))
			.register(this.meters);
	}

	private void count(Delivery delivery, String result) {
		this.meters.counter("firebreak.notifier.deliveries", "channel", delivery.channel().name(), "result", result)
			.increment();
	}

}
