package dev.firebreak.incidents.correlation;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import dev.firebreak.incidents.incident.AlertMerge;
import dev.firebreak.incidents.incident.IncidentId;
import dev.firebreak.incidents.incident.IncidentPolicy;
import dev.firebreak.incidents.incident.IncidentUpdate;
import dev.firebreak.incidents.incident.RejectedInputException;
import dev.firebreak.incidents.inhibition.Cause;
import dev.firebreak.incidents.maintenance.MaintenanceSchedule;
import dev.firebreak.schemas.avro.Actor;
import dev.firebreak.schemas.avro.ActorKind;
import dev.firebreak.schemas.avro.AlertEvent;
import dev.firebreak.schemas.avro.AlertStatus;
import dev.firebreak.schemas.avro.CommandType;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentCommand;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.IncidentState;
import dev.firebreak.schemas.avro.InhibitionState;
import dev.firebreak.schemas.avro.MaintenanceWindow;
import dev.firebreak.schemas.avro.TrackedAlert;

/**
 * Applies alerts, commands and timers to the incidents of one task, through the state
 * stores of {@link IncidentTopology}. The rules are in {@link IncidentUpdate} and the
 * pure functions it uses; this class finds the state they work on and stores what they
 * return.
 */
final class IncidentProcessor implements Processor<String, Input, String, Emitted> {

	/** Due timers are read in batches of this many, the store left alone in between. */
	private static final int TIMER_BATCH = 1000;

	private static final byte[] PRESENT = new byte[0];

	private final IncidentTopology.Settings settings;

	private final IncidentPolicy policy;

	private ProcessorContext<String, Emitted> context;

	private KeyValueStore<String, IncidentState> incidents;

	private KeyValueStore<String, String> correlationKeys;

	private KeyValueStore<String, TrackedAlert> alerts;

	private KeyValueStore<String, byte[]> members;

	private KeyValueStore<String, String> timers;

	/**
	 * No timer is due before this key: the scan starts here, not over the tombstones of
	 * every timer spent since the task started. A timer set earlier moves it back.
	 */
	private String timersFrom = timerKey(Instant.EPOCH, "");

	/** Where the sweep of tracked alerts goes on; null to start from the first. */
	private String sweepFrom;

	/**
	 * Whether a round of the sweep is due: at start (an incident may have been forgotten
	 * before a restart), and after an incident is forgotten.
	 */
	private boolean sweepDue = true;

	private boolean sweeping;

	private WindowStore<String, Long> appliedCommands;

	private KeyValueStore<String, IncidentCommand> maintenanceWindows;

	private KeyValueStore<String, Long> sequences;

	/** The global index of open causes; none without inhibition rules. */
	private KeyValueStore<String, Incident> causeIndex;

	/** The windows added by command, as the store holds them; read for every alert. */
	private final Map<String, MaintenanceWindow> addedWindows = new LinkedHashMap<>();

	IncidentProcessor(IncidentTopology.Settings settings) {
		this.settings = settings;
		this.policy = settings.policy();
	}

	@Override
	public void init(ProcessorContext<String, Emitted> context) {
		this.context = context;
		this.incidents = context.getStateStore(IncidentTopology.INCIDENTS);
		this.correlationKeys = context.getStateStore(IncidentTopology.CORRELATION_KEYS);
		this.alerts = context.getStateStore(IncidentTopology.ALERTS);
		this.members = context.getStateStore(IncidentTopology.MEMBERS);
		this.timers = context.getStateStore(IncidentTopology.TIMERS);
		this.appliedCommands = context.getStateStore(IncidentTopology.APPLIED_COMMANDS);
		this.maintenanceWindows = context.getStateStore(IncidentTopology.MAINTENANCE_WINDOWS);
		this.sequences = context.getStateStore(IncidentTopology.SEQUENCES);
		if (!this.policy.inhibitions().rules().isEmpty()) {
			this.causeIndex = context.getStateStore(IncidentTopology.CAUSES);
		}
		try (KeyValueIterator<String, IncidentCommand> all = this.maintenanceWindows.all()) {
			all.forEachRemaining((entry) -> this.addedWindows.put(entry.key, entry.value.getMaintenanceWindow()));
		}
		context.schedule(this.settings.reviewTick(), PunctuationType.WALL_CLOCK_TIME, (now) -> {
			sweepAlerts();
			reviewDue(Instant.ofEpochMilli(now));
		});
	}

