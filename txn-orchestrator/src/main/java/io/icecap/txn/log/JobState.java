package io.icecap.txn.log;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Set;

/**
 * What an apply job starts from, read in one atomic step.
 *
 * @param metadataLocation the table's current metadata file
 * @param head the last sequence number assigned (0 when none)
 * @param watermark every record up to this sequence number is applied
 * @param serverTimeMillis Redis's clock when the state was read
 * @param done sequence numbers above the watermark that are applied
 * @param replicas the replica map: partition key to its entry
 * @param leases the partition leases, expired ones included
 */
public record JobState(
    String metadataLocation,
    long head,
    long watermark,
    long serverTimeMillis,
    Set<Long> done,
    Map<String, String> replicas,
    Map<String, Lease> leases) {
  /** Checks and copies the values. */
  public JobState {
    requireNonNull(metadataLocation, "metadataLocation is null");
    done = Set.copyOf(done);
    replicas = Map.copyOf(replicas);
    leases = Map.copyOf(leases);
  }

  /** Whether the record with this sequence number is applied already. */
  public boolean isApplied(long sequence) {
    return sequence <= watermark || done.contains(sequence);
  }

  /** Whether some record is not applied yet. */
  public boolean hasPending() {
    return head > watermark + done.size();
  }
}
