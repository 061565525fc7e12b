package dev.firebreak.incidents.incident;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

import dev.firebreak.incidents.escalation.Clock;
import dev.firebreak.incidents.escalation.Due;
import dev.firebreak.incidents.escalation.ResponsePolicy;
import dev.firebreak.incidents.inhibition.Cause;
import dev.firebreak.incidents.inhibition.InhibitionRule;
import dev.firebreak.incidents.inhibition.Inhibitions;
import dev.firebreak.schemas.avro.Actor;
import dev.firebreak.schemas.avro.ActorKind;
import dev.firebreak.schemas.avro.AlertCounts;
import dev.firebreak.schemas.avro.AlertStatus;
import dev.firebreak.schemas.avro.AlertSummary;
import dev.firebreak.schemas.avro.AutomationState;
import dev.firebreak.schemas.avro.CommandType;
import dev.firebreak.schemas.avro.EscalationLevel;
import dev.firebreak.schemas.avro.Finding;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentCommand;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.IncidentEventType;
import dev.firebreak.schemas.avro.IncidentState;
import dev.firebreak.schemas.avro.IncidentStatus;
import dev.firebreak.schemas.avro.InhibitionState;
import dev.firebreak.schemas.avro.MaintenanceWindow;
import dev.firebreak.schemas.avro.NotificationOutcome;
import dev.firebreak.schemas.avro.RemediationOutcome;
import dev.firebreak.schemas.avro.Severity;

/**
 * One change to one incident: the lifecycle rules applied to its state, each change
 * bumping the version and recording an {@link IncidentEvent} with its reason. Changes the
 * state it is given, which the caller hands over (the topology reads a fresh one from its
 * store for every update), and does no I/O; the topology stores {@link #state()} and
 * publishes {@link #events()}.
 *
 * <p>
 * Every event of one update carries the incident as the whole update leaves it: an
 * incident that opens inside a maintenance window, starts flapping or is raised to SEV1
 * by the alert that opens it says so already in its {@code OPENED} event, so that no
 * consumer acts on a state the incident-store has already overruled.
 */
public final class IncidentUpdate {

	static final String BLAST_RADIUS = "BLAST_RADIUS";

	static final String UNACKNOWLEDGED = "UNACKNOWLEDGED";

	static final String REMEDIATION_FAILED = "REMEDIATION_FAILED";

	private static final Actor SYSTEM = new Actor(ActorKind.SYSTEM, "incident-store");

	private final IncidentPolicy policy;

	private final IncidentState state;

	private final Incident incident;

	private final Instant now;

	private final List<Change> changes = new ArrayList<>();

	/** The causes open now, read only when an inhibition rule needs them. */
	private Supplier<Collection<Cause>> causes = List::of;

	private IncidentUpdate(IncidentPolicy policy, IncidentState state, Instant now) {
		this.policy = policy;
		this.state = state;
		this.incident = this.state.getIncident();
		this.now = now;
	}

	/**
	 * Where the causes open now are read from (the topology's index of them), for the
	 * inhibition rules.
	 */
	public IncidentUpdate causes(Supplier<Collection<Cause>> causes) {
		this.causes = causes;
		return this;
	}

	/** An update of an existing incident at {@code now}, which changes {@code state}. */
	public static IncidentUpdate of(IncidentPolicy policy, IncidentState state, Instant now) {
		return new IncidentUpdate(policy, state, now);
	}

	/**
	 * A new incident, not yet published: its first {@link #alert alert} opens it.
	 * @param id the incident id
	 * @param correlationKey the key its alerts share
	 * @param correlationLabels the label values of the key
	 * @param first the alert that opens it
	 */
	public static IncidentUpdate open(IncidentPolicy policy, String id, String correlationKey,
			Map<String, String> correlationLabels, AlertSummary first, Instant now) {
		Incident incident = Incident.newBuilder()
			.setId(id)
			.setCorrelationKey(correlationKey)
			.setCorrelationLabels(correlationLabels)
			.setTitle(titleOf(first, correlationKey))
			.setSeverity(first.getSeverity())
			.setStatus(IncidentStatus.OPEN)
			.setOpenedAt(now)
			.setUpdatedAt(now)
			.setVersion(0)
			.setCounts(new AlertCounts())
			.build();
		IncidentState state = IncidentState.newBuilder()
			.setIncident(incident)
			.setAlertSeverity(first.getSeverity())
			.build();
		return new IncidentUpdate(policy, state, now);
	}

	private static String titleOf(AlertSummary alert, String correlationKey) {
		String summary = alert.getAnnotations().get("summary");
		String name = alert.getAlertname().isEmpty() ? "Alert" : alert.getAlertname();
		return (summary != null && !summary.isBlank()) ? name + ": " + summary : name + " (" + correlationKey + ")";
	}

	public IncidentState state() {
		settle();
		return this.state;
	}

	/**
	 * The events of this update, in order, each with the incident as the update leaves it
	 * (its version the event's sequence).
	 */
	public List<IncidentEvent> events() {
		settle();
		return this.changes.stream().map(this::event).toList();
	}

	/** Derived fields, as the update leaves the incident: when it escalates next. */
	private void settle() {
		this.incident.setNextEscalationAt(escalationHeldForGood() ? null : nextEscalationDue());
	}

	/** Held until something changes, not until a time: answered, or in maintenance. */
	private boolean escalationHeldForGood() {
		return isResolved() || this.incident.getInMaintenance() || inhibited()
				|| (this.incident.getStatus() == IncidentStatus.ACKNOWLEDGED && !responsePolicy().whileAcknowledged());
	}

	/** Whether anything was published-worthy: at least one event. */
	public boolean changed() {
		return !this.changes.isEmpty();
	}

	/** Repeated deliveries: counted, nothing else. */
	public void delivered(long deliveries) {
		AlertCounts counts = this.incident.getCounts();
		counts.setDeliveries(counts.getDeliveries() + deliveries);
	}

