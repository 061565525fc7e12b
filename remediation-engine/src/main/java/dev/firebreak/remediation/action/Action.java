package dev.firebreak.remediation.action;

/**
 * One kind of action ({@code command}, {@code http}, {@code postgres},
 * {@code file-cleanup}). An action never throws for a failure of its target: it returns a
 * result that says what happened. In dry-run it changes nothing and says what it would
 * have done.
 */
public interface Action {

	/** The type that runbooks name. */
	String type();

	ActionResult run(PreparedAction action);

}
