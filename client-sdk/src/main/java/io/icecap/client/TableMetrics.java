package io.icecap.client;

import static java.util.Objects.requireNonNull;

import io.icecap.txn.log.MaintenanceState;
import io.icecap.txn.log.TransactionLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * What the metrics endpoint shows of each table that has a transaction log: its current snapshot's
 * totals and its maintenance. Read at most once a second, however many metrics a scrape reads.
 */
final class TableMetrics {
  private static final long FRESH_NANOS = 1_000_000_000L;

  /**
   * One table's figures.
   *
   * @param table the table's name
   * @param dataFiles data files of the current snapshot
   * @param deleteFiles delete files of the current snapshot
   * @param bytes bytes of the current snapshot's files
   * @param snapshots snapshots in the table's metadata
   * @param sinceMaintenance seconds since maintenance last ended on the table, if it ever did
   * @param bytesRemoved bytes maintenance removed in total
   * @param maintenanceFailed whether the last maintenance run failed
   */
  record Stats(
      String table,
      long dataFiles,
      long deleteFiles,
      long bytes,
      long snapshots,
      OptionalDouble sinceMaintenance,
      long bytesRemoved,
      boolean maintenanceFailed) {}

  private final TransactionLog logs;
  private final TableCache tables;
  private List<Stats> last = List.of();
  private long readAt;

  TableMetrics(TransactionLog logs, TableCache tables) {
    this.logs = requireNonNull(logs, "logs is null");
    this.tables = requireNonNull(tables, "tables is null");
  }

  /** Every active table's figures; a table that cannot be read now is left out. */
  synchronized List<Stats> read() {
    long now = System.nanoTime();
    if (readAt != 0 && now - readAt < FRESH_NANOS) {
      return last;
    }
    List<Stats> stats = new ArrayList<>();
    List<TableIdentifier> active;
    try {
      active = logs.activeTables();
    } catch (RuntimeException e) {
      active = List.of();
    }
    for (TableIdentifier identifier : active) {
      try {
        stats.add(stats(identifier));
      } catch (RuntimeException e) {
        // dropped, or its metadata cannot be read now: the next scrape tries again
      }
    }
    last = List.copyOf(stats);
    readAt = now;
    return last;
  }

  private Stats stats(TableIdentifier identifier) {
    Table table = tables.current(identifier);
    Snapshot current = table.currentSnapshot();
    Map<String, String> summary = current == null ? Map.of() : current.summary();
    long snapshots = 0;
    for (Snapshot ignored : table.snapshots()) {
      snapshots++;
    }
    MaintenanceState maintenance = logs.table(identifier).maintenance();
    OptionalDouble since =
        maintenance.lastAt().isEmpty()
            ? OptionalDouble.empty()
            : OptionalDouble.of(
                Math.max(
                        0,
                        maintenance.serverTime().toEpochMilli()
                            - maintenance.lastAt().get().toEpochMilli())
                    / 1000.0);
    return new Stats(
        identifier.toString(),
        number(summary, SnapshotSummary.TOTAL_DATA_FILES_PROP),
        number(summary, SnapshotSummary.TOTAL_DELETE_FILES_PROP),
        number(summary, SnapshotSummary.TOTAL_FILE_SIZE_PROP),
        snapshots,
        since,
        maintenance.bytesRemoved(),
        maintenance.lastError().isPresent());
  }

  private static long number(Map<String, String> summary, String property) {
    try {
      return Long.parseLong(summary.getOrDefault(property, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
