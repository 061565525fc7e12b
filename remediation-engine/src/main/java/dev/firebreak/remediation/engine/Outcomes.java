package dev.firebreak.remediation.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.firebreak.schemas.avro.Actor;
import dev.firebreak.schemas.avro.ActorKind;
import dev.firebreak.schemas.avro.CommandType;
import dev.firebreak.schemas.avro.Finding;
import dev.firebreak.schemas.avro.IncidentCommand;
import dev.firebreak.schemas.avro.RemediationOutcome;
import dev.firebreak.schemas.avro.RemediationStatus;

/**
 * Turns a remediation's new status into the {@code REMEDIATION_OUTCOME} command that puts
 * it in the incident's timeline. The command id is the remediation id, the attempt and
 * the status (VERIFYING apart from STARTED, though both are reported STARTED), so that
 * publishing it twice (after a crash between the broker's acknowledgement and the
 * outbox's cleanup) changes the incident once.
 */
final class Outcomes {

	static final Actor ENGINE = Actor.newBuilder().setKind(ActorKind.REMEDIATION).setName("remediation-engine").build();

	private Outcomes() {
	}

	static IncidentCommand of(Attempt attempt, String actionType, Duration duration, Map<String, String> details,
			List<Finding> findings, Instant now) {
		RemediationStatus status = attempt.status().reported();
		RemediationOutcome outcome = RemediationOutcome.newBuilder()
			.setRemediationId(attempt.remediationId())
			.setRunbookId(attempt.runbookId())
			.setAttempt(Math.max(1, attempt.attempt()))
			.setStatus(status)
			.setDryRun(attempt.dryRun())
			.setAction(actionType)
			.setTarget(attempt.target())
			.setReason(attempt.reason())
			.setDurationMillis((duration != null) ? duration.toMillis() : null)
			.setDetails(new HashMap<>(details))
			.setFindings(findings)
			.build();
		return IncidentCommand.newBuilder()
			.setCommandId(attempt.remediationId() + ":" + Math.max(1, attempt.attempt()) + ":" + attempt.status())
			.setIncidentId(attempt.incidentId())
			.setType(CommandType.REMEDIATION_OUTCOME)
			.setActor(ENGINE)
			.setIssuedAt(now)
			.setRemediation(outcome)
			.build();
	}

}
