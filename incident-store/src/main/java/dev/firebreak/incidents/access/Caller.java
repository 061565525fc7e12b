package dev.firebreak.incidents.access;

import jakarta.servlet.http.HttpServletRequest;

/** Who made a request, as {@link AccessFilter} identified them. */
public final class Caller {

	private Caller() {
	}

	/** The name of the caller's token; the actor of the commands it issues. */
	public static String of(HttpServletRequest request) {
		Object name = request.getAttribute(AccessFilter.CALLER);
		if (name == null) {
			throw new IllegalStateException("no caller: the request did not pass the access filter");
		}
		return (String) name;
	}

}
