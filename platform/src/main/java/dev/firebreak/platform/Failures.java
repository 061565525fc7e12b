package dev.firebreak.platform;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.List;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.TransactionException;

import dev.firebreak.schemas.UndecodableRecordException;

/**
 * Which failures of a consumer are worth retrying: a database that is away, slow, or busy
 * (no connection, a connection lost, a timeout, a serialization failure, a deadlock) will
 * take the same record later; a record it refuses (a constraint, bad data, bad SQL) or
 * one that cannot be decoded never will, and would block its partition forever. Retried
 * failures wait with backoff; the others go to the topic's dead-letter topic with
 * {@link #reason(Throwable) their reason}.
 */
public final class Failures {

	/** Failures whose type says they pass with time, wherever they are in the causes. */
	private static final List<Class<? extends Throwable>> TRANSIENT_TYPES = List.of(TransientDataAccessException.class,
			RecoverableDataAccessException.class, DataAccessResourceFailureException.class, TransactionException.class,
			SQLTransientException.class, SQLRecoverableException.class);

	/**
	 * SQLSTATE classes and codes of a database that is away or busy: connection
	 * exceptions, insufficient resources, operator intervention (shutdown, statement
	 * cancelled), transaction rollback (serialization failure, deadlock), lock not
	 * available.
	 */
	private static final List<String> TRANSIENT_SQL_STATES = List.of("08", "53", "57", "40", "55P03");

	private Failures() {
	}

	/** Whether the failure, or any of its causes, is worth retrying. */
	public static boolean transientFailure(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = next(cause)) {
			if (cause instanceof TransientFailureException) {
				return true;
			}
			for (Class<? extends Throwable> type : TRANSIENT_TYPES) {
				if (type.isInstance(cause)) {
					return true;
				}
			}
			if (cause instanceof SQLException sql && sql.getSQLState() != null
					&& TRANSIENT_SQL_STATES.stream().anyMatch(sql.getSQLState()::startsWith)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The failure as the consumers' error handler sees it: wrapped in a
	 * {@link TransientFailureException} when it is worth retrying, as it is otherwise.
	 */
	public static RuntimeException classified(RuntimeException failure) {
		return (transientFailure(failure) && !(failure instanceof TransientFailureException))
				? new TransientFailureException(failure) : failure;
	}

	/**
	 * A stable reason for a failure that will not pass: the undecodable record's own
	 * ({@code UNKNOWN_SCHEMA}...), {@code DATABASE_REFUSED}, or
	 * {@code PROCESSING_FAILED}.
	 */
	public static String reason(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = next(cause)) {
			if (cause instanceof UndecodableRecordException undecodable) {
				return undecodable.reason().name();
			}
			if (cause instanceof DataAccessException) {
				return "DATABASE_REFUSED";
			}
		}
		return "PROCESSING_FAILED";
	}

	/** The failure that says most: the deepest cause. */
	static Throwable rootOf(Throwable failure) {
		Throwable root = failure;
		while (next(root) != null) {
			root = next(root);
		}
		return root;
	}

	private static Throwable next(Throwable cause) {
		return (cause.getCause() != cause) ? cause.getCause() : null;
	}

	/**
	 * A failure that passes with time: the only kind the consumers' error handler
	 * retries; everything else goes to the dead-letter topic.
	 */
	public static final class TransientFailureException extends RuntimeException {

		TransientFailureException(Throwable cause) {
			super(cause.getMessage(), cause);
		}

	}

}
