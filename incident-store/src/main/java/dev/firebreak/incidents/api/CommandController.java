package dev.firebreak.incidents.api;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.firebreak.incidents.incident.IncidentUpdate;
import dev.firebreak.platform.security.CallerName;
import dev.firebreak.schemas.avro.Actor;
import dev.firebreak.schemas.avro.ActorKind;
import dev.firebreak.schemas.avro.Assignment;
import dev.firebreak.schemas.avro.CommandType;
import dev.firebreak.schemas.avro.Comment;
import dev.firebreak.schemas.avro.EscalationLevel;
import dev.firebreak.schemas.avro.EscalationRequest;
import dev.firebreak.schemas.avro.EscalationSnooze;
import dev.firebreak.schemas.avro.IncidentCommand;
import dev.firebreak.schemas.avro.RemediationDecision;
import dev.firebreak.schemas.avro.Severity;
import dev.firebreak.schemas.avro.SeverityChange;

/**
 * The operators' actions. Each becomes a command on {@code firebreak.incident-commands}
 * and is answered 202 with its id once Kafka has it; the topology applies it, once per
 * command id (an {@code Idempotency-Key} header names it, so that a retried request is
 * applied once).
 */
@RestController
@RequestMapping("/api/v1")
class CommandController {

	private static final int MAX_TEXT = 4000;

	private static final String RESOLVED = "RESOLVED";

	private static final Duration MAX_SNOOZE = IncidentUpdate.MAX_SNOOZE;

	private final IncidentQueries queries;

	private final CommandPublisher publisher;

	CommandController(IncidentQueries queries, CommandPublisher publisher) {
		this.queries = queries;
		this.publisher = publisher;
	}

	/**
	 * What an action may carry: a note, a comment's text, an assignee, a reason, a level
	 * ({@code L3}, or {@code +1}), a severity, a time.
	 */
	record ActionBody(String note, String text, String assignee, String reason, String level, String severity,
			String until) {
	}

	/** The answer: the command, accepted for the topology. */
	record Accepted(String commandId, String incidentId, String type) {
	}

	@PostMapping("/incidents/{id}/acknowledge")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Accepted acknowledge(@PathVariable String id, @RequestBody(required = false) ActionBody body,
			@RequestHeader(name = "Idempotency-Key", required = false) String key, @CallerName String actor) {
		return lifecycle(CommandType.ACKNOWLEDGE, "acknowledging", id, body, key, actor);
	}

	@PostMapping("/incidents/{id}/resolve")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Accepted resolve(@PathVariable String id, @RequestBody(required = false) ActionBody body,
			@RequestHeader(name = "Idempotency-Key", required = false) String key, @CallerName String actor) {
		return lifecycle(CommandType.RESOLVE, "resolving", id, body, key, actor);
	}

	/** Acknowledge or resolve, with an optional note: refused on a resolved incident. */
	private Accepted lifecycle(CommandType type, String action, String id, ActionBody body, String key, String actor) {
		requireUnresolved(id, action);
		IncidentCommand.Builder command = command(type, id, key, actor);
		note(body).ifPresent((note) -> command.setComment(new Comment(note)));
		return publish(command.build());
	}

	@PostMapping("/incidents/{id}/comment")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Accepted comment(@PathVariable String id, @RequestBody(required = false) ActionBody body,
			@RequestHeader(name = "Idempotency-Key", required = false) String key, @CallerName String actor) {
		String text = text("text", (body != null) ? body.text() : null);
		requireKnown(id);
		return publish(command(CommandType.COMMENT, id, key, actor).setComment(new Comment(text)).build());
	}

	@PostMapping("/incidents/{id}/assign")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Accepted assign(@PathVariable String id, @RequestBody(required = false) ActionBody body,
			@RequestHeader(name = "Idempotency-Key", required = false) String key, @CallerName String actor) {
		String assignee = text("assignee", (body != null) ? body.assignee() : null);
		if (assignee.length() > 200) {
			throw new BadRequestException("assignee", "must be at most 200 characters");
		}
		requireUnresolved(id, "assigning");
		return publish(command(CommandType.ASSIGN, id, key, actor).setAssignment(new Assignment(assignee)).build());
	}

	/** Escalates to a level, or one level up when none (or {@code +1}) is given. */
	@PostMapping("/incidents/{id}/escalate")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Accepted escalate(@PathVariable String id, @RequestBody(required = false) ActionBody body,
			@RequestHeader(name = "Idempotency-Key", required = false) String key, @CallerName String actor) {
		String level = (body != null && body.level() != null) ? body.level().strip() : "+1";
		EscalationLevel to = null;
		if (!level.equals("+1")) {
			to = parse(EscalationLevel.class, "level", level, "L2, L3, L4 or +1");
		}
		requireUnresolved(id, "escalating");
		IncidentCommand.Builder command = command(CommandType.ESCALATE, id, key, actor)
			.setEscalation(new EscalationRequest(to));
		note(body).ifPresent((note) -> command.setComment(new Comment(note)));
		return publish(command.build());
	}

	/**
	 * Sets the severity by hand, with a reason; it stands over the alerts' until changed
	 * again.
	 */
	@PostMapping("/incidents/{id}/severity")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Accepted severity(@PathVariable String id, @RequestBody(required = false) ActionBody body,
			@RequestHeader(name = "Idempotency-Key", required = false) String key, @CallerName String actor) {
		Severity severity = parse(Severity.class, "severity", text("severity", (body != null) ? body.severity() : null),
				"SEV1, SEV2, SEV3 or SEV4");
		String reason = text("reason", body.reason());
		requireUnresolved(id, "changing the severity of");
		return publish(
				command(CommandType.CHANGE_SEVERITY, id, key, actor).setSeverityChange(new SeverityChange(severity))
					.setComment(new Comment(reason))
					.build());
	}

