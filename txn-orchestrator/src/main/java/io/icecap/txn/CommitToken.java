package io.icecap.txn;

import static java.util.Objects.requireNonNull;

import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The acknowledgement of a submitted transaction: it is durably in the table's log (as durably as
 * Redis's persistence settings make it) under this sequence number.
 *
 * @param table the table
 * @param sequence the transaction's sequence number in the table's log
 * @param transactionId the id the transaction was submitted under
 */
public record CommitToken(TableIdentifier table, long sequence, String transactionId) {
  /** Checks the values. */
  public CommitToken {
    requireNonNull(table, "table is null");
    requireNonNull(transactionId, "transactionId is null");
    if (sequence < 1) {
      throw new IllegalArgumentException("Sequence numbers start at 1: " + sequence);
    }
  }
}
