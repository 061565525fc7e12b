package dev.firebreak.incidents.api;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.firebreak.incidents.incident.IncidentUpdate;
import dev.firebreak.incidents.maintenance.WindowSpec;
import dev.firebreak.schemas.avro.Actor;
import dev.firebreak.schemas.avro.ActorKind;
import dev.firebreak.schemas.avro.Assignment;
import dev.firebreak.schemas.avro.CommandType;
import dev.firebreak.schemas.avro.Comment;
import dev.firebreak.schemas.avro.EscalationLevel;
import dev.firebreak.schemas.avro.EscalationRequest;
import dev.firebreak.schemas.avro.EscalationSnooze;
import dev.firebreak.schemas.avro.IncidentCommand;
import dev.firebreak.schemas.avro.MaintenanceWindow;
import dev.firebreak.schemas.avro.MaintenanceWindowRemoval;
import dev.firebreak.schemas.avro.RemediationDecision;
import dev.firebreak.schemas.avro.Severity;
import dev.firebreak.schemas.avro.SeverityChange;

/**
 * What operators may do, whichever door they come in by (the JSON API or the console):
 * each action is checked against the projection (a resolved incident is not acknowledged,
 * a remediation not waiting is not approved), becomes a command on
 * {@code firebreak.incident-commands} with the caller as its actor, and is accepted once
 * Kafka has it; the topology applies it, once per command id. Refusals are
 * {@link BadRequestException}, {@link NotFoundException} and {@link ConflictException},
 * each saying what is wrong.
 */
@Component
public class IncidentActions {

	private static final int MAX_TEXT = 4000;

	private static final String RESOLVED = "RESOLVED";

	private static final Duration MAX_SNOOZE = IncidentUpdate.MAX_SNOOZE;

	private final IncidentQueries queries;

	private final MaintenanceWindows windows;

	private final CommandPublisher publisher;

	IncidentActions(IncidentQueries queries, MaintenanceWindows windows, CommandPublisher publisher) {
		this.queries = queries;
		this.windows = windows;
		this.publisher = publisher;
	}

	/** The answer: the command, accepted for the topology. */
	public record Accepted(String commandId, String incidentId, String type) {
	}

	/**
	 * Who acts, and the request's {@code Idempotency-Key} when it names the command (a
	 * retried request is then applied once); null for a new id.
	 */
	public record Caller(String name, String idempotencyKey) {

		public static Caller named(String name) {
			return new Caller(name, null);
		}

	}

	public Accepted acknowledge(String id, String note, Caller caller) {
		return lifecycle(CommandType.ACKNOWLEDGE, "acknowledging", id, note, caller);
	}

	public Accepted resolve(String id, String note, Caller caller) {
		return lifecycle(CommandType.RESOLVE, "resolving", id, note, caller);
	}

	/** Acknowledge or resolve, with an optional note: refused on a resolved incident. */
	private Accepted lifecycle(CommandType type, String action, String id, String note, Caller caller) {
		requireUnresolved(id, action);
		IncidentCommand.Builder command = command(type, id, caller);
		optional("note", note).ifPresent((text) -> command.setComment(new Comment(text)));
		return publish(command.build());
	}

	public Accepted comment(String id, String text, Caller caller) {
		String comment = text("text", text);
		requireKnown(id);
		return publish(command(CommandType.COMMENT, id, caller).setComment(new Comment(comment)).build());
	}

	public Accepted assign(String id, String assignee, Caller caller) {
		String to = text("assignee", assignee);
		if (to.length() > 200) {
			throw new BadRequestException("assignee", "must be at most 200 characters");
		}
		requireUnresolved(id, "assigning");
		return publish(command(CommandType.ASSIGN, id, caller).setAssignment(new Assignment(to)).build());
	}

	/**
	 * Escalates to a level ({@code L3}), or one level up when none (or {@code +1}) is
	 * given.
	 */
	public Accepted escalate(String id, String level, String note, Caller caller) {
		String wanted = (level != null && !level.isBlank()) ? level.strip() : "+1";
		EscalationLevel to = null;
		if (!wanted.equals("+1")) {
			to = parse(EscalationLevel.class, "level", wanted, "L2, L3, L4 or +1");
		}
		requireUnresolved(id, "escalating");
		IncidentCommand.Builder command = command(CommandType.ESCALATE, id, caller)
			.setEscalation(new EscalationRequest(to));
		optional("note", note).ifPresent((text) -> command.setComment(new Comment(text)));
		return publish(command.build());
	}

	/**
	 * Sets the severity by hand, with a reason; it stands over the alerts' until changed
	 * again.
	 */
	public Accepted changeSeverity(String id, String severity, String reason, Caller caller) {
		Severity to = parse(Severity.class, "severity", text("severity", severity), "SEV1, SEV2, SEV3 or SEV4");
		String why = text("reason", reason);
		requireUnresolved(id, "changing the severity of");
		return publish(command(CommandType.CHANGE_SEVERITY, id, caller).setSeverityChange(new SeverityChange(to))
			.setComment(new Comment(why))
			.build());
	}

