package dev.firebreak.incidents.incident;

/**
 * An alert or a command the topology cannot use: a command that cannot apply to the
 * incident as it stands (unknown incident, already resolved, missing payload), an alert
 * too large to keep. The topology sends it to its dead-letter topic with
 * {@link #reason()}, so that nothing is dropped silently.
 */
public class RejectedInputException extends RuntimeException {

	private final String reason;

	public RejectedInputException(String reason, String message) {
		super(message);
		this.reason = reason;
	}

	/** A stable, machine-readable reason such as {@code UNKNOWN_INCIDENT}. */
	public String reason() {
		return this.reason;
	}

}
