package dev.firebreak.incidents.api;

/** No such incident or remediation: a 404. */
class NotFoundException extends RuntimeException {

	NotFoundException(String message) {
		super(message);
	}

}