	/**
	 * Holds escalation until a time (at most seven days ahead), with an optional reason.
	 */
	public Accepted snooze(String id, String until, String reason, Caller caller) {
		Instant at;
		try {
			at = Instant.parse(text("until", until));
		}
		catch (DateTimeParseException ex) {
			throw new BadRequestException("until", "must be an instant such as 2026-12-01T08:00:00Z");
		}
		Instant now = Instant.now();
		if (!at.isAfter(now) || at.isAfter(now.plus(MAX_SNOOZE))) {
			throw new BadRequestException("until", "must be in the next " + MAX_SNOOZE.toDays() + " days");
		}
		requireUnresolved(id, "snoozing");
		IncidentCommand.Builder command = command(CommandType.SNOOZE_ESCALATION, id, caller)
			.setSnooze(new EscalationSnooze(at));
		optional("reason", reason).ifPresent((text) -> command.setComment(new Comment(text)));
		return publish(command.build());
	}

	/**
	 * Says an inhibited incident is not a symptom of its cause: it is handled on its own
	 * (paged, remediated, its clocks starting now).
	 */
	public Accepted release(String id, String note, Caller caller) {
		requireUnresolved(id, "releasing");
		if (!this.queries.inhibited(id)) {
			throw new ConflictException("incident " + id + " is not inhibited; releasing it changes nothing");
		}
		IncidentCommand.Builder command = command(CommandType.RELEASE_INHIBITION, id, caller);
		optional("note", note).ifPresent((text) -> command.setComment(new Comment(text)));
		return publish(command.build());
	}

	public Accepted approve(String remediationId, String reason, Caller caller) {
		return decide(CommandType.APPROVE_REMEDIATION, remediationId, reason, caller);
	}

	public Accepted reject(String remediationId, String reason, Caller caller) {
		return decide(CommandType.REJECT_REMEDIATION, remediationId, reason, caller);
	}

	private Accepted decide(CommandType type, String remediationId, String reason, Caller caller) {
		IncidentViews.Remediation remediation = this.queries.remediation(remediationId)
			.orElseThrow(() -> new NotFoundException("No remediation " + remediationId));
		if (!"AWAITING_APPROVAL".equals(remediation.status())) {
			throw new ConflictException("remediation " + remediationId + " is " + remediation.status()
					+ ", not AWAITING_APPROVAL: there is nothing to decide");
		}
		String why = optional("reason", reason).orElse(null);
		return publish(
				command(type, remediation.incidentId(), caller).setDecision(new RemediationDecision(remediationId, why))
					.build());
	}

	/** Adds a maintenance window; its id must be new. */
	public Accepted addWindow(WindowSpec spec, Caller caller) {
		MaintenanceWindow window = window(spec);
		if (exists(window.getId())) {
			throw new ConflictException("a maintenance window " + window.getId() + " exists; delete it first");
		}
		return publish(command(CommandType.ADD_MAINTENANCE_WINDOW, window.getId(), caller).setMaintenanceWindow(window)
			.build());
	}

	/**
	 * Ends a maintenance window added by command (one from configuration is changed
	 * there).
	 */
	public Accepted removeWindow(String id, Caller caller) {
		if (this.windows.configured().stream().anyMatch((window) -> window.getId().equals(id))) {
			throw new ConflictException("maintenance window " + id + " comes from configuration; change it there");
		}
		if (!exists(id)) {
			throw new NotFoundException("No maintenance window " + id);
		}
		return publish(command(CommandType.REMOVE_MAINTENANCE_WINDOW, id, caller)
			.setMaintenanceWindowRemoval(new MaintenanceWindowRemoval(id))
			.build());
	}

	/** The window a request describes, validated. */
	public static MaintenanceWindow window(WindowSpec spec) {
		try {
			return spec.toWindow("window");
		}
		catch (IllegalArgumentException ex) {
			throw new BadRequestException("body", ex.getMessage());
		}
	}

	private boolean exists(String id) {
		return this.windows.configured().stream().anyMatch((window) -> window.getId().equals(id))
				|| this.windows.added().stream().anyMatch((window) -> window.getId().equals(id));
	}

	private static <E extends Enum<E>> E parse(Class<E> type, String field, String value, String allowed) {
		try {
			return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new BadRequestException(field, "'" + value + "' is not " + allowed);
		}
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

	private static IncidentCommand.Builder command(CommandType type, String incidentId, Caller caller) {
		String key = caller.idempotencyKey();
		if (key != null && (key.isBlank() || key.length() > 200)) {
			throw new BadRequestException("Idempotency-Key", "must be 1 to 200 characters");
		}
		return IncidentCommand.newBuilder()
			.setCommandId((key != null) ? key : UUID.randomUUID().toString())
			.setIncidentId(incidentId)
			.setType(type)
			.setActor(new Actor(ActorKind.OPERATOR, caller.name()))
			.setIssuedAt(Instant.now());
	}

	private Accepted publish(IncidentCommand command) {
		this.publisher.publish(command);
		return new Accepted(command.getCommandId(), command.getIncidentId(), command.getType().name());
	}

	private static Optional<String> optional(String field, String value) {
		return (value == null || value.isBlank()) ? Optional.empty() : Optional.of(text(field, value));
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
