package dev.firebreak.remediation.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.firebreak.platform.CommandOutbox;
import dev.firebreak.remediation.action.Action;
import dev.firebreak.remediation.action.ActionResult;
import dev.firebreak.remediation.action.PreparedAction;
import dev.firebreak.remediation.action.Template;
import dev.firebreak.remediation.runbook.Runbook;
import dev.firebreak.schemas.avro.AlertStatus;
import dev.firebreak.schemas.avro.AlertSummary;
import dev.firebreak.schemas.avro.Finding;
import dev.firebreak.schemas.avro.Incident;
import dev.firebreak.schemas.avro.IncidentCommand;
import dev.firebreak.schemas.avro.IncidentEvent;
import dev.firebreak.schemas.avro.Severity;

/**
 * Answers incident events with runbooks. An alert that fires (an incident opens, an alert
 * joins, fires again, or reopens the incident) is matched against the catalogue; each
 * matching runbook passes the {@link Guardrails}, is recorded as STARTED in PostgreSQL,
 * and only then runs, on a bounded pool. A successful action is verified by the alert's
 * resolution within the runbook's window. Every decision, skip and result becomes a
 * {@code REMEDIATION_OUTCOME} command through the outbox.
 */
public class RemediationEngine implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(RemediationEngine.class);

	private final Map<String, Runbook> runbooks = new LinkedHashMap<>();

	private final StepRunner steps;

	private final AttemptStore store;

	private final CommandOutbox publisher;

	private final Settings settings;

	private final Clock clock;

	private final MeterRegistry meters;

	/** The outcome detail that says which state of the incident the guardrails read. */
	static final String CHECKED_AGAINST = "checkedAgainst";

	private final String owner = UUID.randomUUID().toString();

	private final LatestIncidents latest;

	private final Semaphore permits;

	private final ExecutorService pool;

	private final AtomicInteger running = new AtomicInteger();

	/**
	 * The engine's own limits.
	 *
	 * @param dryRun every runbook in dry-run, whatever it says
	 * @param killSwitch no runbook runs, whatever the switch in the database says
	 * @param maxConcurrent actions running at once, at most; one more is skipped
	 * @param circuitFailures failures (and unknown outcomes) of one runbook within
	 * {@code circuitWindow} that disable it until an operator resets it
	 * @param circuitWindow see {@code circuitFailures}
	 * @param shutdownGrace how long closing waits for running actions
	 */
	public record Settings(boolean dryRun, boolean killSwitch, int maxConcurrent, int circuitFailures,
			Duration circuitWindow, Duration shutdownGrace) {

	}

	public RemediationEngine(List<Runbook> catalogue, List<Action> actions, AttemptStore store, CommandOutbox publisher,
			LatestIncidents latest, Settings settings, Clock clock, MeterRegistry meters) {
		this.latest = latest;
		catalogue.forEach((runbook) -> this.runbooks.put(runbook.id(), runbook));
		Map<String, Action> types = new LinkedHashMap<>();
		actions.forEach((action) -> types.put(action.type(), action));
		this.steps = new StepRunner(types, clock);
		this.store = store;
		this.publisher = publisher;
		this.settings = settings;
		this.clock = clock;
		this.meters = meters;
		this.permits = new Semaphore(settings.maxConcurrent());
		AtomicInteger threads = new AtomicInteger();
		this.pool = new ThreadPoolExecutor(settings.maxConcurrent(), settings.maxConcurrent(), 0, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), (task) -> {
					Thread thread = new Thread(task, "remediation-action-" + threads.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		meters.gauge("firebreak.remediation.running", this.running);
		Gauge.builder("firebreak.remediation.kill.switch", this, (engine) -> engine.killSwitch() ? 1 : 0)
			.description("1 while the kill switch is on (configuration or database): no runbook runs")
			.strongReference(true)
			.register(meters);
	}

	public List<Runbook> catalogue() {
		return List.copyOf(this.runbooks.values());
	}

	/** Actions running now. */
	public int running() {
		return this.running.get();
	}

	/**
	 * One incident event, in the incident's order. Idempotent: a redelivery changes
	 * nothing.
	 */
	public void handle(IncidentEvent event) {
		switch (event.getType()) {
			// The end of an inhibition hands the incident over as if it had just opened.
			case OPENED, ALERT_ADDED, REOPENED, INHIBITION_ENDED -> fired(event);
			case ALERT_UPDATED -> {
				if ("REFIRED".equals(event.getDetails().get("change"))) {
					fired(event);
				}
			}
			case ALERT_RESOLVED -> resolved(event);
			case REMEDIATION_APPROVED, REMEDIATION_REJECTED -> decided(event);
			default -> {
			}
		}
	}

	private void fired(IncidentEvent event) {
		AlertSummary alert = event.getAlert();
		if (alert == null || alert.getStatus() != AlertStatus.FIRING) {
			return;
		}
		for (Runbook runbook : this.runbooks.values()) {
			if (runbook.match().matches(alert.getLabels(), alert.getSeverity(), alert.getStatus())) {
				consider(event, alert, runbook);
			}
		}
		this.publisher.flush();
	}

	private void consider(IncidentEvent event, AlertSummary alert, Runbook runbook) {
		Incident incident = event.getIncident();
		String id = Attempt.id(event.getIncidentId(), event.getSequence(), runbook.id());
		if (this.store.exists(id)) {
			return;
		}
		Instant now = this.clock.instant();
		// Diagnostics only read: they run even in dry-run.
		boolean dryRun = (this.settings.dryRun() || runbook.guardrails().dryRun()) && !runbook.diagnosticOnly();
		Map<String, String> values = TemplateValues.of(alert, incident);
		Attempt attempt = new Attempt(id, event.getIncidentId(), event.getSequence(), runbook.id(),
				alert.getFingerprint(), null, 0, 0, Attempt.Status.SKIPPED, dryRun, values, null, null, null, now, null,
				null, null, null);
		List<PreparedAction> prepared;
		try {
			prepared = runbook.prepare(values, dryRun);
			attempt = attempt.targeting(runbook.target(values, prepared));
		}
		catch (Template.RejectedValueException ex) {
			create(attempt.with(Attempt.Status.SKIPPED, "not run: " + ex.getMessage(), now), runbook, null,
					Map.of("rejected", ex.reference()));
			return;
		}
		LatestIncidents.Known known = this.latest.newest(incident);
		Map<String, String> checked = Map.of(CHECKED_AGAINST, known.source());
		Optional<Guardrails.Refusal> refusal = Guardrails.refusal(runbook, known.flags(), attempt.target(),
				facts(attempt, false), now);
		if (refusal.isPresent() && !(refusal.get().diagnosticsMayRun() && runbook.hasDiagnostics())) {
			create(attempt.with(Attempt.Status.SKIPPED, refusal.get().reason(), now), runbook, null, checked);
		}
		else if (runbook.diagnosticOnly()) {
			gather(attempt, runbook, prepared, false, checked, (summary) -> "gathered evidence: " + summary);
		}
		else if (refusal.isPresent()) {
			String why = refusal.get().reason();
			gather(attempt, runbook, prepared, true, checked, (summary) -> why + "; its diagnostics ran: " + summary);
		}
		else if (dryRun) {
			gather(attempt, runbook, prepared, false, checked, (summary) -> "dry run: " + summary);
		}
		else if (runbook.guardrails().approvalRequired()) {
			create(attempt.with(Attempt.Status.AWAITING_APPROVAL,
					"waits for an operator: POST /api/v1/remediations/" + id + "/approve (or /reject)", now), runbook,
					null, checked);
		}
		else {
			start(attempt, runbook, prepared, false, checked);
		}
	}

	private Guardrails.Facts facts(Attempt attempt, boolean approved) {
		boolean killSwitch = this.settings.killSwitch() || this.store.killSwitch();
		String circuit = this.store.openCircuits().get(attempt.runbookId());
		return new Guardrails.Facts(killSwitch, circuit, this.store.attempts(attempt.incidentId(), attempt.runbookId()),
				this.store.lastStart(attempt.runbookId(), attempt.target()), approved);
	}

	/**
	 * Records the attempt as STARTED, then runs it on the pool.
	 * @param checked what the guardrails went by, for the outcome
	 */
	private void start(Attempt attempt, Runbook runbook, List<PreparedAction> prepared, boolean approved,
			Map<String, String> checked) {
		Instant now = this.clock.instant();
		if (!this.permits.tryAcquire()) {
			Attempt skipped = attempt.with(Attempt.Status.SKIPPED,
					this.settings.maxConcurrent()
							+ " actions are running, the most allowed at once (firebreak.remediation.max-concurrent)",
					now);
			if (approved) {
				transition(attempt.remediationId(), Attempt.Status.AWAITING_APPROVAL, skipped, runbook, null, Map.of());
			}
			else {
				create(skipped, runbook, null, Map.of());
			}
			return;
		}
		Attempt started;
		boolean recorded;
		try {
			started = attempt.started(this.owner, this.store.attempts(attempt.incidentId(), runbook.id()) + 1, now)
				.reasoned("running " + runbook.actionType() + " on " + attempt.target());
			recorded = approved ? transition(attempt.remediationId(), Attempt.Status.AWAITING_APPROVAL, started,
					runbook, null, checked) : create(started, runbook, null, checked);
		}
		catch (RuntimeException ex) {
			// The event is delivered again; its place must not be lost meanwhile.
			this.permits.release();
			throw ex;
		}
		if (!recorded) {
			this.permits.release();
			return;
		}
		this.publisher.flush();
		submit(started, runbook, prepared);
	}

	private void submit(Attempt started, Runbook runbook, List<PreparedAction> prepared) {
		background(runbook, prepared, started.remediationId(), false,
				"Could not record the end of an action; it is recovered at the next start",
				(ran) -> finish(started.remediationId(), runbook, ran));
	}

	/**
	 * Runs a runbook's steps on the pool (its permit taken), frees the place, then
	 * records what they did.
	 * @param unrecorded what the log says when recording fails
	 */
	private void background(Runbook runbook, List<PreparedAction> prepared, String remediationId,
			boolean diagnosticsOnly, String unrecorded, java.util.function.Consumer<StepRunner.Ran> record) {
		this.running.incrementAndGet();
		try {
			this.pool.execute(() -> run(runbook, prepared, remediationId, diagnosticsOnly, unrecorded, record));
		}
		catch (java.util.concurrent.RejectedExecutionException ex) {
			// Closing: the attempt is settled at the next start.
			this.running.decrementAndGet();
			this.permits.release();
		}
	}

	private void run(Runbook runbook, List<PreparedAction> prepared, String remediationId, boolean diagnosticsOnly,
			String unrecorded, java.util.function.Consumer<StepRunner.Ran> record) {
		StepRunner.Ran ran;
		try {
			ran = act(runbook, prepared, remediationId, diagnosticsOnly);
		}
		finally {
			// Free before recording, so that a retry can take the place.
			this.running.decrementAndGet();
			this.permits.release();
		}
		try {
			record.accept(ran);
		}
		catch (RuntimeException ex) {
			log.atError().setMessage(unrecorded).addKeyValue("remediationId", remediationId).setCause(ex).log();
		}
	}

	/**
	 * Runs a runbook that only reads, in the background: a diagnostic-only runbook, a dry
	 * run (its diagnostics for real), or only its diagnostic steps while a person is on
	 * the incident or it is in maintenance. It is recorded GATHERING first (a redelivered
	 * event finds it), and reported when it ends (a diagnostic-only runbook as run,
	 * SUCCEEDED; the others SKIPPED) with what it found; one interrupted by a crash is
	 * SKIPPED at the next start, never run again.
	 * @param reason what the timeline says, given the run's summary
	 */
	private void gather(Attempt attempt, Runbook runbook, List<PreparedAction> prepared, boolean diagnosticsOnly,
			Map<String, String> checked, java.util.function.UnaryOperator<String> reason) {
		if (!this.permits.tryAcquire()) {
			create(attempt.with(Attempt.Status.SKIPPED,
					this.settings.maxConcurrent()
							+ " actions are running, the most allowed at once (firebreak.remediation.max-concurrent)",
					this.clock.instant()), runbook, null, checked);
			return;
		}
		Attempt begun;
		try {
			begun = (runbook.diagnosticOnly() ? attempt.started(this.owner,
					this.store.attempts(attempt.incidentId(), runbook.id()) + 1, this.clock.instant()) : attempt)
				.owned(this.owner)
				.with(Attempt.Status.GATHERING, "gathering", this.clock.instant());
			if (!this.store.create(begun, null)) {
				this.permits.release();
				return;
			}
		}
		catch (RuntimeException ex) {
			this.permits.release();
			throw ex;
		}
		background(runbook, prepared, attempt.remediationId(), diagnosticsOnly,
				"Could not record what a runbook's diagnostics found", (ran) -> {
					Map<String, String> details = new LinkedHashMap<>(ran.result().details());
					details.putAll(checked);
					details.put("diagnostic", Boolean.toString(runbook.diagnosticOnly()));
					Attempt.Status status = runbook.diagnosticOnly() ? Attempt.Status.SUCCEEDED
							: Attempt.Status.SKIPPED;
					Attempt ended = begun.summarised(ran.result().summary())
						.with(status, reason.apply(ran.result().summary()), this.clock.instant());
					transition(begun.remediationId(), Attempt.Status.GATHERING, ended, runbook, ran.result().duration(),
							details, ran.findings());
					this.publisher.flush();
				});
	}

	/**
	 * What a runbook would do for a firing alert with these labels, without doing it:
	 * whether it answers the alert (and which matchers do not hold), the values its
	 * templates take or the one a pattern refuses, and its steps' dry run, which reads
	 * their targets and never changes them (diagnostic steps, which only read, run).
	 * Guardrails and the catalogue's dry-run setting are not consulted: this is the
	 * runbook alone.
	 * @param incidentId for {@code {{incident.id}}}
	 */
	public Trial tryRunbook(Runbook runbook, Map<String, String> labels, Severity severity, String incidentId) {
		Map<String, String> values = new LinkedHashMap<>();
		labels.forEach((name, value) -> values.put("labels." + name, value));
		values.put("incident.id", incidentId);
		values.put("incident.severity", severity.name());
		return trial(runbook, labels, severity, values, null);
	}

	/**
	 * The same for an incident the engine knows (from {@code firebreak.incidents}): on
	 * the first of its recent alerts that fire and that the runbook answers, else on its
	 * newest, with all the values the engine would give the runbook (annotations, the
	 * incident's title…).
	 * @return empty when the engine knows no such incident
	 */
	public Optional<Trial> tryRunbook(Runbook runbook, String incidentId) {
		return this.latest.find(incidentId)
			.filter((incident) -> !incident.getRecentAlerts().isEmpty())
			.map((incident) -> {
				List<AlertSummary> alerts = incident.getRecentAlerts();
				AlertSummary alert = alerts.stream()
					.filter((candidate) -> candidate.getStatus() == AlertStatus.FIRING && runbook.match()
						.matches(candidate.getLabels(), candidate.getSeverity(), candidate.getStatus()))
					.findFirst()
					.orElse(alerts.get(0));
				return trial(runbook, alert.getLabels(), alert.getSeverity(), TemplateValues.of(alert, incident),
						alert.getAlertname() + " (" + alert.getFingerprint() + ")");
			});
	}

	private Trial trial(Runbook runbook, Map<String, String> labels, Severity severity, Map<String, String> values,
			String alert) {
		List<String> mismatches = runbook.match().mismatches(labels, severity);
		// Diagnostics read for real only for an alert the runbook answers, with the kill
		// switch off and a place free, as the engine would run them.
		String unread = !mismatches.isEmpty() ? "the runbook does not answer this alert"
				: killSwitch() ? "the kill switch is on"
						: !this.permits.tryAcquire() ? "no place is free (firebreak.remediation.max-concurrent)" : null;
		try {
			List<PreparedAction> prepared;
			try {
				prepared = (unread == null) ? runbook.prepare(values, true) : runbook.rehearse(values);
			}
			catch (Template.RejectedValueException ex) {
				return new Trial(alert, mismatches, Map.of(), null, false, "not run: " + ex.getMessage(), Map.of(),
						ex.reference());
			}
			return trial(runbook, values, prepared, alert, mismatches, unread);
		}
		finally {
			if (unread == null) {
				this.permits.release();
			}
		}
	}

	private Trial trial(Runbook runbook, Map<String, String> values, List<PreparedAction> prepared, String alert,
			List<String> mismatches, String unread) {
		String target = runbook.target(values, prepared);
		ActionResult run = this.steps.run(runbook, prepared, "trial", false).result();
		Map<String, String> details = new java.util.TreeMap<>(run.details());
		if (unread != null && runbook.hasDiagnostics()) {
			details.put("diagnostics", "not run for real: " + unread);
		}
		ActionResult result = new ActionResult(run.succeeded(), run.summary(), details, run.duration());
		Map<String, String> action = new java.util.TreeMap<>();
		for (int i = 0; i < prepared.size(); i++) {
			String prefix = (prepared.size() == 1) ? "" : runbook.steps().get(i).name() + ".";
			prepared.get(i).values().forEach((name, value) -> action.put(prefix + name, value));
		}
		return new Trial(alert, mismatches,
				new java.util.TreeMap<>(
						new ActionResult(true, "", action, Duration.ZERO).masked(runbook.secrets()).details()),
				target, result.succeeded(), result.summary(), result.details(), null);
	}

	/**
	 * What trying a runbook found.
	 *
	 * @param alert the incident's alert it was tried on ({@code APIDown (fingerprint)}),
	 * when tried on an incident
	 * @param mismatches why it does not answer the alert; empty when it does
	 * @param action its parameters with the alert's values put in (secrets masked); with
	 * more than one step, each named by its step ({@code health.url})
	 * @param target what it is aimed at, for the cooldown
	 * @param wouldSucceed whether its action's dry run succeeded
	 * @param summary its steps' dry run (diagnostic steps for real, since they only
	 * read), or why it would not run
	 * @param details their dry-run details
	 * @param rejected the value a pattern refused ({@code labels.service}), if any
	 */
	public record Trial(String alert, List<String> mismatches, Map<String, String> action, String target,
			boolean wouldSucceed, String summary, Map<String, String> details, String rejected) {

		public boolean matches() {
			return this.mismatches.isEmpty();
		}

	}

	/** Runs a runbook's steps and counts the run; an operator's trial is not counted. */
	private StepRunner.Ran act(Runbook runbook, List<PreparedAction> prepared, String remediationId,
			boolean diagnosticsOnly) {
		StepRunner.Ran ran = this.steps.run(runbook, prepared, remediationId, diagnosticsOnly);
		Timer.builder("firebreak.remediation.action.duration")
			.tag("runbook", runbook.id())
			.tag("succeeded", Boolean.toString(ran.result().succeeded()))
			.tag("dryRun", Boolean.toString(prepared.stream().anyMatch(PreparedAction::dryRun)))
			.register(this.meters)
			.record(ran.result().duration());
		return ran;
	}

	/**
	 * Records the end of a run: VERIFYING (reported only when diagnostics found
	 * something, so that it reaches the incident at once), SUCCEEDED when the alert
	 * resolved meanwhile, or a failure.
	 */
	private void finish(String remediationId, Runbook runbook, StepRunner.Ran ran) {
		Instant now = this.clock.instant();
		ActionResult result = ran.result();
		if (result.succeeded()) {
			this.store.update(remediationId, (current) -> {
				if (current.status() != Attempt.Status.STARTED) {
					return Optional.empty();
				}
				Duration took = Duration.between(current.startedAt(), now);
				if (current.resolvedAt() == null) {
					Instant deadline = now.plus(runbook.verificationWindow());
					Attempt verifying = current.verifying(result.summary(), deadline)
						.reasoned("ran; the alert has until " + deadline + " to resolve: " + result.summary());
					// Still STARTED to the incident: the phase says its steps are done.
					Map<String, String> details = new LinkedHashMap<>(result.details());
					details.put("phase", "verifying");
					return Optional.of(new AttemptStore.Change(verifying, ran.findings().isEmpty() ? List.of()
							: List.of(reported(verifying, runbook, took, details, ran.findings()))));
				}
				Attempt next = current.summarised(result.summary())
					.with(Attempt.Status.SUCCEEDED, "the alert resolved while the action ran: " + result.summary(),
							now);
				return Optional
					.of(new AttemptStore.Change(next, reported(next, runbook, took, result.details(), ran.findings())));
			});
		}
		else {
			fail(remediationId, runbook, Attempt.Status.STARTED, "the action failed: " + result.summary(),
					result.summary(), result.details(), ran.findings(), now);
		}
		this.publisher.flush();
	}

	/**
	 * Records a failure of the action or of its verification: FAILED, and either a retry
	 * at once (the runbook's {@code onFailure.retry}, within {@code maxAttempts}, while
	 * the kill switch is off and the circuit closed) or the final failure, which
	 * escalates the incident unless {@code onFailure.escalate} is false.
	 */
	private void fail(String remediationId, Runbook runbook, Attempt.Status from, String reason, String summary,
			Map<String, String> facts, List<Finding> findings, Instant now) {
		String circuit = (runbook != null) ? circuitAfterOneMoreFailure(runbook, now) : null;
		boolean permit = runbook != null && runbook.onFailure().retry() > 0 && circuit == null && !killSwitch()
				&& this.permits.tryAcquire();
		Optional<Attempt> after = this.store.update(remediationId, (current) -> {
			if (current.status() != from) {
				return Optional.empty();
			}
			boolean retry = permit && current.retries() < runbook.onFailure().retry()
					&& current.attempt() < runbook.guardrails().maxAttempts();
			Map<String, String> details = new LinkedHashMap<>(facts);
			String why = reason;
			if (circuit != null) {
				why += "; runbook disabled by its circuit breaker: " + circuit;
				details.put("circuit", "open");
			}
			if (retry) {
				why += "; running it again (attempt " + (current.attempt() + 1) + ")";
				details.put("retrying", "true");
			}
			else if (runbook != null && !runbook.onFailure().escalate()) {
				why += "; not escalated (onFailure.escalate: false)";
				details.put("escalate", "false");
			}
			Attempt failed = current.summarised(summary).with(Attempt.Status.FAILED, why, now);
			IncidentCommand failure = reported(failed, runbook, Duration.between(current.startedAt(), now), details,
					findings);
			if (!retry) {
				return Optional.of(new AttemptStore.Change(failed, failure));
			}
			Attempt again = failed.retried(now);
			return Optional
				.of(new AttemptStore.Change(again, List.of(failure, reported(again, runbook, null, Map.of()))));
		});
		boolean retried = after.filter((attempt) -> attempt.status() == Attempt.Status.STARTED).isPresent();
		if (retried) {
			this.publisher.flush();
			submit(after.get(), runbook, runbook.prepare(after.get().values(), after.get().dryRun()));
		}
		else if (permit) {
			this.permits.release();
		}
		if (circuit != null && after.filter((attempt) -> attempt.status() == Attempt.Status.FAILED).isPresent()) {
			openCircuit(runbook, circuit);
		}
	}

	private void resolved(IncidentEvent event) {
		AlertSummary alert = event.getAlert();
		if (alert == null) {
			return;
		}
		Instant at = event.getOccurredAt();
		for (String id : this.store.open(event.getIncidentId(), alert.getFingerprint())) {
			this.store.update(id, (current) -> {
				if (current.status() != Attempt.Status.VERIFYING) {
					return Optional.of(new AttemptStore.Change(current.resolved(at), List.of()));
				}
				Duration took = Duration.between(current.startedAt(), at);
				Attempt next = current.resolved(at)
					.with(Attempt.Status.SUCCEEDED, "verified: the alert resolved " + words(took)
							+ " after the action started (" + current.actionSummary() + ")", this.clock.instant());
				return Optional.of(new AttemptStore.Change(next, reported(next, runbook(current), took,
						Map.of("verifiedAfterMillis", Long.toString(took.toMillis())))));
			});
		}
		this.publisher.flush();
	}

	private void decided(IncidentEvent event) {
		String id = event.getDetails().get("remediationId");
		Optional<Attempt> found = (id != null) ? this.store.find(id) : Optional.empty();
		if (found.isEmpty() || found.get().status() != Attempt.Status.AWAITING_APPROVAL) {
			return;
		}
		Attempt attempt = found.get();
		Runbook runbook = this.runbooks.get(attempt.runbookId());
		Instant now = this.clock.instant();
		String by = event.getActor().getName();
		if (event.getType() == dev.firebreak.schemas.avro.IncidentEventType.REMEDIATION_REJECTED) {
			transition(id, Attempt.Status.AWAITING_APPROVAL,
					attempt.with(Attempt.Status.REJECTED, "rejected by " + by, now), runbook, null, null);
			return;
		}
		Optional<String> refusal;
		List<PreparedAction> prepared = null;
		Map<String, String> checked = Map.of();
		if (runbook == null) {
			refusal = Optional.of("runbook " + attempt.runbookId() + " is no longer in the catalogue");
		}
		else if (attempt.resolvedAt() != null) {
			refusal = Optional.of("the alert resolved before the approval");
		}
		else {
			prepared = runbook.prepare(attempt.values(), attempt.dryRun());
			LatestIncidents.Known known = this.latest.newest(event.getIncident());
			checked = Map.of(CHECKED_AGAINST, known.source());
			refusal = Guardrails.refusal(runbook, known.flags(), attempt.target(), facts(attempt, true), now)
				.map(Guardrails.Refusal::reason);
		}
		if (refusal.isPresent()) {
			transition(id, Attempt.Status.AWAITING_APPROVAL,
					attempt.with(Attempt.Status.SKIPPED, "approved by " + by + " but not run: " + refusal.get(), now),
					runbook, null, checked);
			this.publisher.flush();
			return;
		}
		start(attempt.reasoned("approved by " + by), runbook, prepared, true, checked);
	}

	/**
	 * Settles what an earlier run of the engine left STARTED: an idempotent action runs
	 * again; any other is reported OUTCOME_UNKNOWN (and the incident escalates), since it
	 * may or may not have acted.
	 */
	public void recover() {
		for (Attempt attempt : this.store.interrupted(this.owner)) {
			Runbook runbook = this.runbooks.get(attempt.runbookId());
			Instant now = this.clock.instant();
			if (attempt.status() == Attempt.Status.GATHERING) {
				// It only read: nothing to settle, and nothing to run again.
				transition(attempt.remediationId(), Attempt.Status.GATHERING,
						attempt.with(Attempt.Status.SKIPPED,
								"the engine stopped while the runbook's diagnostics ran; not run again", now),
						runbook, null, Map.of());
				continue;
			}
			if (runbook != null && runbook.guardrails().idempotent() && this.permits.tryAcquire()) {
				Optional<Attempt> taken = this.store.update(attempt.remediationId(),
						(current) -> (current.status() == Attempt.Status.STARTED)
								? Optional.of(new AttemptStore.Change(
										current.started(this.owner, current.attempt(), now)
											.reasoned("run again after a restart: the action is idempotent"),
										List.of()))
								: Optional.empty());
				if (taken.isPresent() && this.owner.equals(taken.get().owner())) {
					log.atInfo()
						.setMessage("Running an interrupted idempotent action again")
						.addKeyValue("remediationId", attempt.remediationId())
						.log();
					submit(taken.get(), runbook, runbook.prepare(attempt.values(), attempt.dryRun()));
				}
				else {
					this.permits.release();
				}
				continue;
			}
			String circuit = (runbook != null) ? circuitAfterOneMoreFailure(runbook, now) : null;
			Attempt unknown = attempt.with(
					Attempt.Status.OUTCOME_UNKNOWN, "the engine stopped while the action ran (started "
							+ attempt.startedAt() + "); not run again: the runbook does not mark its action idempotent",
					now);
			if (transition(attempt.remediationId(), Attempt.Status.STARTED, unknown, runbook,
					Duration.between(attempt.startedAt(), now), Map.of()) && circuit != null) {
				openCircuit(runbook, circuit);
			}
		}
		this.publisher.flush();
	}

	/** Fails the verifications whose window has passed, and publishes what is pending. */
	public void sweep() {
		Instant now = this.clock.instant();
		for (String id : this.store.verificationExpired(now)) {
			Optional<Attempt> found = this.store.find(id);
			if (found.isEmpty() || found.get().verifyDeadline().isAfter(now)) {
				continue;
			}
			Attempt attempt = found.get();
			Duration window = Duration.between(attempt.startedAt(), attempt.verifyDeadline());
			fail(id, this.runbooks.get(attempt.runbookId()), Attempt.Status.VERIFYING,
					"verification: the alert still fires " + words(window) + " after the action ("
							+ attempt.actionSummary() + ")",
					attempt.actionSummary(), Map.of("verification", "failed"), List.of(), now);
		}
		this.publisher.flush();
	}

	/** Why the circuit opens if the runbook fails once more now, or {@code null}. */
	private String circuitAfterOneMoreFailure(Runbook runbook, Instant now) {
		Runbook.Guardrails rails = runbook.guardrails();
		int threshold = (rails.circuitFailures() != null) ? rails.circuitFailures() : this.settings.circuitFailures();
		Duration window = (rails.circuitWindow() != null) ? rails.circuitWindow() : this.settings.circuitWindow();
		int failures = this.store.failuresSince(runbook.id(), now.minus(window)) + 1;
		if (failures < threshold || this.store.openCircuits().containsKey(runbook.id())) {
			return null;
		}
		return failures + " failures within " + words(window);
	}

	private void openCircuit(Runbook runbook, String reason) {
		this.store.setCircuit(runbook.id(), true, reason, "circuit-breaker");
		this.meters.counter("firebreak.remediation.circuit.opened", "runbook", runbook.id()).increment();
		log.atWarn()
			.setMessage("Runbook disabled by its circuit breaker")
			.addKeyValue("runbook", runbook.id())
			.addKeyValue("reason", reason)
			.log();
	}

	/** Closes a runbook's circuit breaker: its failures so far no longer count. */
	public void resetCircuit(String runbookId, String by) {
		this.store.setCircuit(runbookId, false, "reset by " + by, by);
	}

	public Map<String, String> openCircuits() {
		return this.store.openCircuits();
	}

	public void setKillSwitch(boolean on, String by) {
		this.store.setKillSwitch(on, by);
		log.atWarn().setMessage("Kill switch changed").addKeyValue("on", on).addKeyValue("by", by).log();
	}

	/** Who flipped the kill switch at run time last, if anyone did. */
	public Optional<String> killSwitchChangedBy() {
		return this.store.killSwitchChangedBy();
	}

	public boolean killSwitch() {
		return this.settings.killSwitch() || this.store.killSwitch();
	}

	private boolean create(Attempt attempt, Runbook runbook, Duration duration, Map<String, String> details) {
		return this.store.create(attempt, reported(attempt, runbook, duration, details));
	}

	private boolean transition(String id, Attempt.Status from, Attempt next, Runbook runbook, Duration duration,
			Map<String, String> details) {
		return transition(id, from, next, runbook, duration, details, List.of());
	}

	private boolean transition(String id, Attempt.Status from, Attempt next, Runbook runbook, Duration duration,
			Map<String, String> details, List<Finding> findings) {
		Optional<Attempt> after = this.store.update(id,
				(current) -> (current.status() == from)
						? Optional.of(new AttemptStore.Change(next,
								(details != null) ? reported(next, runbook, duration, details, findings) : null))
						: Optional.empty());
		return after.filter((attempt) -> attempt.status() == next.status()).isPresent();
	}

	private IncidentCommand reported(Attempt attempt, Runbook runbook, Duration duration, Map<String, String> details) {
		return reported(attempt, runbook, duration, details, List.of());
	}

	private IncidentCommand reported(Attempt attempt, Runbook runbook, Duration duration, Map<String, String> details,
			List<Finding> findings) {
		// A run that ended and waits for its verification was counted when it started.
		if (attempt.status() != Attempt.Status.VERIFYING) {
			this.meters
				.counter("firebreak.remediation.outcomes", "runbook", attempt.runbookId(), "status",
						attempt.status().reported().name(), "dryRun", Boolean.toString(attempt.dryRun()))
				.increment();
		}
		String type = (runbook != null) ? runbook.actionType() : null;
		return Outcomes.of(attempt, type, duration, details, findings, this.clock.instant());
	}

	private Runbook runbook(Attempt attempt) {
		return this.runbooks.get(attempt.runbookId());
	}

	private static String words(Duration duration) {
		return duration.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
			.toString()
			.substring(2)
			.toLowerCase(java.util.Locale.ROOT);
	}

	/**
	 * Stops taking actions and waits a while for those running; the rest are recovered at
	 * the next start.
	 */
	@Override
	public void close() {
		this.pool.shutdown();
		try {
			if (!this.pool.awaitTermination(this.settings.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
				log.atWarn()
					.setMessage("Actions still running at shutdown; they are settled at the next start")
					.addKeyValue("running", this.running.get())
					.log();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
