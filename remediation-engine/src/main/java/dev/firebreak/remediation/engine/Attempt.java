package dev.firebreak.remediation.engine;

import java.time.Instant;
import java.util.Map;

import dev.firebreak.schemas.avro.RemediationStatus;

/**
 * One remediation: a runbook's answer to one incident event, from its decision to its
 * verified outcome. Its id, {@code <incident id>.<sequence>.<runbook id>}, makes a
 * redelivered event find it instead of starting a second one.
 *
 * @param remediationId the id in the timeline and in approve / reject commands
 * @param incidentId the incident
 * @param eventSequence the sequence of the incident event that triggered it
 * @param runbookId the runbook
 * @param alertFingerprint the alert it answers, whose resolution verifies it
 * @param target what the action is aimed at, once known
 * @param attempt which run of the runbook for this incident it is
 * @param retries how often it ran again after a failure
 * @param status where it is
 * @param dryRun whether it only reports what it would do
 * @param values the alert's and incident's values its templates read
 * @param owner the engine instance that runs it (or ran it last); while it is STARTED or
 * GATHERING, only that engine records its end
 * @param reason why it is where it is
 * @param actionSummary what the action reported
 * @param createdAt when it was decided
 * @param startedAt when the action started
 * @param finishedAt when it reached its final status
 * @param verifyDeadline by when the alert must resolve
 * @param resolvedAt when the alert resolved after it was decided
 */
record Attempt(String remediationId, String incidentId, long eventSequence, String runbookId, String alertFingerprint,
		String target, int attempt, int retries, Status status, boolean dryRun, Map<String, String> values,
		String owner, String reason, String actionSummary, Instant createdAt, Instant startedAt, Instant finishedAt,
		Instant verifyDeadline, Instant resolvedAt) {

	Attempt {
		values = Map.copyOf(values);
	}

	static String id(String incidentId, long sequence, String runbookId) {
		return incidentId + "." + sequence + "." + runbookId;
	}

	Attempt with(Status status, String reason, Instant now) {
		Instant finished = status.isFinal() ? now : this.finishedAt;
		return new Attempt(this.remediationId, this.incidentId, this.eventSequence, this.runbookId,
				this.alertFingerprint, this.target, this.attempt, this.retries, status, this.dryRun, this.values,
				this.owner, reason, this.actionSummary, this.createdAt, this.startedAt, finished, this.verifyDeadline,
				this.resolvedAt);
	}

	Attempt started(String owner, int attempt, Instant now) {
		return new Attempt(this.remediationId, this.incidentId, this.eventSequence, this.runbookId,
				this.alertFingerprint, this.target, attempt, this.retries, Status.STARTED, this.dryRun, this.values,
				owner, this.reason, this.actionSummary, this.createdAt, now, null, null, this.resolvedAt);
	}

	/** Run again after a failure, as the next attempt, by the engine that retries it. */
	Attempt retried(String owner, Instant now) {
		return new Attempt(this.remediationId, this.incidentId, this.eventSequence, this.runbookId,
				this.alertFingerprint, this.target, this.attempt + 1, this.retries + 1, Status.STARTED, this.dryRun,
				this.values, owner, "run again after a failure (retry " + (this.retries + 1) + ")", null,
				this.createdAt, now, null, null, null);
	}

	/** Run by this engine instance (a run that only reads keeps no start time). */
	Attempt owned(String owner) {
		return new Attempt(this.remediationId, this.incidentId, this.eventSequence, this.runbookId,
				this.alertFingerprint, this.target, this.attempt, this.retries, this.status, this.dryRun, this.values,
				owner, this.reason, this.actionSummary, this.createdAt, this.startedAt, this.finishedAt,
				this.verifyDeadline, this.resolvedAt);
	}

	Attempt targeting(String target) {
		return new Attempt(this.remediationId, this.incidentId, this.eventSequence, this.runbookId,
				this.alertFingerprint, target, this.attempt, this.retries, this.status, this.dryRun, this.values,
				this.owner, this.reason, this.actionSummary, this.createdAt, this.startedAt, this.finishedAt,
				this.verifyDeadline, this.resolvedAt);
	}

	Attempt reasoned(String reason) {
		return new Attempt(this.remediationId, this.incidentId, this.eventSequence, this.runbookId,
				this.alertFingerprint, this.target, this.attempt, this.retries, this.status, this.dryRun, this.values,
				this.owner, reason, this.actionSummary, this.createdAt, this.startedAt, this.finishedAt,
				this.verifyDeadline, this.resolvedAt);
	}

	Attempt verifying(String actionSummary, Instant deadline) {
		return new Attempt(this.remediationId, this.incidentId, this.eventSequence, this.runbookId,
				this.alertFingerprint, this.target, this.attempt, this.retries, Status.VERIFYING, this.dryRun,
				this.values, this.owner, this.reason, actionSummary, this.createdAt, this.startedAt, null, deadline,
				this.resolvedAt);
	}

	Attempt summarised(String actionSummary) {
		return new Attempt(this.remediationId, this.incidentId, this.eventSequence, this.runbookId,
				this.alertFingerprint, this.target, this.attempt, this.retries, this.status, this.dryRun, this.values,
				this.owner, this.reason, actionSummary, this.createdAt, this.startedAt, this.finishedAt,
				this.verifyDeadline, this.resolvedAt);
	}

	Attempt resolved(Instant at) {
		return new Attempt(this.remediationId, this.incidentId, this.eventSequence, this.runbookId,
				this.alertFingerprint, this.target, this.attempt, this.retries, this.status, this.dryRun, this.values,
				this.owner, this.reason, this.actionSummary, this.createdAt, this.startedAt, this.finishedAt,
				this.verifyDeadline, (this.resolvedAt != null) ? this.resolvedAt : at);
	}

	/** Where a remediation is; the last five are final. */
	enum Status {

		/**
		 * GATHERING: a run that only reads (diagnostics, a dry run) is under way; it is
		 * recorded first so that a redelivered event finds it, and reported only when it
		 * ends.
		 */
		AWAITING_APPROVAL, STARTED, VERIFYING, GATHERING, SUCCEEDED, FAILED, SKIPPED, REJECTED, OUTCOME_UNKNOWN;

		boolean isFinal() {
			return ordinal() >= SUCCEEDED.ordinal();
		}

		/** Whether an engine runs it now, holding its lease. */
		boolean isRunning() {
			return this == STARTED || this == GATHERING;
		}

		/**
		 * What the timeline calls it; a rejection is already there, from the operator.
		 */
		RemediationStatus reported() {
			return switch (this) {
				case AWAITING_APPROVAL -> RemediationStatus.AWAITING_APPROVAL;
				case STARTED, VERIFYING, GATHERING -> RemediationStatus.STARTED;
				case SUCCEEDED -> RemediationStatus.SUCCEEDED;
				case FAILED -> RemediationStatus.FAILED;
				case SKIPPED, REJECTED -> RemediationStatus.SKIPPED;
				case OUTCOME_UNKNOWN -> RemediationStatus.OUTCOME_UNKNOWN;
			};
		}

	}

}
