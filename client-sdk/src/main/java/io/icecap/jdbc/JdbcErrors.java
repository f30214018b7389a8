package io.icecap.jdbc;

import io.icecap.client.ErrorCode;
import io.icecap.client.IcecapException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLNonTransientException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;

/** Icecap's errors as the {@link SQLException} subclasses JDBC tools expect. */
final class JdbcErrors {
  private JdbcErrors() {}

  /** The exception of an error code, its SQLState and vendor code set. */
  static SQLException create(ErrorCode code, String message, Throwable cause) {
    String state = code.sqlState();
    int vendor = code.code();
    SQLException exception =
        switch (code) {
          case SYNTAX_ERROR,
              UNKNOWN_TABLE,
              UNKNOWN_SCHEMA,
              ALREADY_EXISTS,
              UNKNOWN_COLUMN,
              TYPE_ERROR ->
              new SQLSyntaxErrorException(message, state, vendor);
          case INVALID_PARAMETER, INVALID_PROPERTY -> new SQLDataException(message, state, vendor);
          case WRITE_ABORTED, COMMIT_CONFLICT ->
              new SQLTransactionRollbackException(message, state, vendor);
          case WRITE_TIMEOUT, QUERY_TIMEOUT -> new SQLTimeoutException(message, state, vendor);
          case CACHE_FULL, BUSY -> new SQLTransientException(message, state, vendor);
          case UNSUPPORTED -> new SQLFeatureNotSupportedException(message, state, vendor);
          case CONNECTION_FAILED -> new SQLTransientConnectionException(message, state, vendor);
          case SESSION_CLOSED -> new SQLNonTransientConnectionException(message, state, vendor);
          case INVALID_CONFIGURATION, PERMISSION_DENIED ->
              new SQLNonTransientException(message, state, vendor);
          // no subclass: the transient and recoverable ones invite a retry, which could apply
          // a write that is in the log a second time
          case WRITE_OUTCOME_UNKNOWN -> new SQLException(message, state, vendor);
          default -> new SQLException(message, state, vendor);
        };
    if (cause != null) {
      exception.initCause(cause);
    }
    return exception;
  }

  static SQLException of(IcecapException e) {
    return create(e.code(), e.getMessage(), e);
  }

  static SQLException of(ErrorCode code, String message, Object... args) {
    return create(code, args.length == 0 ? message : String.format(message, args), null);
  }

  static SQLFeatureNotSupportedException unsupported(String what) {
    return (SQLFeatureNotSupportedException)
        create(ErrorCode.UNSUPPORTED, what + " is not supported by Icecap's JDBC driver", null);
  }

  static SQLException closed(String what) {
    return of(ErrorCode.SESSION_CLOSED, "The %s is closed", what);
  }
}
