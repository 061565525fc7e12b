package dev.firebreak.remediation.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

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
 *
 * <p>
 * Engines may share one database. An attempt an engine runs is leased to it and renewed
 * while it runs; only the engine that owns an attempt records its end, and an engine that
 * lost one (it stalled past its lease and another took it over) runs no further step of
 * it. {@code max-concurrent} and the cooldown hold for all engines together.
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

	private final ExecutorService pool;

	private final AtomicInteger running = new AtomicInteger();

	/**
	 * The attempts this engine runs now, with how many runs of each are under way (a
	 * retry is submitted before the run that failed has returned): their leases are
	 * renewed, and they are never taken over by this engine itself.
	 */
	private final Map<String, Integer> leased = new ConcurrentHashMap<>();

	/**
	 * The engine's own limits.
	 *
	 * @param dryRun every runbook in dry-run, whatever it says
	 * @param killSwitch no runbook runs, whatever the switch in the database says
	 * @param maxConcurrent actions running at once on all engines together, at most; one
	 * more is skipped
	 * @param circuitFailures failures (and unknown outcomes) of one runbook within
	 * {@code circuitWindow} that disable it until an operator resets it
	 * @param circuitWindow see {@code circuitFailures}
	 * @param shutdownGrace how long closing waits for running actions
	 * @param lease how long an attempt stays this engine's without a renewal; renewed
	 * every third of it, and before each step
	 */
	public record Settings(boolean dryRun, boolean killSwitch, int maxConcurrent, int circuitFailures,
			Duration circuitWindow, Duration shutdownGrace, Duration lease) {

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
		Optional<Attempt> started = this.store.admitting(() -> admit(attempt, runbook, approved, checked));
		// Submitted before the flush, which may wait for the broker: its lease is renewed
		// from now on. The outcomes keep their order in the outbox.
		started.ifPresent((next) -> submit(next, runbook, prepared));
		this.publisher.flush();
	}

	/**
	 * Under the admission lock, the limits that hold for all engines together: records
	 * the attempt STARTED, or SKIPPED when {@code max-concurrent} actions run already or
	 * the target's cooldown has not passed (another engine may have started on it since
	 * the guardrails looked).
	 * @return the attempt started, if it was
	 */
	private Optional<Attempt> admit(Attempt attempt, Runbook runbook, boolean approved, Map<String, String> checked) {
		Instant now = this.clock.instant();
		Optional<String> full = full();
		Optional<String> cooling = Guardrails
			.cooldown(runbook, attempt.target(), this.store.lastStart(runbook.id(), attempt.target()), now)
			.map(Guardrails.Refusal::reason);
		Attempt next = full.or(() -> cooling)
			.map((reason) -> attempt.with(Attempt.Status.SKIPPED, reason, now))
			.orElseGet(
					() -> attempt.started(this.owner, this.store.attempts(attempt.incidentId(), runbook.id()) + 1, now)
						.reasoned("running " + runbook.actionType() + " on " + attempt.target()));
		Map<String, String> details = full.isPresent() ? Map.of() : checked;
		boolean recorded = approved
				? transition(attempt.remediationId(), Attempt.Status.AWAITING_APPROVAL, next, runbook, null, details)
				: create(next, runbook, null, details);
		return (recorded && next.status() == Attempt.Status.STARTED) ? Optional.of(next) : Optional.empty();
	}

	/**
	 * Why no further run fits, when {@code max-concurrent} run already on all engines.
	 */
	private Optional<String> full() {
		return (this.store.running() < this.settings.maxConcurrent()) ? Optional.empty()
				: Optional.of(this.settings.maxConcurrent()
						+ " actions are running, the most allowed at once (firebreak.remediation.max-concurrent)");
	}

	private void submit(Attempt started, Runbook runbook, List<PreparedAction> prepared) {
		background(runbook, prepared, started.remediationId(), false,
				"Could not record the end of an action; it is taken over once its lease runs out",
				(ran) -> finish(started.remediationId(), runbook, ran));
	}

	/**
	 * Runs a runbook's steps on the pool, its lease renewed meanwhile, then records what
	 * they did, unless another engine took the attempt over.
	 * @param unrecorded what the log says when recording fails
	 */
	private void background(Runbook runbook, List<PreparedAction> prepared, String remediationId,
			boolean diagnosticsOnly, String unrecorded, java.util.function.Consumer<StepRunner.Ran> record) {
		this.running.incrementAndGet();
		this.leased.merge(remediationId, 1, Integer::sum);
		try {
			this.pool.execute(() -> run(runbook, prepared, remediationId, diagnosticsOnly, unrecorded, record));
		}
		catch (java.util.concurrent.RejectedExecutionException ex) {
			// Closing: once its lease runs out, an engine takes the attempt over.
			this.running.decrementAndGet();
			unlease(remediationId);
		}
	}

	private void run(Runbook runbook, List<PreparedAction> prepared, String remediationId, boolean diagnosticsOnly,
			String unrecorded, java.util.function.Consumer<StepRunner.Ran> record) {
		try {
			StepRunner.Ran ran;
			try {
				ran = act(runbook, prepared, remediationId, diagnosticsOnly);
			}
			finally {
				this.running.decrementAndGet();
			}
			if (ran.lost()) {
				lost(remediationId);
				return;
			}
			record.accept(ran);
		}
		catch (RuntimeException ex) {
			log.atError().setMessage(unrecorded).addKeyValue("remediationId", remediationId).setCause(ex).log();
		}
		finally {
			unlease(remediationId);
		}
	}

	private void unlease(String remediationId) {
		this.leased.computeIfPresent(remediationId, (id, runs) -> (runs > 1) ? runs - 1 : null);
	}

	/**
	 * Runs a runbook that only reads, in the background: a diagnostic-only runbook, a dry
	 * run (its diagnostics for real), or only its diagnostic steps while a person is on
	 * the incident or it is in maintenance. It is recorded GATHERING first (a redelivered
	 * event finds it), and reported when it ends (a diagnostic-only runbook as run,
	 * SUCCEEDED; the others SKIPPED) with what it found; one interrupted by a crash is
	 * SKIPPED by the engine that takes it over, never run again.
	 * @param reason what the timeline says, given the run's summary
	 */
	private void gather(Attempt attempt, Runbook runbook, List<PreparedAction> prepared, boolean diagnosticsOnly,
			Map<String, String> checked, java.util.function.UnaryOperator<String> reason) {
		Optional<Attempt> admitted = this.store.admitting(() -> {
			Optional<String> full = full();
			if (full.isPresent()) {
				create(attempt.with(Attempt.Status.SKIPPED, full.get(), this.clock.instant()), runbook, null, checked);
				return Optional.<Attempt>empty();
			}
			Attempt gathering = (runbook.diagnosticOnly() ? attempt.started(this.owner,
					this.store.attempts(attempt.incidentId(), runbook.id()) + 1, this.clock.instant()) : attempt)
				.owned(this.owner)
				.with(Attempt.Status.GATHERING, "gathering", this.clock.instant());
			return this.store.create(gathering, null) ? Optional.of(gathering) : Optional.<Attempt>empty();
		});
		if (admitted.isEmpty()) {
			return;
		}
		Attempt begun = admitted.get();
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
						: full().isPresent() ? "no place is free (firebreak.remediation.max-concurrent)" : null;
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
		StepRunner.Ran ran = this.steps.run(runbook, prepared, remediationId, diagnosticsOnly,
				() -> holds(remediationId));
		Timer.builder("firebreak.remediation.action.duration")
			.tag("runbook", runbook.id())
			.tag("succeeded", Boolean.toString(ran.result().succeeded()))
			.tag("dryRun", Boolean.toString(prepared.stream().anyMatch(PreparedAction::dryRun)))
			.register(this.meters)
			.record(ran.result().duration());
		return ran;
	}

	/**
	 * Renews the attempt's lease before a step.
	 * @return whether this engine still holds it; when that cannot be told (PostgreSQL is
	 * away), no, so that no further step runs on an attempt another engine may own
	 */
	private boolean holds(String remediationId) {
		try {
			return this.store.renew(remediationId, this.owner);
		}
		catch (RuntimeException ex) {
			log.atWarn()
				.setMessage("Could not renew the lease of a running attempt; running no further step")
				.addKeyValue("remediationId", remediationId)
				.addKeyValue("error", ex.toString())
				.log();
			return false;
		}
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
			change(remediationId, Attempt.Status.STARTED, (current) -> {
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
		boolean mayRetry = runbook != null && runbook.onFailure().retry() > 0 && circuit == null && !killSwitch();
		Function<Attempt, Optional<AttemptStore.Change>> failing = (current) -> {
			if (current.status() != from) {
				return Optional.empty();
			}
			// A failed action's retry keeps its place; a failed verification's needs one.
			boolean retry = mayRetry && current.retries() < runbook.onFailure().retry()
					&& current.attempt() < runbook.guardrails().maxAttempts()
					&& (from == Attempt.Status.STARTED || full().isEmpty());
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
			Attempt again = failed.retried(this.owner, now);
			return Optional
				.of(new AttemptStore.Change(again, List.of(failure, reported(again, runbook, null, Map.of()))));
		};
		Optional<Attempt> after = (from == Attempt.Status.VERIFYING && mayRetry)
				? this.store.admitting(() -> change(remediationId, from, failing))
				: change(remediationId, from, failing);
		boolean retried = after.filter((attempt) -> attempt.status() == Attempt.Status.STARTED).isPresent();
		if (retried) {
			submit(after.get(), runbook, runbook.prepare(after.get().values(), after.get().dryRun()));
			this.publisher.flush();
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
	 * Takes over the attempts whose engine stopped renewing their lease (it crashed,
	 * stopped or stalled, or they are from before leases) and settles them: an idempotent
	 * action runs again, if a place is free; any other is reported OUTCOME_UNKNOWN (and
	 * the incident escalates), since it may or may not have acted; diagnostics that were
	 * gathering are SKIPPED. An attempt a live engine runs is never touched. At start,
	 * then every third of the lease.
	 * @return how many attempts it took over
	 */
	public int recover() {
		List<Attempt> taken = this.store.takeOver(this.owner, this.leased.keySet());
		if (!taken.isEmpty()) {
			log.atInfo()
				.setMessage("Took over attempts whose lease ran out")
				.addKeyValue("attempts", taken.size())
				.addKeyValue("owner", this.owner)
				.log();
		}
		taken.forEach(this::settle);
		this.publisher.flush();
		return taken.size();
	}

	/** Settles an attempt taken over from an engine that stopped renewing its lease. */
	private void settle(Attempt attempt) {
		Runbook runbook = this.runbooks.get(attempt.runbookId());
		Instant now = this.clock.instant();
		if (attempt.status() == Attempt.Status.GATHERING) {
			// It only read: nothing to settle, and nothing to run again.
			transition(attempt.remediationId(), Attempt.Status.GATHERING,
					attempt.with(Attempt.Status.SKIPPED,
							"the engine stopped while the runbook's diagnostics ran; not run again", now),
					runbook, null, Map.of());
			return;
		}
		if (runbook != null && runbook.guardrails().idempotent()) {
			// The attempt taken over is counted among those running already.
			Optional<Attempt> again = this.store
				.admitting(() -> (this.store.running() > this.settings.maxConcurrent()) ? Optional.<Attempt>empty()
						: change(attempt.remediationId(), Attempt.Status.STARTED,
								(current) -> (current.status() == Attempt.Status.STARTED)
										? Optional.of(new AttemptStore.Change(
												current.started(this.owner, current.attempt(), now)
													.reasoned("run again after a restart: the action is idempotent"),
												List.of()))
										: Optional.empty()))
				.filter((current) -> current.status() == Attempt.Status.STARTED);
			if (again.isPresent()) {
				log.atInfo()
					.setMessage("Running an interrupted idempotent action again")
					.addKeyValue("remediationId", attempt.remediationId())
					.log();
				submit(again.get(), runbook, runbook.prepare(attempt.values(), attempt.dryRun()));
				return;
			}
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

	/**
	 * Renews the leases of the attempts this engine runs, every third of the lease, so
	 * that a long step keeps its attempt.
	 */
	public void renewLeases() {
		this.store.renew(this.owner, this.leased.keySet());
	}

	/** This engine's instance id: the owner of the attempts it runs. */
	String owner() {
		return this.owner;
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
		Optional<Attempt> after = change(id, from,
				(current) -> (current.status() == from)
						? Optional.of(new AttemptStore.Change(next,
								(details != null) ? reported(next, runbook, duration, details, findings) : null))
						: Optional.empty());
		return after.filter((attempt) -> attempt.status() == next.status()).isPresent();
	}

	/**
	 * Changes an attempt under its row lock; out of STARTED or GATHERING only while this
	 * engine owns it (fencing): an attempt another engine took over is left to it, and
	 * nothing is reported.
	 * @param from the status the change is out of
	 * @return the attempt after the call; empty when there is none, or it was lost
	 */
	private Optional<Attempt> change(String id, Attempt.Status from,
			Function<Attempt, Optional<AttemptStore.Change>> change) {
		if (!from.isRunning()) {
			return this.store.update(id, change);
		}
		Optional<Attempt> after = this.store.update(id, this.owner, change);
		if (after.isEmpty()) {
			lost(id);
		}
		return after;
	}

	private void lost(String remediationId) {
		log.atWarn()
			.setMessage("Another engine took the attempt over after its lease ran out; recording nothing")
			.addKeyValue("remediationId", remediationId)
			.addKeyValue("owner", this.owner)
			.log();
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
	 * Stops taking actions and waits a while for those running; the rest are taken over
	 * once their leases run out.
	 */
	@Override
	public void close() {
		this.pool.shutdown();
		try {
			if (!this.pool.awaitTermination(this.settings.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
				log.atWarn()
					.setMessage("Actions still running at shutdown; they are taken over once their leases run out")
					.addKeyValue("running", this.running.get())
					.log();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
