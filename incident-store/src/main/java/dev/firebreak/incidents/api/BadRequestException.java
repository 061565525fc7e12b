package dev.firebreak.incidents.api;

/** A request parameter or body that can never succeed as given: a 400. */
class BadRequestException extends RuntimeException {

	private final String parameter;

	BadRequestException(String parameter, String problem) {
		super(parameter + " " + problem);
		this.parameter = parameter;
	}

	String parameter() {
		return this.parameter;
	}

}