	/**
	 * Holds escalation until a time (at most seven days ahead), with an optional reason.
	 */
	@PostMapping("/incidents/{id}/snooze")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Accepted snooze(@PathVariable String id, @RequestBody(required = false) ActionBody body,
			@RequestHeader(name = "Idempotency-Key", required = false) String key, @CallerName String actor) {
		Instant until;
		try {
			until = Instant.parse(text("until", (body != null) ? body.until() : null));
		}
		catch (DateTimeParseException ex) {
			throw new BadRequestException("until", "must be an instant such as 2026-12-01T08:00:00Z");
		}
		Instant now = Instant.now();
		if (!until.isAfter(now) || until.isAfter(now.plus(MAX_SNOOZE))) {
			throw new BadRequestException("until", "must be in the next " + MAX_SNOOZE.toDays() + " days");
		}
		requireUnresolved(id, "snoozing");
		IncidentCommand.Builder command = command(CommandType.SNOOZE_ESCALATION, id, key, actor)
			.setSnooze(new EscalationSnooze(until));
		if (body.reason() != null && !body.reason().isBlank()) {
			command.setComment(new Comment(text("reason", body.reason())));
		}
		return publish(command.build());
	}

	/**
	 * Says an inhibited incident is not a symptom of its cause: it is handled on its own
	 * (paged, remediated, its clocks starting now).
	 */
	@PostMapping("/incidents/{id}/release")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Accepted release(@PathVariable String id, @RequestBody(required = false) ActionBody body,
			@RequestHeader(name = "Idempotency-Key", required = false) String key, @CallerName String actor) {
		requireUnresolved(id, "releasing");
		if (!this.queries.inhibited(id)) {
			throw new ConflictException("incident " + id + " is not inhibited; releasing it changes nothing");
		}
		IncidentCommand.Builder command = command(CommandType.RELEASE_INHIBITION, id, key, actor);
		note(body).ifPresent((note) -> command.setComment(new Comment(note)));
		return publish(command.build());
	}

	private static <E extends Enum<E>> E parse(Class<E> type, String field, String value, String allowed) {
		try {
			return Enum.valueOf(type, value.strip().toUpperCase(java.util.Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new BadRequestException(field, "'" + value + "' is not " + allowed);
		}
	}

	@PostMapping("/remediations/{id}/approve")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Accepted approve(@PathVariable String id, @RequestBody(required = false) ActionBody body,
			@RequestHeader(name = "Idempotency-Key", required = false) String key, @CallerName String actor) {
		return decide(CommandType.APPROVE_REMEDIATION, id, body, key, actor);
	}

	@PostMapping("/remediations/{id}/reject")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Accepted reject(@PathVariable String id, @RequestBody(required = false) ActionBody body,
			@RequestHeader(name = "Idempotency-Key", required = false) String key, @CallerName String actor) {
		return decide(CommandType.REJECT_REMEDIATION, id, body, key, actor);
	}

	private Accepted decide(CommandType type, String remediationId, ActionBody body, String key, String actor) {
		IncidentViews.Remediation remediation = this.queries.remediation(remediationId)
			.orElseThrow(() -> new NotFoundException("No remediation " + remediationId));
		if (!"AWAITING_APPROVAL".equals(remediation.status())) {
			throw new ConflictException("remediation " + remediationId + " is " + remediation.status()
					+ ", not AWAITING_APPROVAL: there is nothing to decide");
		}
		String reason = (body != null && body.reason() != null) ? text("reason", body.reason()) : null;
		return publish(command(type, remediation.incidentId(), key, actor)
			.setDecision(new RemediationDecision(remediationId, reason))
			.build());
	}

	private void requireKnown(String id) {
		this.queries.status(id).orElseThrow(() -> IncidentController.unknown(id));
	}

	private void requireUnresolved(String id, String action) {
		String status = this.queries.status(id).orElseThrow(() -> IncidentController.unknown(id));
		if (RESOLVED.equals(status)) {
			throw new ConflictException("incident " + id + " is resolved; " + action + " it changes nothing");
		}
	}

	private static IncidentCommand.Builder command(CommandType type, String incidentId, String idempotencyKey,
			String actor) {
		if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
			throw new BadRequestException("Idempotency-Key", "must be 1 to 200 characters");
		}
		return IncidentCommand.newBuilder()
			.setCommandId((idempotencyKey != null) ? idempotencyKey : UUID.randomUUID().toString())
			.setIncidentId(incidentId)
			.setType(type)
			.setActor(new Actor(ActorKind.OPERATOR, actor))
			.setIssuedAt(Instant.now());
	}

	private Accepted publish(IncidentCommand command) {
		this.publisher.publish(command);
		return new Accepted(command.getCommandId(), command.getIncidentId(), command.getType().name());
	}

	private static java.util.Optional<String> note(ActionBody body) {
		if (body == null || body.note() == null || body.note().isBlank()) {
			return java.util.Optional.empty();
		}
		return java.util.Optional.of(text("note", body.note()));
	}

	private static String text(String field, String value) {
		if (value == null || value.isBlank()) {
			throw new BadRequestException(field, "is required");
		}
		if (value.length() > MAX_TEXT) {
			throw new BadRequestException(field, "must be at most " + MAX_TEXT + " characters");
		}
		return value.strip();
	}

}