	@Override
	public void process(Record<String, Input> record) {
		Instant now = Instant.ofEpochMilli(record.timestamp());
		if (record.value().alert() != null) {
			Header rule = record.headers().lastHeader(KeyAssigner.RULE_HEADER);
			Header repeats = record.headers().lastHeader(KeyAssigner.REPEATS_HEADER);
			onAlert(record.value().alert(), record.key(),
					(rule != null) ? new String(rule.value(), StandardCharsets.UTF_8) : Grouping.DEFAULT,
					(repeats != null) ? Long.parseLong(new String(repeats.value(), StandardCharsets.UTF_8)) : 0, now);
		}
		else {
			onCommand(record.value().command(), now);
		}
	}

	/**
	 * @param key the alert's correlation key, as {@link KeyAssigner} gave it
	 * @param rule the grouping rule that made it
	 * @param repeats exact repeats of this alert that {@link KeyAssigner} counted before
	 * this delivery
	 */
	private void onAlert(AlertEvent delivery, String key, String rule, long repeats, Instant now) {
		String fingerprint = delivery.getFingerprint();
		TrackedAlert tracked = this.alerts.get(fingerprint);
		IncidentState current = (tracked != null) ? this.incidents.get(tracked.getIncidentId()) : null;
		if (current == null) {
			// Its incident has outlived its retention and the sweep not reached it yet.
			tracked = null;
		}
		AlertMerge.Result merge = AlertMerge.merge((tracked != null) ? tracked.getAlert() : null, delivery,
				this.policy.severity().severityOf(delivery.getLabels()));
		if (!merge.changed()) {
			IncidentUpdate update = update(current, now);
			update.delivered(1 + repeats);
			this.incidents.put(tracked.getIncidentId(), update.state());
			return;
		}
		IncidentUpdate update;
		boolean sameEpisode = merge.change() == AlertMerge.Change.UPDATED
				|| merge.change() == AlertMerge.Change.RESOLVED;
		if (sameEpisode && current != null) {
			update = update(current, now);
		}
		else {
			update = incidentFor(key, rule, merge, now);
		}
		String incidentId = update.state().getIncident().getId();
		boolean joins = tracked == null || !tracked.getIncidentId().equals(incidentId);
		List<Instant> changes = (tracked != null) ? tracked.getStateChanges() : List.of();
		if (merge.change() != AlertMerge.Change.UPDATED) {
			changes = this.policy.flapping().record(changes, now);
		}
		update.alert(merge.state(), merge.change(), joins,
				joins ? novelty(incidentId, delivery) : IncidentUpdate.Novelty.NONE,
				this.policy.flapping().startsFlapping(changes), sourceOf(delivery),
				coveringWindow(merge.state().getLabels(), now));
		update.delivered(repeats);
		this.alerts.put(fingerprint, new TrackedAlert(incidentId, merge.state(), changes));
		save(update);
	}

	/**
	 * The incident a new alert or a new episode of one belongs to: the incident of its
	 * correlation key while open or within the reopen window, otherwise a new one.
	 */
	private IncidentUpdate incidentFor(String key, String rule, AlertMerge.Result merge, Instant now) {
		String candidateId = this.correlationKeys.get(key);
		IncidentState candidate = (candidateId != null) ? this.incidents.get(candidateId) : null;
		if (candidate != null && IncidentUpdate.reopens(this.policy, candidate, now)) {
			return update(candidate, now);
		}
		String id = nextIncidentId(now);
		this.correlationKeys.put(key, id);
		IncidentUpdate opened = IncidentUpdate.open(this.policy, id, key, CorrelationKey.labelsOf(key), merge.state(),
				now);
		opened.state().getIncident().setGroupingRule(rule);
		return opened.causes(this::causes);
	}

