package dev.firebreak.incidents.access;

/** What an API token may do: viewers read, operators read and act. */
public enum Role {

	VIEWER, OPERATOR;

	/** Whether this role may make a request with the HTTP method. */
	public boolean permits(String method) {
		return this == OPERATOR || "GET".equals(method) || "HEAD".equals(method);
	}

}
