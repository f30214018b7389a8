package io.icecap.txn.sql;

/**
 * A range of characters in the original SQL text: {@code start} inclusive, {@code end} exclusive,
 * both 0-based offsets as used by {@link String#substring(int, int)}.
 */
public record Span(int start, int end) {
  public Span {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException(
          String.format("Invalid span [%d, %d): need 0 <= start <= end", start, end));
    }
  }

  /** Returns the number of characters covered. */
  public int length() {
    return end - start;
  }

  /** Returns the covered part of {@code sql}, which must be the text this span was taken from. */
  public String text(String sql) {
    return sql.substring(start, end);
  }

  /** Returns true when the two spans share at least one character. */
  public boolean overlaps(Span other) {
    return start < other.end && other.start < end;
  }

  /** Returns true when {@code other} lies entirely inside this span. */
  public boolean contains(Span other) {
    return start <= other.start && other.end <= end;
  }
}
