package io.icecap.txn.sql;

/**
 * The SQL text is readable but is not a write Icecap accepts: not an INSERT, UPDATE or DELETE, more
 * than one statement, a leading WITH clause, or an unsupported parameter style. The message says
 * what was found, at which 0-based character offset, and what to submit instead.
 */
public final class UnsupportedStatementException extends RuntimeException {
  private final int position;

  UnsupportedStatementException(int position, String message) {
    super(message);
    this.position = position;
  }

  /** Returns the 0-based character offset into the SQL text of the refused construct. */
  public int position() {
    return position;
  }
}
