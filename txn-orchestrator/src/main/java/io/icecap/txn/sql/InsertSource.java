package io.icecap.txn.sql;

/** Where an INSERT takes its rows from. */
public enum InsertSource {
  /** {@code VALUES (...), (...)}. */
  VALUES,
  /**
   * A query: {@code SELECT ...}, {@code FROM ... SELECT ...}, {@code WITH ...}, {@code TABLE t}.
   */
  SELECT,
  /** {@code DEFAULT VALUES}. */
  DEFAULT_VALUES
}