	/**
	 * An alert of this incident changed.
	 * @param alert the alert's merged state
	 * @param change what the delivery changed
	 * @param joins whether the alert joins this incident now (new, or moved from an older
	 * incident)
	 * @param novelty which of its instance and service the incident had not seen before
	 * @param startsFlapping whether its recent state changes make it flap
	 * @param actor who reported it
	 * @param covering the maintenance window that covers the alert's labels now, if any
	 */
	public void alert(AlertSummary alert, AlertMerge.Change change, boolean joins, Novelty novelty,
			boolean startsFlapping, Actor actor, Optional<MaintenanceWindow> covering) {
		boolean opening = this.incident.getVersion() == 0;
		boolean firing = alert.getStatus() == AlertStatus.FIRING;
		boolean reopened = false;
		delivered(1);
		count(alert, change, joins, novelty);
		keep(alert);
		this.state.setLatestLabels(alert.getLabels());
		if (change != AlertMerge.Change.UPDATED) {
			this.state.setLastAlertChangeAt(this.now);
		}
		if (opening) {
			record(IncidentEventType.OPENED, actor, "opened by " + alert.getAlertname(), Map.of(), null, alert);
		}
		else if (firing && isResolved() && change != AlertMerge.Change.UPDATED) {
			// A new episode reopens it; a still-firing alert's new annotations after an
			// operator resolved it do not.
			reopen(alert, actor);
			reopened = true;
		}
		else if (joins) {
			record(IncidentEventType.ALERT_ADDED, actor, alert.getAlertname() + " joined", Map.of(), null, alert);
		}
		else if (change == AlertMerge.Change.RESOLVED) {
			record(IncidentEventType.ALERT_RESOLVED, actor, alert.getAlertname() + " resolved", Map.of(), null, alert);
		}
		else {
			String reason = (change == AlertMerge.Change.REFIRED) ? alert.getAlertname() + " fires again"
					: alert.getAlertname() + " changed";
			record(IncidentEventType.ALERT_UPDATED, actor, reason, Map.of("change", change.name()), null, alert);
		}
		boolean severityChanged = severityFrom(alert);
		if (severityChanged) {
			changeSeverity(actor, alert.getAlertname() + " is " + alert.getSeverity(), null, alert);
		}
		if (opening || joins || severityChanged) {
			clock(alert, opening, joins);
		}
		checkBlastRadius();
		if (startsFlapping && !this.incident.getFlapping()) {
			this.incident.setFlapping(true);
			record(IncidentEventType.FLAPPING_STARTED, SYSTEM, alert.getAlertname() + " changed state "
					+ this.policy.flapping().threshold() + " times within " + this.policy.flapping().window(), Map.of(),
					null, alert);
		}
		maintenance(covering);
		if ((opening || joins || reopened) && firing && !isResolved()) {
			if (reopened) {
				clearInhibition();
			}
			inhibition(alert, opening || reopened);
		}
		if ((opening || joins || severityChanged) && !isResolved()) {
			// A level due at once (seed 003: Disk Space Critical, L2 immediately).
			escalateWhenDue();
		}
		if (this.incident.getCounts().getFiring() == 0 && !isResolved()) {
			resolve(SYSTEM, "all " + this.incident.getCounts().getAlerts() + " alerts resolved", null);
		}
	}

	/** Whether an alert's instance and service are new to the incident. */
	public record Novelty(boolean instance, boolean service) {

		public static final Novelty NONE = new Novelty(false, false);

	}

	private void count(AlertSummary alert, AlertMerge.Change change, boolean joins, Novelty novelty) {
		AlertCounts counts = this.incident.getCounts();
		boolean firing = alert.getStatus() == AlertStatus.FIRING;
		if (joins) {
			counts.setAlerts(counts.getAlerts() + 1);
			counts.setFiring(counts.getFiring() + (firing ? 1 : 0));
			counts.setResolved(counts.getResolved() + (firing ? 0 : 1));
			counts.setInstances(counts.getInstances() + (novelty.instance() ? 1 : 0));
			counts.setServices(counts.getServices() + (novelty.service() ? 1 : 0));
		}
		else if (change == AlertMerge.Change.RESOLVED) {
			counts.setFiring(counts.getFiring() - 1);
			counts.setResolved(counts.getResolved() + 1);
		}
		else if (change == AlertMerge.Change.REFIRED) {
			counts.setFiring(counts.getFiring() + 1);
			counts.setResolved(counts.getResolved() - 1);
		}
	}

	/**
	 * Keeps the alert's current state in the bounded lists: among the first alerts while
	 * there is room (or where it already is), and first among the most recent.
	 */
	private void keep(AlertSummary alert) {
		List<AlertSummary> first = new ArrayList<>(this.incident.getFirstAlerts());
		int index = indexOf(first, alert.getFingerprint());
		if (index >= 0) {
			first.set(index, alert);
		}
		else if (first.size() < this.policy.alertsKept()) {
			first.add(alert);
		}
		List<AlertSummary> recent = new ArrayList<>(this.policy.alertsKept());
		recent.add(alert);
		for (AlertSummary other : this.incident.getRecentAlerts()) {
			if (recent.size() < this.policy.alertsKept() && !other.getFingerprint().equals(alert.getFingerprint())) {
				recent.add(other);
			}
		}
		this.incident.setFirstAlerts(first);
		this.incident.setRecentAlerts(recent);
	}

	private static int indexOf(List<AlertSummary> alerts, String fingerprint) {
		for (int i = 0; i < alerts.size(); i++) {
			if (alerts.get(i).getFingerprint().equals(fingerprint)) {
				return i;
			}
		}
		return -1;
	}

	private boolean severityFrom(AlertSummary alert) {
		Severity highest = SeverityPolicy.highest(this.state.getAlertSeverity(), alert.getSeverity());
		this.state.setAlertSeverity(highest);
		return effectiveSeverity() != this.incident.getSeverity();
	}

	private Severity effectiveSeverity() {
		if (this.state.getSeverityOverride() != null) {
			return this.state.getSeverityOverride();
		}
		Severity severity = this.state.getAlertSeverity();
		for (int i = 0; i < this.state.getRaisedBy().size(); i++) {
			severity = SeverityPolicy.raise(severity);
		}
		return severity;
	}

	/** Raises the severity once for a policy reason; false when it already did. */
	private boolean raiseFor(String policyReason) {
		if (this.state.getRaisedBy().contains(policyReason)) {
			return false;
		}
		List<String> raisedBy = new ArrayList<>(this.state.getRaisedBy());
		raisedBy.add(policyReason);
		this.state.setRaisedBy(raisedBy);
		return effectiveSeverity() != this.incident.getSeverity();
	}

	private void changeSeverity(Actor actor, String reason, String commandId, AlertSummary alert) {
		Severity previous = this.incident.getSeverity();
		Severity severity = effectiveSeverity();
		this.incident.setSeverity(severity);
		record(IncidentEventType.SEVERITY_CHANGED, actor, reason,
				Map.of("previous", previous.name(), "severity", severity.name()), commandId, alert);
		// An alert's own policy answers for the alert (see clock); a raise for another
		// reason
		// gets the new severity's clock.
		if (alert == null && severity.ordinal() < previous.ordinal() && this.incident.getResponsePolicy() != null) {
			tighten(this.policy.responses().fallback().get(severity), "the incident is " + severity + " now", alert);
		}
	}

	private void checkBlastRadius() {
		AlertCounts counts = this.incident.getCounts();
		if (this.policy.blastRadius().reachedBy(counts.getInstances(), counts.getServices())
				&& raiseFor(BLAST_RADIUS)) {
			changeSeverity(SYSTEM, "blast radius: " + counts.getInstances() + " instances, " + counts.getServices()
					+ " services affected", null, null);
		}
	}

