package io.icecap.txn.sql;

/**
 * The SQL text of a write cannot be read: an unterminated literal or comment, unbalanced brackets,
 * or tokens that do not form an INSERT, UPDATE or DELETE. The message names the problem, the
 * 0-based character offset where it was found, and what to change.
 */
public final class SqlSyntaxException extends RuntimeException {
  private final int position;

  SqlSyntaxException(int position, String message) {
    super(message);
    this.position = position;
  }

  /** Returns the 0-based character offset into the SQL text where the problem was found. */
  public int position() {
    return position;
  }
}
