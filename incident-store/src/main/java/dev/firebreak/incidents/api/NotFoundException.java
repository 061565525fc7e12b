package dev.firebreak.incidents.api;

/** No such incident or remediation: a 404. */
public class NotFoundException extends RuntimeException {

	public NotFoundException(String message) {
		super(message);
	}

}