	private void reopen(AlertSummary alert, Actor actor) {
		this.incident.setStatus(IncidentStatus.OPEN);
		this.incident.setReopenCount(this.incident.getReopenCount() + 1);
		this.incident.setResolvedAt(null);
		this.incident.setResolvedBy(null);
		this.incident.setAcknowledgedAt(null);
		this.incident.setAcknowledgedBy(null);
		record(IncidentEventType.REOPENED, actor,
				alert.getAlertname() + " fired within " + this.policy.reopenWindow() + " of resolving", Map.of(), null,
				alert);
		restartClock("as the incident reopens", alert);
	}

	private void resolve(Actor actor, String reason, String commandId) {
		this.incident.setStatus(IncidentStatus.RESOLVED);
		this.incident.setResolvedAt(this.now);
		this.incident.setResolvedBy(actor.getName());
		endAutomation();
		if (this.incident.getInMaintenance()) {
			this.incident.setInMaintenance(false);
			this.incident.setMaintenanceWindowId(null);
		}
		record(IncidentEventType.RESOLVED, actor, reason, Map.of(), commandId, null);
	}

	public boolean isResolved() {
		return this.incident.getStatus() == IncidentStatus.RESOLVED;
	}

	/**
	 * Whether a firing alert of this (resolved) incident's key reopens it at {@code now}
	 * rather than opening a new incident.
	 */
	public static boolean reopens(IncidentPolicy policy, IncidentState state, Instant now) {
		Incident incident = state.getIncident();
		return incident.getStatus() != IncidentStatus.RESOLVED
				|| !now.isAfter(incident.getResolvedAt().plus(policy.reopenWindow()));
	}

	/**
	 * Flags the incident as in a maintenance window, or clears the flag, as the window
	 * that covers it now says. Resolved incidents are left alone.
	 */
	public void maintenance(Optional<MaintenanceWindow> covering) {
		if (isResolved()) {
			return;
		}
		String windowId = covering.map(MaintenanceWindow::getId).orElse(null);
		if (covering.isPresent() && !windowId.equals(this.incident.getMaintenanceWindowId())) {
			MaintenanceWindow window = covering.get();
			this.incident.setInMaintenance(true);
			this.incident.setMaintenanceWindowId(windowId);
			record(IncidentEventType.MAINTENANCE_SUPPRESSED, SYSTEM,
					"in maintenance window " + window.getName() + ": not remediated, not notified",
					Map.of("windowId", windowId), null, null);
		}
		else if (covering.isEmpty() && this.incident.getInMaintenance()) {
			String ended = this.incident.getMaintenanceWindowId();
			this.incident.setInMaintenance(false);
			this.incident.setMaintenanceWindowId(null);
			record(IncidentEventType.MAINTENANCE_ENDED, SYSTEM, "maintenance window ended or no longer matches",
					(ended != null) ? Map.of("windowId", ended) : Map.of(), null, null);
			// People hear of it now (the notifier tells them the window ended), whatever
			// automation was waiting for.
			endAutomation();
			if (this.incident.getResponsePolicy() != null) {
				// The clock stood still for the window: counted again from its end.
				restartClock("as maintenance ends", null);
			}
		}
	}

	/**
	 * The timers that are due at {@code now}: the maintenance flag, the end of
	 * automation's turn, escalation to the levels whose time has come (not in
	 * maintenance, not snoozed, not while acknowledged unless the policy says so), the
	 * response time, and the end of flapping after a quiet period.
	 */
	public void review(Optional<MaintenanceWindow> covering) {
		maintenance(covering);
		if (!isResolved() && this.incident.getResponsePolicy() == null) {
			adoptClock();
		}
		if (!isResolved()) {
			reviewInhibition();
		}
		if (!isResolved() && !this.incident.getInMaintenance() && !inhibited()) {
			automationTimesOut();
			escalateWhenDue();
			respondByPassed();
		}
		if (this.incident.getFlapping() && this.state.getLastAlertChangeAt() != null
				&& this.policy.flapping().stopsFlapping(this.state.getLastAlertChangeAt(), this.now)) {
			this.incident.setFlapping(false);
			record(IncidentEventType.FLAPPING_STOPPED, SYSTEM,
					"no alert changed state for " + this.policy.flapping().quietPeriod(), Map.of(), null, null);
		}
	}

	/**
	 * An incident opened by a version before response policies gets its severity's clock,
	 * counted from its opening; the single timer it had is dropped.
	 */
	private void adoptClock() {
		ResponsePolicy fallback = this.policy.responses().fallback().get(this.incident.getSeverity());
		setClock(fallback, Clock.of(fallback, this.incident.getOpenedAt(), base(fallback),
				this.incident.getEscalationLevel(), this.policy.calendar()));
		this.state.setEscalatesAt(null);
		record(IncidentEventType.ESCALATION_CLOCK_SET, SYSTEM,
				"escalation clock from the " + fallback.name()
						+ " policy for an incident opened before response policies: " + describe(fallback),
				clockDetails(fallback), null, null);
	}

	/** How often an inhibited incident looks whether its cause is still open. */
	static final Duration CAUSE_CHECK = Duration.ofSeconds(10);

	/**
	 * Whether the incident waits for a cause, or has one: nothing pages or remediates it.
	 */
	public boolean inhibited() {
		return this.incident.getInhibition() == InhibitionState.PENDING
				|| this.incident.getInhibition() == InhibitionState.INHIBITED;
	}

	/**
	 * An alert opens or joins the incident: is it a symptom? Explained by an open cause,
	 * a new incident is inhibited; one that may be a symptom of a cause not seen yet
	 * waits its rule's grace period. An alert the cause does not explain ends the
	 * inhibition of the incident it joins.
	 */
	private void inhibition(AlertSummary alert, boolean opening) {
		Inhibitions inhibitions = this.policy.inhibitions();
		if (inhibitions.rules().isEmpty()) {
			return;
		}
		InhibitionState inhibition = this.incident.getInhibition();
		Optional<Inhibitions.Explanation> explained = inhibitions.explain(alert.getLabels(), this.causes.get(),
				this.incident.getId());
		if (explained.isPresent()) {
			if (opening || inhibition == InhibitionState.PENDING) {
				inhibit(explained.get(), alert);
			}
			return;
		}
		Optional<InhibitionRule> waits = inhibitions.mayWaitFor(alert.getLabels());
		if (opening && waits.isPresent()) {
			Instant until = this.now.plus(waits.get().grace());
			this.incident.setInhibition(InhibitionState.PENDING);
			this.incident.setInhibitionRule(waits.get().name());
			this.state.setInhibitionUntil(until);
			record(IncidentEventType.INHIBITION_PENDING, SYSTEM,
					"not paged yet: " + alert.getAlertname() + " may be a symptom of a cause not seen yet (rule "
							+ waits.get().name() + "): waiting " + words(waits.get().grace()),
					Map.of("rule", waits.get().name(), "until", until.toString()), null, alert);
		}
		else if (inhibition == InhibitionState.INHIBITED
				|| (inhibition == InhibitionState.PENDING && waits.isEmpty())) {
			endInhibition(alert.getAlertname() + " joined, which "
					+ ((inhibition == InhibitionState.INHIBITED) ? this.incident.getInhibitedBy() : "no cause")
					+ " explains", alert);
		}
	}

