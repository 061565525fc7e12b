package dev.firebreak.incidents.api;

import java.net.URI;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The API's errors as RFC 9457 problem details with a stable type, never a stack trace.
 * Spring's own (unknown path, wrong method, unreadable body) are problem details too
 * ({@code spring.mvc.problemdetails.enabled}).
 */
@RestControllerAdvice(annotations = RestController.class)
class ProblemResponses {

	static final String TYPE_PREFIX = "urn:firebreak:problem:";

	private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

	@ExceptionHandler
	ResponseEntity<ProblemDetail> badRequest(BadRequestException ex) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", ex.getMessage());
		problem.setProperty("parameter", ex.parameter());
		return ResponseEntity.badRequest().body(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> notFound(NotFoundException ex) {
		return ResponseEntity.status(HttpStatus.NOT_FOUND)
			.body(problem(HttpStatus.NOT_FOUND, "not-found", "Not found", ex.getMessage()));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> conflict(ConflictException ex) {
		return ResponseEntity.status(HttpStatus.CONFLICT)
			.body(problem(HttpStatus.CONFLICT, "conflict", "Refused by the incident's state", ex.getMessage()));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> kafkaUnavailable(CommandPublisher.CommandNotStoredException ex) {
		log.atWarn().setMessage("Command not stored; answering 503").addKeyValue("error", ex.getMessage()).log();
		return unavailable("kafka-unavailable", "The command could not be stored; send it again");
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> windowsUnavailable(MaintenanceWindows.WindowsUnavailableException ex) {
		return unavailable("topology-unavailable", ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> queryTimeout(QueryTimeoutException ex) {
		log.atWarn().setMessage("Query ran past the statement timeout").addKeyValue("error", ex.getMessage()).log();
		return unavailable("query-timeout", "The query ran past the API's statement timeout "
				+ "(firebreak.api.statement-timeout): narrow its filters, or try again if the database is busy");
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> databaseUnavailable(DataAccessException ex) {
		log.atWarn().setMessage("Query failed; answering 503").addKeyValue("error", ex.getMessage()).log();
		return unavailable("database-unavailable", "The incident database did not answer; try again");
	}

	private static ResponseEntity<ProblemDetail> unavailable(String type, String detail) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, "5")
			.body(problem(HttpStatus.SERVICE_UNAVAILABLE, type, "Unavailable", detail));
	}

	private static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_PREFIX + type));
		problem.setTitle(title);
		return problem;
	}

}
