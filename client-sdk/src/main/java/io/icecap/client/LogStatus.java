package io.icecap.client;

import java.util.List;
import java.util.Map;

/**
 * The state of a table's transaction log: what is acknowledged but not yet in a snapshot.
 *
 * @param table the table, {@code namespace.name}
 * @param head the sequence number of the last acknowledged transaction
 * @param watermark every transaction up to this sequence number is in the table's current snapshot
 * @param pending how many acknowledged transactions are not in a snapshot yet
 * @param oldestPendingMillis how long the oldest of them has waited, by Redis's clock; 0 when none
 * @param leases the partitions being applied now: partition key to owner and milliseconds left
 * @param entries the first pending transactions, oldest first
 * @param aborted how many transactions were aborted when applied (refused by the workers' checks of
 *     the log, or failed on their values), since the table was created
 * @param lastAborted the last aborted transaction's sequence number and reason, or null when none
 */
public record LogStatus(
    String table,
    long head,
    long watermark,
    long pending,
    long oldestPendingMillis,
    Map<String, Lease> leases,
    List<Entry> entries,
    long aborted,
    Aborted lastAborted) {
  public LogStatus {
    leases = Map.copyOf(leases);
    entries = List.copyOf(entries);
  }

  /**
   * An aborted transaction.
   *
   * @param sequence its sequence number
   * @param reason why it was aborted
   */
  public record Aborted(long sequence, String reason) {}

  /**
   * A partition lease.
   *
   * @param owner the worker holding it
   * @param remainingMillis how long it still runs; negative once it expired
   */
  public record Lease(String owner, long remainingMillis) {}

  /**
   * A pending transaction.
   *
   * @param sequence its sequence number
   * @param ageMillis how long ago it was acknowledged
   * @param statements its statements: kind and SQL text (staged inserts show their file)
   */
  public record Entry(long sequence, long ageMillis, List<String> statements) {
    public Entry {
      statements = List.copyOf(statements);
    }
  }
}