	private void inhibit(Inhibitions.Explanation explanation, AlertSummary alert) {
		this.incident.setInhibition(InhibitionState.INHIBITED);
		this.incident.setInhibitedBy(explanation.cause().incidentId());
		this.incident.setInhibitionRule(explanation.rule().name());
		this.state.setInhibitionUntil(null);
		record(IncidentEventType.INHIBITED, SYSTEM, "not paged: " + explanation.reason(),
				Map.of("cause", explanation.cause().incidentId(), "rule", explanation.rule().name()), null, alert);
	}

	/**
	 * An inhibition's time: a pending one whose grace ended is inhibited if a cause came,
	 * released if none did; an inhibited one whose cause resolved is released or
	 * resolved, as its rule says.
	 */
	private void reviewInhibition() {
		InhibitionState inhibition = this.incident.getInhibition();
		if (inhibition == InhibitionState.PENDING && this.state.getInhibitionUntil() != null
				&& !this.now.isBefore(this.state.getInhibitionUntil())) {
			Optional<Inhibitions.Explanation> explained = firingAlerts().findFirst()
				.flatMap((alert) -> this.policy.inhibitions()
					.explain(alert.getLabels(), this.causes.get(), this.incident.getId()));
			if (explained.isPresent()) {
				inhibit(explained.get(), null);
			}
			else {
				endInhibition("no cause arrived within the grace period of rule " + this.incident.getInhibitionRule(),
						null);
			}
		}
		else if (inhibition == InhibitionState.INHIBITED) {
			String cause = this.incident.getInhibitedBy();
			boolean open = this.causes.get().stream().anyMatch((candidate) -> candidate.incidentId().equals(cause));
			if (open) {
				return;
			}
			InhibitionRule rule = this.policy.inhibitions()
				.rules()
				.stream()
				.filter((candidate) -> candidate.name().equals(this.incident.getInhibitionRule()))
				.findFirst()
				.orElse(null);
			if (rule != null && rule.onCauseResolved() == InhibitionRule.OnCauseResolved.RESOLVE) {
				clearInhibition();
				resolve(SYSTEM, "its cause " + cause + " resolved (rule " + rule.name() + ")", null);
				return;
			}
			// A symptom's alerts lag its cause's (rate windows, for: clauses): its own
			// alerts have the rule's grace period to clear before it is handled on its
			// own.
			Duration grace = (rule != null) ? rule.grace() : Duration.ZERO;
			Instant releaseAt = this.state.getInhibitionUntil();
			if (releaseAt == null && !grace.isZero()) {
				this.state.setInhibitionUntil(this.now.plus(grace));
			}
			else if (releaseAt == null || !this.now.isBefore(releaseAt)) {
				endInhibition("its cause " + cause + " resolved"
						+ (grace.isZero() ? "" : " and its own alerts still fire " + grace.toSeconds() + "s later"),
						null);
			}
		}
	}

	/**
	 * Handled as any incident from now: its clocks start again, and automation has its
	 * turn (remediation-engine acts on the event, which carries an alert of the
	 * incident).
	 */
	private void endInhibition(String why, AlertSummary alert) {
		clearInhibition();
		AlertSummary firing = (alert != null) ? alert : firingAlerts().findFirst().orElse(null);
		record(IncidentEventType.INHIBITION_ENDED, SYSTEM, "handled on its own: " + why, Map.of(), null, firing);
		handleOnItsOwn();
	}

	/** A symptom no more: its clocks start now, and automation has its turn. */
	private void handleOnItsOwn() {
		AlertSummary firing = firingAlerts().findFirst().orElse(null);
		if (this.incident.getResponsePolicy() != null) {
			restartClock("as it is handled on its own", firing);
		}
		if (!responsePolicy().automationWindow().isZero() && this.incident.getStatus() == IncidentStatus.OPEN) {
			this.incident.setAutomation(AutomationState.WAITING);
			this.state.setAutomationUntil(this.now.plus(this.policy.automationGrace()));
		}
	}

	private void clearInhibition() {
		this.incident.setInhibition(InhibitionState.NONE);
		this.incident.setInhibitedBy(null);
		this.incident.setInhibitionRule(null);
		this.state.setInhibitionUntil(null);
	}

	private Stream<AlertSummary> firingAlerts() {
		return Stream.concat(this.incident.getRecentAlerts().stream(), this.incident.getFirstAlerts().stream())
			.filter((alert) -> alert.getStatus() == AlertStatus.FIRING);
	}

	/** The label an alert sets to {@code immediate} to go to L4 at once. */
	static final String ESCALATE_LABEL = "escalate";

	private static final String IMMEDIATE = "immediate";

	/** Sets the clock of a new incident, or shortens it for an alert that joins. */
	private void clock(AlertSummary alert, boolean opening, boolean joins) {
		ResponsePolicy candidate = this.policy.responses().policyFor(alert.getLabels(), alert.getSeverity());
		if (opening) {
			setClock(candidate, Clock.of(candidate, this.incident.getOpenedAt(), this.incident.getOpenedAt(),
					EscalationLevel.L1, this.policy.calendar()));
			boolean automation = !candidate.automationWindow().isZero();
			this.incident.setAutomation(automation ? AutomationState.WAITING : AutomationState.NONE);
			this.state.setAutomationUntil(automation ? this.now.plus(this.policy.automationGrace()) : null);
			record(IncidentEventType.ESCALATION_CLOCK_SET, SYSTEM,
					"escalation clock from the " + candidate.name() + " policy (" + alert.getAlertname() + "): "
							+ describe(candidate) + (automation ? "; automation first: a runbook has "
									+ words(this.policy.automationGrace()) + " to answer before people are paged" : ""),
					clockDetails(candidate), null, alert);
		}
		else {
			tighten(candidate, alert.getAlertname() + (joins ? " joined" : " is " + alert.getSeverity()), alert);
		}
		if (candidate.immediate() || IMMEDIATE.equals(alert.getLabels().get(ESCALATE_LABEL))) {
			endAutomation();
			escalateTo(EscalationLevel.L4, SYSTEM, alert.getAlertname() + " calls for emergency escalation ("
					+ (candidate.immediate() ? "the " + candidate.name() + " policy" : "escalate: immediate") + ")",
					null);
		}
	}

