package io.icecap.txn.log;

import static java.util.Objects.requireNonNull;

/**
 * One record of a table's log.
 *
 * @param sequence its sequence number
 * @param record the encoded transaction
 * @param appendedAtMillis when Redis appended it, by Redis's clock
 */
public record LogEntry(long sequence, String record, long appendedAtMillis) {
  /** Checks the values. */
  public LogEntry {
    requireNonNull(record, "record is null");
  }
}
