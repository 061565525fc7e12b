package dev.firebreak.incidents.api;

/** The request is valid but the current state refuses it: a 409 saying why. */
public class ConflictException extends RuntimeException {

	ConflictException(String message) {
		super(message);
	}

}
