package io.icecap.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.client.ErrorCode;
import io.icecap.client.IcecapException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import org.junit.jupiter.api.Test;

class JdbcErrorsTest {
  @Test
  void everyCodeKeepsItsSqlStateVendorCodeMessageAndCause() {
    for (ErrorCode code : ErrorCode.values()) {
      IcecapException cause = new IcecapException(code, "what went wrong, and what to do");
      SQLException e = JdbcErrors.of(cause);
      assertThat(e.getSQLState()).as(code.name()).isEqualTo(code.sqlState());
      assertThat(e.getErrorCode()).as(code.name()).isEqualTo(code.code());
      assertThat(e.getMessage()).isEqualTo("what went wrong, and what to do");
      assertThat(e.getCause()).isSameAs(cause);
    }
  }

  @Test
  void theSubclassFollowsTheKindOfError() {
    assertThat((Throwable) JdbcErrors.of(ErrorCode.SYNTAX_ERROR, "x"))
        .isInstanceOf(SQLSyntaxErrorException.class);
    assertThat((Throwable) JdbcErrors.of(ErrorCode.UNKNOWN_TABLE, "x"))
        .isInstanceOf(SQLSyntaxErrorException.class);
    assertThat((Throwable) JdbcErrors.of(ErrorCode.WRITE_ABORTED, "x"))
        .isInstanceOf(SQLTransactionRollbackException.class);
    assertThat((Throwable) JdbcErrors.of(ErrorCode.WRITE_TIMEOUT, "x"))
        .isInstanceOf(SQLTimeoutException.class);
    assertThat((Throwable) JdbcErrors.of(ErrorCode.UNSUPPORTED, "x"))
        .isInstanceOf(SQLFeatureNotSupportedException.class);
    assertThat((Throwable) JdbcErrors.of(ErrorCode.CONNECTION_FAILED, "x"))
        .isInstanceOf(SQLTransientConnectionException.class);
    assertThat((Throwable) JdbcErrors.of(ErrorCode.SESSION_CLOSED, "x"))
        .isInstanceOf(SQLNonTransientConnectionException.class);
    assertThat((Throwable) JdbcErrors.of(ErrorCode.INVALID_PROPERTY, "x"))
        .isInstanceOf(SQLDataException.class);
    assertThat((Throwable) JdbcErrors.of(ErrorCode.BUSY, "x"))
        .as("another run holds the table: try again later")
        .isInstanceOf(SQLTransientException.class);
    assertThat((Throwable) JdbcErrors.of(ErrorCode.WRITE_OUTCOME_UNKNOWN, "x"))
        .as("nothing that invites a blind retry of a write that may be in the log")
        .isExactlyInstanceOf(SQLException.class);
  }
}
