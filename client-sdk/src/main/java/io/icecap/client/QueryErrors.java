package io.icecap.client;

import java.sql.SQLException;

/** DuckDB's errors of a running query, as coded errors. */
final class QueryErrors {
  private QueryErrors() {}

  static IcecapException of(SQLException e, String sql) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    ErrorCode code =
        message.startsWith("Parser Error")
            ? ErrorCode.SYNTAX_ERROR
            : message.startsWith("Binder Error") && message.contains("column")
                ? ErrorCode.UNKNOWN_COLUMN
                : message.startsWith("Conversion Error") || message.contains("Mismatch Type Error")
                    ? ErrorCode.TYPE_ERROR
                    : message.startsWith("Catalog Error")
                        ? ErrorCode.UNKNOWN_TABLE
                        : message.startsWith("Invalid Input Error") && message.contains("parameter")
                            ? ErrorCode.INVALID_PARAMETER
                            : ErrorCode.QUERY_FAILED;
    int newline = message.indexOf('\n');
    String first = newline < 0 ? message : message.substring(0, newline);
    if (message.startsWith("Permission Error")) {
      return new IcecapException(
          ErrorCode.QUERY_FAILED,
          e,
          "Query failed: %s. Queries read only the lake tables they name; to let them read local"
              + " files as DuckDB does, open the session with local file access"
              + " (IcecapConfig.withLocalFileAccess(true), or localFileAccess=true in a JDBC URL)",
          first);
    }
    return new IcecapException(code, e, "Query failed: %s", first);
  }
}
