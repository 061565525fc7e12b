package dev.firebreak.incidents.api;

/** A request parameter or body that can never succeed as given: a 400. */
public class BadRequestException extends RuntimeException {

	private final String parameter;

	public BadRequestException(String parameter, String problem) {
		super(parameter + " " + problem);
		this.parameter = parameter;
	}

	String parameter() {
		return this.parameter;
	}

}
