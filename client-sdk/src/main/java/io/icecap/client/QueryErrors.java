package io.icecap.client;

import java.sql.SQLException;

/** DuckDB's errors of a running query, as coded errors. */
final class QueryErrors {
  private QueryErrors() {}

  /**
   * Whether DuckDB failed on a file it read rather than on the query: an I/O error, or a file that
   * is not the Parquet its name says (truncated, overwritten, damaged).
   */
  static boolean damagedFile(SQLException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    return message.startsWith("IO Error")
        || message.contains("No magic bytes found")
        || message.contains("too small to be a Parquet file")
        || (message.startsWith("Invalid Input Error") && message.contains("Parquet"))
        || message.contains("Corrupt");
  }

  /** A failure to read a table's file, naming it as DuckDB's message does. */
  static IcecapException storage(SQLException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    int newline = message.indexOf('\n');
    return new IcecapException(
        ErrorCode.STORAGE_ERROR,
        e,
        "Cannot read a data file of the query's tables: %s; the file is damaged or was changed"
            + " outside Iceberg",
        newline < 0 ? message : message.substring(0, newline));
  }

  static IcecapException of(SQLException e, String sql) {
    if (damagedFile(e)) {
      return storage(e);
    }
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
