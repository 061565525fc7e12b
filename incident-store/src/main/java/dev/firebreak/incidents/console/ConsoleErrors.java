package dev.firebreak.incidents.console;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;

import dev.firebreak.incidents.api.CommandPublisher.CommandNotStoredException;
import dev.firebreak.incidents.api.MaintenanceWindows.WindowsUnavailableException;

/**
 * When what the console stands on is away (Kafka for an action, PostgreSQL for a page,
 * the topology for the windows): a page that says so and to try again, 503, never a stack
 * trace. The API answers the same cases with problem details.
 */
@ControllerAdvice(basePackageClasses = ConsoleErrors.class)
class ConsoleErrors {

	private static final Logger log = LoggerFactory.getLogger(ConsoleErrors.class);

	@ExceptionHandler({ CommandNotStoredException.class, DataAccessException.class, WindowsUnavailableException.class })
	@ResponseStatus(HttpStatus.SERVICE_UNAVAILABLE)
	String unavailable(RuntimeException ex, Model model) {
		log.atWarn().setMessage("Console page unavailable").addKeyValue("error", ex.getMessage()).log();
		model.addAttribute("message",
				(ex instanceof CommandNotStoredException)
						? "The action could not be stored in Kafka: nothing was done. Try again in a moment."
						: "The incident database or the topology did not answer. Try again in a moment.");
		return "console/unavailable";
	}

}