	/**
	 * Offers the incident another policy's clock, counted from now (when the alert
	 * joined, or the severity rose): each deadline becomes the earlier of the two, so a
	 * clock is shortened, never lengthened.
	 */
	private void tighten(ResponsePolicy candidate, String why, AlertSummary alert) {
		Clock current = currentClock();
		// Records of one incident may carry times a little out of order: never before its
		// opening.
		Instant from = latest(this.now, this.incident.getOpenedAt());
		Clock strictest = current
			.strictest(Clock.of(candidate, from, from, this.incident.getEscalationLevel(), this.policy.calendar()));
		if (!strictest.equals(current)) {
			setClock(candidate, strictest);
			record(IncidentEventType.ESCALATION_CLOCK_SET, SYSTEM, "escalation clock shortened: " + why + " (the "
					+ candidate.name() + " policy: " + describe(candidate) + ")", clockDetails(candidate), null, alert);
		}
	}

	private void setClock(ResponsePolicy responsePolicy, Clock clock) {
		this.incident.setResponsePolicy(responsePolicy.name());
		this.incident.setRespondBy(clock.respondBy());
		Map<String, Instant> deadlines = new TreeMap<>();
		clock.deadlines().forEach((level, at) -> deadlines.put(level.name(), at));
		this.state.setLevelDeadlines(deadlines);
	}

	private Clock currentClock() {
		Map<EscalationLevel, Instant> deadlines = new EnumMap<>(EscalationLevel.class);
		this.state.getLevelDeadlines().forEach((level, at) -> deadlines.put(EscalationLevel.valueOf(level), at));
		return new Clock(this.incident.getRespondBy(), deadlines);
	}

	/** The policy the incident runs on; its severity's fallback if that one is gone. */
	private ResponsePolicy responsePolicy() {
		return this.policy.responses()
			.named(this.incident.getResponsePolicy())
			.orElse(this.policy.responses().fallback().get(this.incident.getSeverity()));
	}

	/**
	 * What a policy's levels count from now: the opening, or the latest acknowledgement.
	 */
	private Instant base(ResponsePolicy responsePolicy) {
		return (responsePolicy.from() == ResponsePolicy.Base.ACKNOWLEDGED && this.incident.getAcknowledgedAt() != null)
				? this.incident.getAcknowledgedAt() : this.incident.getOpenedAt();
	}

	/**
	 * Lays the incident's policy on a new start, now: a reopening, the end of
	 * maintenance, or an acknowledgement (which leaves the response time, answered, as it
	 * was).
	 */
	private void restartClock(String why, AlertSummary alert) {
		ResponsePolicy responsePolicy = responsePolicy();
		Instant respondBy = this.incident.getRespondBy();
		setClock(responsePolicy, Clock.of(responsePolicy, this.now, this.now, this.incident.getEscalationLevel(),
				this.policy.calendar()));
		if (this.incident.getStatus() == IncidentStatus.ACKNOWLEDGED) {
			this.incident.setRespondBy(respondBy);
		}
		record(IncidentEventType.ESCALATION_CLOCK_SET, SYSTEM, "escalation clock restarts " + why + " (the "
				+ responsePolicy.name() + " policy: " + describe(responsePolicy) + ")", clockDetails(responsePolicy),
				null, alert);
	}

	private static String describe(ResponsePolicy policy) {
		StringBuilder text = new StringBuilder("respond within ").append(policy.responseTime());
		policy.levels().forEach((level, due) -> text.append(", ").append(level).append(' ').append(due.when()));
		if (policy.from() == ResponsePolicy.Base.ACKNOWLEDGED) {
			text.append(" (from the latest acknowledgement)");
		}
		if (policy.whileAcknowledged()) {
			text.append(", acknowledged or not");
		}
		return text.toString();
	}

	private Map<String, String> clockDetails(ResponsePolicy responsePolicy) {
		Map<String, String> details = new TreeMap<>();
		details.put("policy", responsePolicy.name());
		if (this.incident.getRespondBy() != null) {
			details.put("respondBy", this.incident.getRespondBy().toString());
		}
		this.state.getLevelDeadlines().forEach((level, at) -> details.put(level, at.toString()));
		return details;
	}

	/**
	 * Automation's turn ends: the engine did not say a runbook answers within the grace,
	 * or the runbook's window passed with the incident unresolved.
	 */
	private void automationTimesOut() {
		Instant until = this.state.getAutomationUntil();
		if (until == null || this.now.isBefore(until)) {
			return;
		}
		if (this.incident.getAutomation() == AutomationState.WAITING) {
			String none = "no runbook answered within " + words(this.policy.automationGrace());
			this.state.setAutomationTried(none);
			handOver(none, SYSTEM, null);
		}
		else if (this.incident.getAutomation() == AutomationState.RUNNING) {
			handOver("the automation window of " + words(responsePolicy().automationWindow())
					+ " passed with the incident unresolved", SYSTEM, null);
		}
	}

	/** Whether automation still has its turn: levels above L1 wait for it. */
	private boolean automationHolds() {
		AutomationState automation = this.incident.getAutomation();
		return (automation == AutomationState.WAITING || automation == AutomationState.RUNNING)
				&& this.state.getAutomationUntil() != null && this.now.isBefore(this.state.getAutomationUntil());
	}

	/** Whether nothing escalates now: resolved, answered, snoozed or in maintenance. */
	private boolean escalationHeld() {
		boolean snoozed = this.incident.getSnoozedUntil() != null && this.now.isBefore(this.incident.getSnoozedUntil());
		return escalationHeldForGood() || snoozed;
	}

	private void escalateWhenDue() {
		if (escalationHeld() || automationHolds()) {
			return;
		}
		EscalationLevel due = currentClock().due(this.incident.getEscalationLevel(), this.now);
		ResponsePolicy responsePolicy = responsePolicy();
		// Level by level, so that each level's people hear of it.
		while (this.incident.getEscalationLevel().ordinal() < due.ordinal()) {
			EscalationLevel next = EscalationLevel.values()[this.incident.getEscalationLevel().ordinal() + 1];
			Due delay = responsePolicy.levels().get(next);
			escalateTo(next, SYSTEM, next + ((delay != null) ? " " + delay.when() : " is due") + " on the "
					+ responsePolicy.name() + " policy's clock", null);
		}
	}

	/** Not acknowledged within the response time: the severity goes up once. */
	private void respondByPassed() {
		Instant respondBy = this.incident.getRespondBy();
		if (this.incident.getStatus() == IncidentStatus.OPEN && respondBy != null && !this.now.isBefore(respondBy)
				&& !this.incident.getInMaintenance() && !inhibited() && !automationHolds()
				&& raiseFor(UNACKNOWLEDGED)) {
			changeSeverity(SYSTEM, "not acknowledged within " + responsePolicy().responseTime() + " (the "
					+ responsePolicy().name() + " policy)", null, null);
		}
	}

	/** One level up, unless at L4 already. */
	private boolean escalate(Actor actor, String reason, String commandId) {
		EscalationLevel level = this.incident.getEscalationLevel();
		return level != EscalationLevel.L4
				&& escalateTo(EscalationLevel.values()[level.ordinal() + 1], actor, reason, commandId);
	}

