package io.icecap.txn.validate;

/**
 * Size limits of submitted transactions.
 *
 * @param maxStatementChars the longest statement text accepted
 * @param stageAboveChars inserts whose text is longer than this are staged as Parquet files in
 *     object storage, so that the log in Redis holds a reference and stays small
 * @param maxInsertRows the most rows one insert statement may write
 */
public record ValidationLimits(long maxStatementChars, long stageAboveChars, long maxInsertRows) {
  /** Checks the values. */
  public ValidationLimits {
    if (maxStatementChars < 1 || stageAboveChars < 0 || maxInsertRows < 1) {
      throw new IllegalArgumentException("Validation limits must be positive");
    }
  }

  /** 16 MiB statements, staging above 1 MiB, 10 million rows per insert. */
  public static ValidationLimits defaults() {
    return new ValidationLimits(16L << 20, 1L << 20, 10_000_000);
  }
}