	/** An update of an incident, which reads the open causes when it needs them. */
	private IncidentUpdate update(IncidentState state, Instant now) {
		return IncidentUpdate.of(this.policy, state, now).causes(this::causes);
	}

	/**
	 * The causes open now, of every partition (the global index), that are not symptoms
	 * themselves: an inhibited incident never inhibits another, so a cycle of
	 * dependencies still pages its first incident.
	 */
	private List<Cause> causes() {
		if (this.causeIndex == null) {
			return List.of();
		}
		List<Cause> causes = new ArrayList<>();
		try (KeyValueIterator<String, Incident> all = this.causeIndex.all()) {
			all.forEachRemaining((entry) -> {
				Incident incident = entry.value;
				if (incident.getInhibition() != InhibitionState.NONE
						&& incident.getInhibition() != InhibitionState.UNRECOGNIZED) {
					return;
				}
				Set<String> seen = new HashSet<>();
				Stream.concat(incident.getFirstAlerts().stream(), incident.getRecentAlerts().stream())
					.filter((alert) -> alert.getStatus() == AlertStatus.FIRING && seen.add(alert.getFingerprint()))
					.filter((alert) -> this.policy.inhibitions().isCause(alert.getLabels()))
					.forEach((alert) -> causes
						.add(new Cause(incident.getId(), alert.getAlertname(), alert.getLabels())));
			});
		}
		return causes;
	}

	private String nextIncidentId(Instant now) {
		LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
		String dayKey = day.toString();
		Long counter = this.sequences.get(dayKey);
		long next = (counter != null) ? counter : 0;
		this.sequences.put(dayKey, next + 1);
		return IncidentId.of(day, next, this.context.taskId().partition(), this.settings.partitions());
	}

	/** Which of the alert's instance and service the incident sees for the first time. */
	private IncidentUpdate.Novelty novelty(String incidentId, AlertEvent alert) {
		return new IncidentUpdate.Novelty(remember(incidentId, "i", alert.getLabels().get("instance")),
				remember(incidentId, "s", alert.getLabels().get("service")));
	}

	/** Adds a member to the incident; true if it was not one yet. */
	private boolean remember(String incidentId, String kind, String value) {
		if (value == null || value.isEmpty()) {
			return false;
		}
		String key = memberKey(incidentId, kind, value);
		if (this.members.get(key) != null) {
			return false;
		}
		this.members.put(key, PRESENT);
		return true;
	}

	private static String memberKey(String incidentId, String kind, String value) {
		return incidentId + '\u0000' + kind + '\u0000' + value;
	}

	private static Actor sourceOf(AlertEvent alert) {
		String kind = alert.getSource().getKind().name().toLowerCase(Locale.ROOT).replace('_', '-');
		String receiver = alert.getSource().getReceiver();
		return new Actor(ActorKind.ALERT_SOURCE, (receiver != null) ? kind + "/" + receiver : kind);
	}

	private void onCommand(IncidentCommand command, Instant now) {
		if (alreadyApplied(command.getCommandId(), now)) {
			return;
		}
		if (CommandPartitioner.isMaintenance(command.getType())) {
			onMaintenanceCommand(command, now);
		}
		else {
			IncidentState state = this.incidents.get(command.getIncidentId());
			if (state == null) {
				throw new RejectedInputException("UNKNOWN_INCIDENT",
						"no incident " + command.getIncidentId() + " (never opened, or expired)");
			}
			IncidentUpdate update = update(state, now);
			update.apply(command);
			save(update);
		}
		this.appliedCommands.put(command.getCommandId(), now.toEpochMilli(), now.toEpochMilli());
	}