	/** Up to a level; nothing when already there or above. */
	private boolean escalateTo(EscalationLevel level, Actor actor, String reason, String commandId) {
		EscalationLevel previous = this.incident.getEscalationLevel();
		if (level.ordinal() <= previous.ordinal()) {
			return false;
		}
		this.incident.setEscalationLevel(level);
		Map<String, String> details = new TreeMap<>(Map.of("previous", previous.name(), "level", level.name()));
		if (this.state.getAutomationTried() != null) {
			details.put("automation", this.state.getAutomationTried());
		}
		record(IncidentEventType.ESCALATED, actor, reason, details, commandId, null);
		return true;
	}

	/**
	 * The next time the incident's escalation needs a look: its next level's deadline, no
	 * sooner than the end of automation's turn or of a snooze while they hold it.
	 */
	private Instant nextEscalationDue() {
		if (isResolved()) {
			return null;
		}
		Instant next = currentClock().next(this.incident.getEscalationLevel());
		if (next != null && automationHolds()) {
			next = latest(next, this.state.getAutomationUntil());
		}
		if (next != null && this.incident.getSnoozedUntil() != null) {
			next = latest(next, this.incident.getSnoozedUntil());
		}
		return next;
	}

	private static Instant latest(Instant a, Instant b) {
		return a.isAfter(b) ? a : b;
	}

	private static String words(Duration duration) {
		return new Due.After(duration).toString();
	}

	/** Whether the state of this resolved incident has outlived its retention. */
	public boolean expired() {
		return isResolved() && !this.now.isBefore(this.incident.getResolvedAt().plus(this.policy.retention()));
	}

	/**
	 * When the incident next needs a review: its escalation, the end of its flapping, its
	 * next maintenance check while unresolved, or its expiry once resolved.
	 */
	public Instant nextReviewAt() {
		Instant next = isResolved() ? this.incident.getResolvedAt().plus(this.policy.retention())
				: this.now.plus(this.policy.reviewInterval());
		Instant escalation = nextEscalationDue();
		if (escalation != null) {
			next = earliest(next, escalation);
		}
		if (!isResolved() && this.state.getAutomationUntil() != null) {
			next = earliest(next, this.state.getAutomationUntil());
		}
		if (this.incident.getStatus() == IncidentStatus.OPEN && this.incident.getRespondBy() != null
				&& !this.state.getRaisedBy().contains(UNACKNOWLEDGED)) {
			next = earliest(next, this.incident.getRespondBy());
		}
		if (inhibited() && this.state.getInhibitionUntil() != null) {
			next = earliest(next, this.state.getInhibitionUntil());
		}
		if (this.incident.getInhibition() == InhibitionState.INHIBITED) {
			next = earliest(next, this.now.plus(CAUSE_CHECK));
		}
		if (this.incident.getFlapping() && this.state.getLastAlertChangeAt() != null) {
			next = earliest(next, this.state.getLastAlertChangeAt().plus(this.policy.flapping().quietPeriod()));
		}
		return next;
	}

	private static Instant earliest(Instant a, Instant b) {
		return a.isBefore(b) ? a : b;
	}

	/**
	 * Applies an operator's or a service's command.
	 * @throws RejectedInputException when the command cannot apply to the incident as it
	 * stands
	 */
	public void apply(IncidentCommand command) {
		Actor actor = command.getActor();
		String commandId = command.getCommandId();
		String note = (command.getComment() != null) ? command.getComment().getText() : null;
		switch (command.getType()) {
			case ACKNOWLEDGE -> acknowledge(actor, note, commandId);
			case RESOLVE -> {
				requireUnresolved(command);
				resolve(actor, (note != null) ? note : "resolved by " + actor.getName(), commandId);
			}
			case COMMENT -> {
				require(note != null, command, "needs a comment");
				record(IncidentEventType.COMMENTED, actor, note, Map.of(), commandId, null);
			}
			case ASSIGN -> assign(command);
			case APPROVE_REMEDIATION, REJECT_REMEDIATION -> decide(command);
			case REMEDIATION_OUTCOME -> remediation(command);
			case NOTIFICATION_OUTCOME -> notification(command);
			case ESCALATE -> escalateByHand(command, note);
			case CHANGE_SEVERITY -> changeSeverityByHand(command, note);
			case SNOOZE_ESCALATION -> snooze(command, note);
			case RELEASE_INHIBITION -> release(command, note);
			default -> throw new RejectedInputException("UNSUPPORTED_COMMAND",
					"command " + command.getType() + " does not apply to an incident");
		}
	}

	private void acknowledge(Actor actor, String note, String commandId) {
		if (this.incident.getStatus() == IncidentStatus.ACKNOWLEDGED) {
			return;
		}
		if (isResolved()) {
			throw new RejectedInputException("INCIDENT_RESOLVED",
					"incident " + this.incident.getId() + " is resolved; acknowledging it changes nothing");
		}
		this.incident.setStatus(IncidentStatus.ACKNOWLEDGED);
		this.incident.setAcknowledgedAt(this.now);
		this.incident.setAcknowledgedBy(actor.getName());
		record(IncidentEventType.ACKNOWLEDGED, actor, (note != null) ? note : "acknowledged by " + actor.getName(),
				Map.of(), commandId, null);
		// A person has it: automation's turn pages nobody now.
		endAutomation();
		if (responsePolicy().from() == ResponsePolicy.Base.ACKNOWLEDGED) {
			restartClock("at the acknowledgement", null);
		}
	}

	private void assign(IncidentCommand command) {
		require(command.getAssignment() != null, command, "needs an assignment");
		String assignee = command.getAssignment().getAssignee();
		this.incident.setAssignee(assignee);
		record(IncidentEventType.ASSIGNED, command.getActor(), "assigned to " + assignee, Map.of("assignee", assignee),
				command.getCommandId(), null);
	}

	private void decide(IncidentCommand command) {
		require(command.getDecision() != null, command, "needs a decision");
		boolean approved = command.getType() == CommandType.APPROVE_REMEDIATION;
		String remediationId = command.getDecision().getRemediationId();
		String reason = (command.getDecision().getReason() != null) ? command.getDecision().getReason()
				: (approved ? "approved" : "rejected") + " by " + command.getActor().getName();
		record(approved ? IncidentEventType.REMEDIATION_APPROVED : IncidentEventType.REMEDIATION_REJECTED,
				command.getActor(), reason, Map.of("remediationId", remediationId), command.getCommandId(), null);
	}

