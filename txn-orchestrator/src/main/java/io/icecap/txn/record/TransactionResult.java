package io.icecap.txn.record;

import java.util.List;

/**
 * The outcome of an applied transaction.
 *
 * @param committed whether its effects are in the table (else it was aborted and has none)
 * @param rowCounts the rows each statement inserted, updated or deleted, over all partitions (empty
 *     when aborted)
 * @param error why it was aborted, else null
 */
public record TransactionResult(boolean committed, List<Long> rowCounts, String error) {
  /** Checks and copies the values. */
  public TransactionResult {
    rowCounts = List.copyOf(rowCounts);
    if (committed == (error != null)) {
      throw new IllegalArgumentException("An aborted result has an error, a committed one none");
    }
  }

  /** A committed transaction's result. */
  public static TransactionResult committed(List<Long> rowCounts) {
    return new TransactionResult(true, rowCounts, null);
  }

  /** An aborted transaction's result. */
  public static TransactionResult aborted(String error) {
    return new TransactionResult(false, List.of(), error);
  }

  /** The rows all statements touched. */
  public long totalRows() {
    return rowCounts.stream().mapToLong(Long::longValue).sum();
  }
}
