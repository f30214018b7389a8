package io.icecap.client;

/**
 * The errors Icecap reports to clients, each with a stable vendor code and the SQLState JDBC tools
 * expect. Codes never change meaning; new errors get new codes.
 */
public enum ErrorCode {
  /** The SQL text does not parse. */
  SYNTAX_ERROR(1001, "42601"),
  /** A table the statement names does not exist. */
  UNKNOWN_TABLE(1002, "42P01"),
  /** A schema (namespace) the statement names does not exist. */
  UNKNOWN_SCHEMA(1003, "3F000"),
  /** A table or schema to create exists already. */
  ALREADY_EXISTS(1004, "42P07"),
  /** A column the statement names does not exist, or is ambiguous. */
  UNKNOWN_COLUMN(1005, "42703"),
  /** A value does not fit its column's type, or an expression's types do not match. */
  TYPE_ERROR(1006, "42804"),
  /** A write was refused at submit: nothing was appended to the log. */
  WRITE_REFUSED(1007, "42000"),
  /** A write was acknowledged, then aborted when applied: it has no effect. */
  WRITE_ABORTED(1008, "40000"),
  /** A write was acknowledged but not applied within the wait; it stays in the log. */
  WRITE_TIMEOUT(1009, "HYT00"),
  /** The statement or feature is not supported. */
  UNSUPPORTED(1010, "0A000"),
  /**
   * Redis or the warehouse cannot be reached. A write reported so was not appended to the log:
   * failures after its request went out are {@link #WRITE_OUTCOME_UNKNOWN}.
   */
  CONNECTION_FAILED(1011, "08001"),
  /** The session (or connection) is closed. */
  SESSION_CLOSED(1012, "08003"),
  /** The statement is not allowed in the session's transaction state. */
  TRANSACTION_STATE(1013, "25000"),
  /** A file of the table or of the local cache cannot be read or written. */
  STORAGE_ERROR(1014, "58030"),
  /** A query failed while it ran. */
  QUERY_FAILED(1015, "42000"),
  /** Another writer changed the table's metadata at the same time; retry the statement. */
  COMMIT_CONFLICT(1016, "40001"),
  /** A bound parameter is missing or of a type that cannot be sent. */
  INVALID_PARAMETER(1017, "22023"),
  /** A configuration value or connection URL is malformed. */
  INVALID_CONFIGURATION(1018, "HY024"),
  /** The read cache's disk has no room for a file a query needs, even after evicting. */
  CACHE_FULL(1019, "53100"),
  /** A query was cancelled by {@link IcecapSession#cancel()}. */
  QUERY_CANCELLED(1020, "57014"),
  /** A query ran past the session's query timeout and was cancelled. */
  QUERY_TIMEOUT(1021, "57014"),
  /**
   * A write's request reached Redis, or may have, but no answer came back, even when it was sent
   * again: the write may be in the log, and then it will be applied. The message gives its
   * transaction id, which {@link IcecapSession#findTransaction} (or {@code icecap log TABLE
   * --transaction=ID}) looks up; SQLState 08007, "transaction resolution unknown".
   */
  WRITE_OUTCOME_UNKNOWN(1022, "08007"),
  /**
   * The Redis user lacks a permission the statement needs (its ACL rules): nothing was changed.
   * Dropping or renaming a table takes the admin role; see {@code io.icecap.catalog.AclRole}.
   */
  PERMISSION_DENIED(1023, "42501"),
  /**
   * A table property has a value Icecap cannot use (a retention of zero, a number that is not one,
   * a format version it does not write), is reserved, or is named twice: nothing was changed. The
   * message names the property.
   */
  INVALID_PROPERTY(1024, "22023"),
  /**
   * Another run holds what the statement needs for itself (a table's maintenance lease): nothing
   * was done; try again when it ends.
   */
  BUSY(1025, "55006"),
  /** Anything else: a defect in Icecap. */
  INTERNAL(1099, "XX000");

  private final int code;
  private final String sqlState;

  ErrorCode(int code, String sqlState) {
    this.code = code;
    this.sqlState = sqlState;
  }

  /** The vendor code, as {@link java.sql.SQLException#getErrorCode()} returns it. */
  public int code() {
    return code;
  }

  /** The SQLState, five characters. */
  public String sqlState() {
    return sqlState;
  }
}
