package io.icecap.txn.log;

/**
 * The records of a table's log that were aborted when applied: how many, and the last one.
 *
 * @param count how many records have been aborted since the table was created
 * @param lastSequence the sequence number of the last one, 0 when none
 * @param lastReason why the last one was aborted (cut to 500 characters), empty when none
 * @param lastAtMillis when the last one was published, by Redis's clock; 0 when none
 */
public record AbortedRecords(long count, long lastSequence, String lastReason, long lastAtMillis) {
  /** No record aborted. */
  public static final AbortedRecords NONE = new AbortedRecords(0, 0, "", 0);
}
