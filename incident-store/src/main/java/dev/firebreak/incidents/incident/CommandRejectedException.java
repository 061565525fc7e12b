package dev.firebreak.incidents.incident;

/**
 * A command that cannot apply to the incident as it stands (unknown incident, already
 * resolved, missing payload). The topology sends it to the commands' dead-letter topic
 * with {@link #reason()}, so that nothing is dropped silently.
 */
public class CommandRejectedException extends RuntimeException {

	private final String reason;

	public CommandRejectedException(String reason, String message) {
		super(message);
		this.reason = reason;
	}

	/** A stable, machine-readable reason such as {@code UNKNOWN_INCIDENT}. */
	public String reason() {
		return this.reason;
	}

}