	private boolean alreadyApplied(String commandId, Instant now) {
		Instant from = now.minus(this.settings.commandRetention());
		try (WindowStoreIterator<Long> applied = this.appliedCommands.fetch(commandId, from,
				now.plus(Duration.ofDays(1)))) {
			return applied.hasNext();
		}
	}

	/**
	 * Maintenance windows reach every task. Only the task of partition 0 refuses a bad
	 * one, so that the dead-letter topic holds it once.
	 */
	private void onMaintenanceCommand(IncidentCommand command, Instant now) {
		if (command.getType() == CommandType.ADD_MAINTENANCE_WINDOW) {
			MaintenanceWindow window = command.getMaintenanceWindow();
			try {
				if (window == null) {
					throw new IllegalArgumentException("ADD_MAINTENANCE_WINDOW needs a maintenance window");
				}
				MaintenanceSchedule.validate(window);
			}
			catch (RuntimeException ex) {
				if (this.context.taskId().partition() == 0) {
					throw new RejectedInputException("INVALID_MAINTENANCE_WINDOW", ex.getMessage());
				}
				return;
			}
			this.maintenanceWindows.put(window.getId(), command);
			this.addedWindows.put(window.getId(), window);
		}
		else if (command.getMaintenanceWindowRemoval() != null) {
			this.maintenanceWindows.delete(command.getMaintenanceWindowRemoval().getWindowId());
			this.addedWindows.remove(command.getMaintenanceWindowRemoval().getWindowId());
		}
		reviewUnresolved(now);
	}

	/**
	 * A window came or went: every unresolved incident of this task is checked at once.
	 */
	private void reviewUnresolved(Instant now) {
		List<IncidentState> unresolved = new ArrayList<>();
		try (KeyValueIterator<String, IncidentState> all = this.incidents.all()) {
			all.forEachRemaining((entry) -> {
				if (entry.value.getIncident().getResolvedAt() == null) {
					unresolved.add(entry.value);
				}
			});
		}
		for (IncidentState state : unresolved) {
			IncidentUpdate update = update(state, now);
			update.maintenance(coveringWindow(state.getLatestLabels(), now));
			if (update.changed()) {
				save(update);
			}
		}
	}

	private Optional<MaintenanceWindow> coveringWindow(Map<String, String> labels, Instant now) {
		return Stream.concat(this.settings.maintenanceWindows().stream(), this.addedWindows.values().stream())
			.filter((window) -> MaintenanceSchedule.covers(window, labels, now))
			.findFirst();
	}

	/**
	 * The wall-clock tick: every incident whose review is due gets it, in the order they
	 * fell due, for as long as the tick's budget lasts.
	 */
	private void reviewDue(Instant now) {
		// Half of each tick at most, so that a backlog of due reviews (100k falling due
		// at once) is worked off at full speed while alerts still get the other half.
		long deadline = System.nanoTime() + this.settings.reviewTick().toNanos() / 2;
		String until = timerKey(now, "\uffff");
		List<KeyValue<String, String>> due;
		do {
			due = new ArrayList<>();
			try (KeyValueIterator<String, String> timers = this.timers.range(this.timersFrom, until)) {
				while (timers.hasNext() && due.size() < TIMER_BATCH) {
					due.add(timers.next());
				}
			}
			if (!due.isEmpty()) {
				// The next batch starts after this one, or where a review set a timer
				// before
				// its end (save moves it back).
				this.timersFrom = due.get(due.size() - 1).key;
			}
			for (KeyValue<String, String> timer : due) {
				this.timers.delete(timer.key);
				IncidentState state = this.incidents.get(timer.value);
				if (state != null && timer.key.equals(timerKey(state.getReviewAt(), timer.value))) {
					review(state, now);
				}
			}
		}
		while (due.size() == TIMER_BATCH && System.nanoTime() < deadline);
	}

