package dev.firebreak.incidents.api;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.firebreak.incidents.api.IncidentActions.Accepted;
import dev.firebreak.incidents.api.IncidentActions.Caller;
import dev.firebreak.platform.security.CallerName;

/**
 * The operators' actions as JSON ({@link IncidentActions}): each is answered 202 with its
 * command's id once Kafka has it; an {@code Idempotency-Key} header names the command, so
 * that a retried request is applied once.
 */
@RestController
@RequestMapping("/api/v1")
class CommandController {

	private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	/**
	 * Command ids that say where a command came from (ARCHITECTURE.md): the notifier
	 * tells PagerDuty nothing of a {@code pagerduty:} one, so a caller of the API may not
	 * take them.
	 */
	private static final List<String> RESERVED = List.of("pagerduty:", "slack:", "console:");

	private final IncidentActions actions;

	CommandController(IncidentActions actions) {
		this.actions = actions;
	}

	/**
	 * What an action may carry: a note, a comment's text, an assignee, a reason, a level
	 * ({@code L3}, or {@code +1}), a severity, a time.
	 */
	record ActionBody(String note, String text, String assignee, String reason, String level, String severity,
			String until) {

		static final ActionBody NONE = new ActionBody(null, null, null, null, null, null, null);

	}

	@PostMapping("/incidents/{id}/acknowledge")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Accepted acknowledge(@PathVariable String id, @RequestBody(required = false) ActionBody body,
			@RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key, @CallerName String actor) {
		return this.actions.acknowledge(id, or(body).note(), caller(actor, key));
	}

	@PostMapping("/incidents/{id}/resolve")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Accepted resolve(@PathVariable String id, @RequestBody(required = false) ActionBody body,
			@RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key, @CallerName String actor) {
		return this.actions.resolve(id, or(body).note(), caller(actor, key));
	}

	@PostMapping("/incidents/{id}/comment")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Accepted comment(@PathVariable String id, @RequestBody(required = false) ActionBody body,
			@RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key, @CallerName String actor) {
		return this.actions.comment(id, or(body).text(), caller(actor, key));
	}

	@PostMapping("/incidents/{id}/assign")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Accepted assign(@PathVariable String id, @RequestBody(required = false) ActionBody body,
			@RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key, @CallerName String actor) {
		return this.actions.assign(id, or(body).assignee(), caller(actor, key));
	}

	/** Escalates to a level, or one level up when none (or {@code +1}) is given. */
	@PostMapping("/incidents/{id}/escalate")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Accepted escalate(@PathVariable String id, @RequestBody(required = false) ActionBody body,
			@RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key, @CallerName String actor) {
		return this.actions.escalate(id, or(body).level(), or(body).note(), caller(actor, key));
	}

	/**
	 * Sets the severity by hand, with a reason; it stands over the alerts' until changed
	 * again.
	 */
	@PostMapping("/incidents/{id}/severity")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Accepted severity(@PathVariable String id, @RequestBody(required = false) ActionBody body,
			@RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key, @CallerName String actor) {
		return this.actions.changeSeverity(id, or(body).severity(), or(body).reason(), caller(actor, key));
	}

	/**
	 * Holds escalation until a time (at most seven days ahead), with an optional reason.
	 */
	@PostMapping("/incidents/{id}/snooze")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Accepted snooze(@PathVariable String id, @RequestBody(required = false) ActionBody body,
			@RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key, @CallerName String actor) {
		return this.actions.snooze(id, or(body).until(), or(body).reason(), caller(actor, key));
	}

	/**
	 * Says an inhibited incident is not a symptom of its cause: it is handled on its own
	 * (paged, remediated, its clocks starting now).
	 */
	@PostMapping("/incidents/{id}/release")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Accepted release(@PathVariable String id, @RequestBody(required = false) ActionBody body,
			@RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key, @CallerName String actor) {
		return this.actions.release(id, or(body).note(), caller(actor, key));
	}

	@PostMapping("/remediations/{id}/approve")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Accepted approve(@PathVariable String id, @RequestBody(required = false) ActionBody body,
			@RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key, @CallerName String actor) {
		return this.actions.approve(id, or(body).reason(), caller(actor, key));
	}

	@PostMapping("/remediations/{id}/reject")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Accepted reject(@PathVariable String id, @RequestBody(required = false) ActionBody body,
			@RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key, @CallerName String actor) {
		return this.actions.reject(id, or(body).reason(), caller(actor, key));
	}

	private static ActionBody or(ActionBody body) {
		return (body != null) ? body : ActionBody.NONE;
	}

	private static Caller caller(String actor, String idempotencyKey) {
		if (idempotencyKey != null && RESERVED.stream().anyMatch(idempotencyKey::startsWith)) {
			throw new BadRequestException(IDEMPOTENCY_KEY, "must not start with " + String.join(", ", RESERVED)
					+ ": those name commands from PagerDuty, Slack and the console");
		}
		return new Caller(actor, idempotencyKey);
	}

}
