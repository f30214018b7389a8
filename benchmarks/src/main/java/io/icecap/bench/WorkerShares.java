package io.icecap.bench;

import io.icecap.bench.ScalingResult.Share;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * Which worker committed which snapshots, read from the snapshots' summaries: {@code icecap.worker}
 * names the worker process, and the rise of {@code icecap.sequence} over the table's previous
 * snapshot is the number of writes the checkpoint applied (one table is applied by one job at a
 * time, in sequence order).
 */
final class WorkerShares {
  /** The snapshot summary property naming the worker that committed a checkpoint. */
  static final String WORKER = "icecap.worker";

  private WorkerShares() {}

  /** The ids of every table's snapshots now, to tell later which snapshots are new. */
  static List<Set<Long>> snapshotIds(List<Table> tables) {
    List<Set<Long>> ids = new ArrayList<>();
    for (Table table : tables) {
      table.refresh();
      Set<Long> tableIds = new HashSet<>();
      for (Snapshot snapshot : table.snapshots()) {
        tableIds.add(snapshot.snapshotId());
      }
      ids.add(tableIds);
    }
    return ids;
  }

  /**
   * What each worker committed since {@code before} was taken, by worker id in order.
   *
   * @param before {@link #snapshotIds} of the same tables, in the same order
   */
  static Map<String, Share> since(List<Table> tables, List<Set<Long>> before) {
    Map<String, Share> shares = new TreeMap<>();
    for (int t = 0; t < tables.size(); t++) {
      Table table = tables.get(t);
      table.refresh();
      long previous = 0;
      for (Snapshot snapshot : table.snapshots()) {
        long sequence = sequence(snapshot);
        if (!before.get(t).contains(snapshot.snapshotId())) {
          String worker = snapshot.summary().getOrDefault(WORKER, "unknown");
          long writes = Math.max(0, sequence - previous);
          shares.merge(
              worker,
              new Share(1, writes),
              (a, b) -> new Share(a.snapshots() + b.snapshots(), a.writes() + b.writes()));
        }
        previous = Math.max(previous, sequence);
      }
    }
    return shares;
  }

  /** The snapshots in {@code shares}. */
  static int snapshots(Map<String, Share> shares) {
    return shares.values().stream().mapToInt(Share::snapshots).sum();
  }

  private static long sequence(Snapshot snapshot) {
    String sequence = snapshot.summary().get(SnapshotWatcher.SEQUENCE);
    return sequence == null ? 0 : Long.parseLong(sequence);
  }
}