	private void review(IncidentState state, Instant now) {
		IncidentUpdate update = update(state, now);
		if (update.expired()) {
			forget(state);
			return;
		}
		update.review(coveringWindow(state.getLatestLabels(), now));
		// Its timer is spent: save schedules the next.
		update.state().setReviewAt(null);
		save(update);
	}

	/**
	 * Removes a resolved incident that has outlived its retention, with its members. Its
	 * alerts are left to {@link #sweepAlerts()}: an index of them would cost a changelog
	 * record for every alert.
	 */
	private void forget(IncidentState state) {
		String id = state.getIncident().getId();
		this.incidents.delete(id);
		if (id.equals(this.correlationKeys.get(state.getIncident().getCorrelationKey()))) {
			this.correlationKeys.delete(state.getIncident().getCorrelationKey());
		}
		List<String> keys = new ArrayList<>();
		try (KeyValueIterator<String, byte[]> incidentMembers = this.members.prefixScan(id + '\u0000',
				new StringSerializer())) {
			incidentMembers.forEachRemaining((member) -> keys.add(member.key));
		}
		keys.forEach(this.members::delete);
		this.sweepDue = true;
	}

	/**
	 * Deletes the tracked alerts whose incident is gone, a slice of the store per tick,
	 * going round it once an incident was forgotten: every alert of a forgotten incident
	 * is gone by the end of the round after the one under way when it was forgotten. Idle
	 * otherwise. The cursor is not kept: a round cut short by a restart begins again.
	 */
	private void sweepAlerts() {
		if (!this.sweeping) {
			if (!this.sweepDue) {
				return;
			}
			this.sweeping = true;
			this.sweepDue = false;
		}
		List<String> orphans = new ArrayList<>();
		Map<String, Boolean> kept = new HashMap<>();
		try (KeyValueIterator<String, TrackedAlert> tracked = this.alerts.range(this.sweepFrom, null)) {
			String last = null;
			for (int seen = 0; seen < this.settings.sweepBatch() && tracked.hasNext(); seen++) {
				KeyValue<String, TrackedAlert> alert = tracked.next();
				last = alert.key;
				if (!kept.computeIfAbsent(alert.value.getIncidentId(), (id) -> this.incidents.get(id) != null)) {
					orphans.add(alert.key);
				}
			}
			// The smallest key after the last one seen.
			this.sweepFrom = tracked.hasNext() ? last + '\u0000' : null;
			this.sweeping = this.sweepFrom != null;
		}
		orphans.forEach(this.alerts::delete);
	}

	/**
	 * Stores the updated incident, moves its timer, and publishes its events and, once,
	 * the incident.
	 */
	private void save(IncidentUpdate update) {
		IncidentState state = update.state();
		String id = state.getIncident().getId();
		Instant reviewAt = update.nextReviewAt();
		Instant previousReviewAt = state.getReviewAt();
		if (previousReviewAt == null || reviewAt.isBefore(previousReviewAt)) {
			if (previousReviewAt != null) {
				this.timers.delete(timerKey(previousReviewAt, id));
			}
			String timer = timerKey(reviewAt, id);
			this.timers.put(timer, id);
			if (timer.compareTo(this.timersFrom) < 0) {
				this.timersFrom = timer;
			}
			state.setReviewAt(reviewAt);
		}
		// Otherwise the earlier timer stays: a review that comes early does nothing but
		// schedule the next one, and moving a timer on every alert costs two writes.
		this.incidents.put(id, state);
		List<IncidentEvent> events = update.events();
		for (int i = 0; i < events.size(); i++) {
			IncidentEvent event = events.get(i);
			this.context.forward(
					new Record<>(id, new Emitted(event, i == events.size() - 1), event.getOccurredAt().toEpochMilli()));
		}
	}

	/** Timers sort by time: zero-padded epoch millis, then the incident id. */
	static String timerKey(Instant at, String incidentId) {
		return String.format("%013d|%s", Math.max(0, at.toEpochMilli()), incidentId);
	}

}
