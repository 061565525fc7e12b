package dev.firebreak.notifier.integration;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.firebreak.platform.security.RefusedResponse;

/** What the integrations' endpoints answer: what became of a request, or a problem. */
final class Answers {

	private Answers() {
	}

	/**
	 * A request taken or ignored.
	 *
	 * @param status {@code accepted} or {@code ignored}
	 * @param commandId the command it made, when accepted
	 * @param incidentId its incident, when accepted
	 * @param command the command's type, when accepted
	 * @param reason why it was ignored
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Taken(String status, String commandId, String incidentId, String command, String reason) {

	}

	static ResponseEntity<Object> accepted(String commandId, String incidentId, String command) {
		return ResponseEntity.status(HttpStatus.ACCEPTED)
			.body(new Taken("accepted", commandId, incidentId, command, null));
	}

	static ResponseEntity<Object> ignored(String reason) {
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(new Taken("ignored", null, null, null, reason));
	}

	/** RFC 9457 problem details with a stable type, as everywhere in Firebreak. */
	static ResponseEntity<Object> problem(int status, String type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(status), detail);
		problem.setType(URI.create(RefusedResponse.TYPE_PREFIX + type));
		problem.setTitle(title);
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

}