	private void remediation(IncidentCommand command) {
		require(command.getRemediation() != null, command, "needs a remediation outcome");
		RemediationOutcome outcome = command.getRemediation();
		IncidentEventType type = switch (outcome.getStatus()) {
			case STARTED -> IncidentEventType.REMEDIATION_STARTED;
			case SUCCEEDED -> IncidentEventType.REMEDIATION_SUCCEEDED;
			case FAILED -> IncidentEventType.REMEDIATION_FAILED;
			case SKIPPED -> IncidentEventType.REMEDIATION_SKIPPED;
			case AWAITING_APPROVAL -> IncidentEventType.REMEDIATION_AWAITING_APPROVAL;
			case OUTCOME_UNKNOWN -> IncidentEventType.REMEDIATION_OUTCOME_UNKNOWN;
			default -> throw new RejectedInputException("UNSUPPORTED_COMMAND",
					"remediation status " + outcome.getStatus() + " is not known to this version");
		};
		Map<String, String> details = new HashMap<>(outcome.getDetails());
		details.put("remediationId", outcome.getRemediationId());
		details.put("runbook", outcome.getRunbookId());
		details.put("attempt", Integer.toString(outcome.getAttempt()));
		details.put("dryRun", Boolean.toString(outcome.getDryRun()));
		putIfSet(details, "action", outcome.getAction());
		putIfSet(details, "target", outcome.getTarget());
		putIfSet(details, "durationMillis", outcome.getDurationMillis());
		attach(outcome.getFindings(), details);
		String reason = (outcome.getReason() != null) ? outcome.getReason()
				: "runbook " + outcome.getRunbookId() + ": " + outcome.getStatus();
		record(type, command.getActor(), reason, details, command.getCommandId(), null);
		automation(outcome, type, command);
		// The engine says when a failure is not final (it runs the action again) or its
		// runbook asks not to escalate.
		boolean escalates = !"true".equals(outcome.getDetails().get("retrying"))
				&& !"false".equals(outcome.getDetails().get("escalate"));
		if (escalates && (type == IncidentEventType.REMEDIATION_FAILED
				|| type == IncidentEventType.REMEDIATION_OUTCOME_UNKNOWN)) {
			String why = "remediation " + outcome.getRunbookId() + " "
					+ ((type == IncidentEventType.REMEDIATION_FAILED) ? "failed" : "has an unknown outcome");
			if (raiseFor(REMEDIATION_FAILED)) {
				changeSeverity(command.getActor(), why, command.getCommandId(), null);
			}
			escalate(command.getActor(), why, command.getCommandId());
		}
	}

	/** Findings by when they were collected, the newest first. */
	private static final Comparator<Finding> NEWEST_FIRST = Comparator.comparing(Finding::getCollectedAt).reversed();

	/**
	 * Attaches what a remediation's diagnostic steps found to the incident, newest first:
	 * a step's new finding replaces the one its remediation found before (a retried
	 * attempt refreshes it), and only the newest {@link AlertBounds#MAX_FINDINGS} are
	 * kept. The outcome's event says how many were found and, per step, what.
	 */
	private void attach(List<Finding> found, Map<String, String> details) {
		if (found.isEmpty()) {
			return;
		}
		Map<List<String>, Finding> byStep = new LinkedHashMap<>();
		found.stream()
			.map(AlertBounds::finding)
			.sorted(NEWEST_FIRST)
			.forEach((finding) -> byStep.putIfAbsent(stepOf(finding), finding));
		List<Finding> fresh = List.copyOf(byStep.values());
		this.incident.getFindings().forEach((earlier) -> byStep.putIfAbsent(stepOf(earlier), earlier));
		this.incident
			.setFindings(byStep.values().stream().sorted(NEWEST_FIRST).limit(AlertBounds.MAX_FINDINGS).toList());
		details.put("findings", Integer.toString(found.size()));
		fresh.stream()
			.limit(AlertBounds.MAX_FINDINGS)
			.forEach((finding) -> details.put("finding." + finding.getStep(), finding.getSummary()));
	}

	/** Which step of which remediation found it. */
	private static List<String> stepOf(Finding finding) {
		return List.of(finding.getRemediationId(), finding.getStep());
	}

	/**
	 * Automation first (seed 003's level 1): a runbook that starts, or waits for
	 * approval, holds paging until the policy's automation window ends; one that is
	 * skipped, fails for good or ends unknown hands the incident to people at once. A
	 * runbook that succeeds while the incident stays unresolved keeps the window running.
	 */
	private void automation(RemediationOutcome outcome, IncidentEventType type, IncidentCommand command) {
		this.state.setAutomationTried(tried(outcome, type));
		AutomationState automation = this.incident.getAutomation();
		if ((automation != AutomationState.WAITING && automation != AutomationState.RUNNING)
				|| this.incident.getInMaintenance() || inhibited()) {
			return;
		}
		boolean started = type == IncidentEventType.REMEDIATION_STARTED
				|| type == IncidentEventType.REMEDIATION_AWAITING_APPROVAL;
		if (started && automation == AutomationState.WAITING) {
			Instant until = this.incident.getOpenedAt().plus(responsePolicy().automationWindow());
			this.incident.setAutomation(AutomationState.RUNNING);
			this.state.setAutomationUntil(until);
			record(IncidentEventType.ESCALATION_CLOCK_SET, SYSTEM,
					"automation first: runbook " + outcome.getRunbookId() + " answers; people are paged at " + until
							+ " if the incident is still unresolved, or at once if the runbook fails",
					Map.of("automationUntil", until.toString()), command.getCommandId(), null);
			return;
		}
		boolean retrying = "true".equals(outcome.getDetails().get("retrying"));
		String why = switch (type) {
			case REMEDIATION_SKIPPED -> "runbook " + outcome.getRunbookId() + " was skipped";
			case REMEDIATION_OUTCOME_UNKNOWN -> "runbook " + outcome.getRunbookId() + " has an unknown outcome";
			// Not final, or its runbook says a failure is no reason to page: the window
			// runs on.
			case REMEDIATION_FAILED -> (retrying || "false".equals(outcome.getDetails().get("escalate"))) ? null
					: "runbook " + outcome.getRunbookId() + " failed";
			default -> null;
		};
		if (why != null) {
			handOver(why + ((outcome.getReason() != null) ? " (" + outcome.getReason() + ")" : ""), command.getActor(),
					command.getCommandId());
		}
	}

	/** What a remediation outcome says automation tried, in a line. */
	private static String tried(RemediationOutcome outcome, IncidentEventType type) {
		String what = switch (type) {
			case REMEDIATION_STARTED -> "started";
			case REMEDIATION_SUCCEEDED -> "succeeded";
			case REMEDIATION_FAILED -> "failed";
			case REMEDIATION_SKIPPED -> "was skipped";
			case REMEDIATION_AWAITING_APPROVAL -> "waits for approval";
			case REMEDIATION_OUTCOME_UNKNOWN -> "has an unknown outcome";
			default -> type.name();
		};
		return "runbook " + outcome.getRunbookId() + " " + what
				+ ((outcome.getReason() != null) ? " (" + outcome.getReason() + ")" : "");
	}

	/** Automation's turn is over and the incident unresolved: people are paged now. */
	private void handOver(String why, Actor actor, String commandId) {
		this.incident.setAutomation(AutomationState.ENDED);
		this.state.setAutomationUntil(null);
		record(IncidentEventType.AUTOMATION_ENDED, actor, why + ": people are paged", Map.of(), commandId, null);
	}

