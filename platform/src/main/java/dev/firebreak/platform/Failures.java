package dev.firebreak.platform;

import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

import dev.firebreak.schemas.UndecodableRecordException;

/**
 * Which failures of a consumer are worth retrying: a database that is away, slow, or busy
 * (no connection, a timeout, a serialization failure or a deadlock) will take the same
 * record later; a record it refuses (a constraint, bad data, bad SQL) or one that cannot
 * be decoded never will, and would block its partition forever. Retried failures wait
 * with backoff; the others go to the topic's dead-letter topic with
 * {@link #reason(Throwable) their reason}.
 */
public final class Failures {

	/**
	 * The failures retried until they pass, as spring-kafka's error handler classifies
	 * them (it looks through causes); every other failure is not retried.
	 */
	public static final Map<Class<? extends Throwable>, Boolean> RETRYABLE = retryable();

	private Failures() {
	}

	private static Map<Class<? extends Throwable>, Boolean> retryable() {
		Map<Class<? extends Throwable>, Boolean> retryable = new LinkedHashMap<>();
		retryable.put(TransientDataAccessException.class, true);
		retryable.put(RecoverableDataAccessException.class, true);
		retryable.put(DataAccessResourceFailureException.class, true);
		retryable.put(CannotCreateTransactionException.class, true);
		retryable.put(SQLTransientException.class, true);
		retryable.put(SQLRecoverableException.class, true);
		return Map.copyOf(retryable);
	}

	/** Whether the failure, or any of its causes, is worth retrying. */
	public static boolean transientFailure(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			for (Class<? extends Throwable> type : RETRYABLE.keySet()) {
				if (type.isInstance(cause)) {
					return true;
				}
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

	/**
	 * A stable reason for a failure that will not pass: the undecodable record's own
	 * ({@code UNKNOWN_SCHEMA}...), {@code DATABASE_REFUSED}, or
	 * {@code PROCESSING_FAILED}.
	 */
	public static String reason(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof UndecodableRecordException undecodable) {
				return undecodable.reason().name();
			}
			if (cause instanceof DataAccessException) {
				return "DATABASE_REFUSED";
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return "PROCESSING_FAILED";
	}

	/** The failure that says most: the deepest cause. */
	static Throwable rootOf(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root;
	}

}
