package io.icecap.txn.dispatch;

import static java.util.Objects.requireNonNull;

import org.apache.iceberg.catalog.TableIdentifier;

/**
 * A request to apply a table's log: an apply job for the partitions with pending records.
 *
 * @param table the table
 * @param upToSequence the job applies at least the records up to this sequence number
 */
public record ApplyRequest(TableIdentifier table, long upToSequence) {
  /** Checks the values. */
  public ApplyRequest {
    requireNonNull(table, "table is null");
  }
}