	/**
	 * Automation's turn ends without paging: the incident resolved, or an operator
	 * escalated.
	 */
	private void endAutomation() {
		if (this.incident.getAutomation() == AutomationState.WAITING
				|| this.incident.getAutomation() == AutomationState.RUNNING) {
			this.incident.setAutomation(AutomationState.ENDED);
			this.state.setAutomationUntil(null);
		}
	}

	private void escalateByHand(IncidentCommand command, String note) {
		requireUnresolved(command);
		EscalationLevel current = this.incident.getEscalationLevel();
		EscalationLevel level = (command.getEscalation() != null && command.getEscalation().getLevel() != null)
				? command.getEscalation().getLevel()
				: EscalationLevel.values()[Math.min(current.ordinal() + 1, EscalationLevel.L4.ordinal())];
		if (level.ordinal() <= current.ordinal()) {
			throw new RejectedInputException("ALREADY_ESCALATED", "incident " + this.incident.getId() + " is at "
					+ current + " already; escalating to " + level + " changes nothing");
		}
		endAutomation();
		escalateTo(level, command.getActor(),
				(note != null) ? note : "escalated to " + level + " by " + command.getActor().getName(),
				command.getCommandId());
	}

	private void changeSeverityByHand(IncidentCommand command, String note) {
		requireUnresolved(command);
		require(command.getSeverityChange() != null, command, "needs a severity");
		require(note != null, command, "needs a reason");
		Severity severity = command.getSeverityChange().getSeverity();
		if (severity == this.incident.getSeverity()) {
			throw new RejectedInputException("UNCHANGED",
					"incident " + this.incident.getId() + " is " + severity + " already");
		}
		this.state.setSeverityOverride(severity);
		changeSeverity(command.getActor(), note, command.getCommandId(), null);
	}

	/** The longest an operator may hold escalation. */
	public static final Duration MAX_SNOOZE = Duration.ofDays(7);

	private void snooze(IncidentCommand command, String note) {
		requireUnresolved(command);
		require(command.getSnooze() != null, command, "needs a time to snooze until");
		Instant until = command.getSnooze().getUntil();
		if (!until.isAfter(this.now) || until.isAfter(this.now.plus(MAX_SNOOZE))) {
			throw new RejectedInputException("INVALID_SNOOZE", "escalation can be snoozed until a time within the next "
					+ MAX_SNOOZE.toDays() + " days, not " + until);
		}
		this.incident.setSnoozedUntil(until);
		record(IncidentEventType.ESCALATION_SNOOZED, command.getActor(),
				"escalation snoozed until " + until + " by " + command.getActor().getName()
						+ ((note != null) ? ": " + note : ""),
				Map.of("until", until.toString()), command.getCommandId(), null);
	}

	/**
	 * An operator says the incident is no symptom: it is handled on its own from now, and
	 * no alert that joins it makes it one again. Nothing to do once it is not inhibited
	 * (its cause may have resolved meanwhile).
	 */
	private void release(IncidentCommand command, String note) {
		requireUnresolved(command);
		if (!inhibited()) {
			return;
		}
		String was = (this.incident.getInhibition() == InhibitionState.INHIBITED)
				? "inhibited by " + this.incident.getInhibitedBy() : "waiting for a cause";
		clearInhibition();
		record(IncidentEventType.INHIBITION_ENDED, command.getActor(),
				"handled on its own: released by " + command.getActor().getName() + " (" + was + ")"
						+ ((note != null) ? ": " + note : ""),
				Map.of(), command.getCommandId(), firingAlerts().findFirst().orElse(null));
		handleOnItsOwn();
	}

	private void notification(IncidentCommand command) {
		require(command.getNotification() != null, command, "needs a notification outcome");
		NotificationOutcome outcome = command.getNotification();
		IncidentEventType type = switch (outcome.getStatus()) {
			case SENT -> IncidentEventType.NOTIFICATION_SENT;
			case SUPPRESSED -> IncidentEventType.NOTIFICATION_SUPPRESSED;
			case FAILED -> IncidentEventType.NOTIFICATION_FAILED;
			default -> throw new RejectedInputException("UNSUPPORTED_COMMAND",
					"notification status " + outcome.getStatus() + " is not known to this version");
		};
		Map<String, String> details = new HashMap<>();
		details.put("channel", outcome.getChannel().name());
		details.put("eventSequence", Long.toString(outcome.getEventSequence()));
		details.put("attempts", Integer.toString(outcome.getAttempts()));
		putIfSet(details, "target", outcome.getTarget());
		putIfSet(details, "messageId", outcome.getMessageId());
		String reason = (outcome.getReason() != null) ? outcome.getReason()
				: outcome.getChannel() + " " + outcome.getStatus().name().toLowerCase(Locale.ROOT);
		record(type, command.getActor(), reason, details, command.getCommandId(), null);
	}

	private static void putIfSet(Map<String, String> details, String name, Object value) {
		if (value != null) {
			details.put(name, value.toString());
		}
	}

	private void requireUnresolved(IncidentCommand command) {
		if (isResolved()) {
			throw new RejectedInputException("INCIDENT_RESOLVED", "incident " + this.incident.getId()
					+ " is already resolved; " + command.getType() + " changes nothing");
		}
	}

	private static void require(boolean condition, IncidentCommand command, String what) {
		if (!condition) {
			throw new RejectedInputException("INCOMPLETE_COMMAND", command.getType() + " " + what);
		}
	}

	/**
	 * Bumps the version and records the change; its event is built by {@link #events()}.
	 */
	private void record(IncidentEventType type, Actor actor, String reason, Map<String, String> details,
			String commandId, AlertSummary alert) {
		long sequence = this.incident.getVersion() + 1;
		this.incident.setVersion(sequence);
		this.incident.setUpdatedAt(this.now);
		this.changes.add(new Change(sequence, type, actor, reason, details, commandId, alert));
	}

	/**
	 * The event of a change, with the incident as it stood after it: a copy for an
	 * earlier change of this update, the incident itself for the last (events are encoded
	 * as they are published, and the update is over by then).
	 */
	private IncidentEvent event(Change change) {
		Incident after = (change.sequence() == this.incident.getVersion()) ? this.incident
				: Incident.newBuilder(this.incident).setVersion(change.sequence()).build();
		return IncidentEvent.newBuilder()
			.setEventId(this.incident.getId() + ":" + change.sequence())
			.setIncidentId(this.incident.getId())
			.setSequence(change.sequence())
			.setType(change.type())
			.setOccurredAt(this.now)
			.setActor(change.actor())
			.setReason(change.reason())
			.setDetails(change.details())
			.setCommandId(change.commandId())
			.setAlert(change.alert())
			.setIncident(after)
			.build();
	}

	/** One recorded change, until it becomes an event. */
	private record Change(long sequence, IncidentEventType type, Actor actor, String reason,
			Map<String, String> details, String commandId, AlertSummary alert) {
	}

}
