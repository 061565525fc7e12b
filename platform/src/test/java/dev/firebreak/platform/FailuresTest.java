package dev.firebreak.platform;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

import dev.firebreak.schemas.UndecodableRecordException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class FailuresTest {

	static Stream<Arguments> failures() {
		return Stream.of(
				arguments("no connection", new CannotGetJdbcConnectionException("down", new SQLException("refused")),
						true, "DATABASE_REFUSED"),
				arguments("no connection for a transaction",
						new CannotCreateTransactionException("down", new ConnectException()), true,
						"PROCESSING_FAILED"),
				arguments("a statement timeout", new QueryTimeoutException("slow"), true, "DATABASE_REFUSED"),
				arguments("a serialization failure", new CannotAcquireLockException("40001"), true, "DATABASE_REFUSED"),
				arguments("a deadlock", new PessimisticLockingFailureException("40P01"), true, "DATABASE_REFUSED"),
				arguments("a transient driver error", new SQLTransientConnectionException("gone"), true,
						"PROCESSING_FAILED"),
				arguments("wrapped by the container",
						new ListenerExecutionFailedException("listener", new QueryTimeoutException("slow")), true,
						"DATABASE_REFUSED"),
				arguments("a constraint", new DuplicateKeyException("23505"), false, "DATABASE_REFUSED"),
				arguments("bad data", new DataIntegrityViolationException("22021"), false, "DATABASE_REFUSED"),
				arguments("bad SQL", new BadSqlGrammarException("task", "SELECT", new SQLException("42601")), false,
						"DATABASE_REFUSED"),
				arguments("an undecodable record",
						new ListenerExecutionFailedException("listener",
								new UndecodableRecordException(UndecodableRecordException.Reason.BAD_MARKER, "x",
										null)),
						false, "BAD_MARKER"),
				arguments("a connection closed under a transaction (Hikari)",
						new TransactionSystemException("rollback failed",
								new SQLException("Connection is closed", "08003")),
						true, "PROCESSING_FAILED"),
				arguments("a connection closed, untranslated", new SQLException("Connection is closed", "08003"), true,
						"PROCESSING_FAILED"),
				arguments("the server shutting down",
						new UncategorizedSQLException("write", "INSERT",
								new SQLException("terminating connection due to administrator command", "57P01")),
						true, "DATABASE_REFUSED"),
				arguments("a value PostgreSQL cannot keep",
						new UncategorizedSQLException("write", "INSERT",
								new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00", "22021")),
						false, "DATABASE_REFUSED"),
				arguments("a bug", new IllegalStateException("no"), false, "PROCESSING_FAILED"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("failures")
	void classifiesWhatIsWorthRetryingAndWhy(String what, Throwable failure, boolean retried, String reason) {
		assertThat(Failures.transientFailure(failure)).isEqualTo(retried);
		assertThat(Failures.reason(failure)).isEqualTo(reason);
		if (failure instanceof RuntimeException runtime) {
			assertThat(Failures.classified(runtime)).as("what the error handler retries")
				.satisfies((classified) -> assertThat(classified instanceof Failures.TransientFailureException)
					.isEqualTo(retried));
		}
	}

}
