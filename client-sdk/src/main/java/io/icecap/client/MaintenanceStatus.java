package io.icecap.client;

import static java.util.Objects.requireNonNull;

import io.icecap.worker.maintenance.MaintenanceTask;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * A table's maintenance as its log records it.
 *
 * @param table the table
 * @param lastRun when each task last ran (tasks that never ran are absent)
 * @param lastAt when the last run ended, if one did
 * @param lastError the last run's error, if it failed
 * @param filesRemoved files maintenance removed in total
 * @param bytesRemoved bytes maintenance removed in total
 * @param runningBy who runs maintenance on the table now, if anyone
 */
public record MaintenanceStatus(
    String table,
    Map<MaintenanceTask, Instant> lastRun,
    Optional<Instant> lastAt,
    Optional<String> lastError,
    long filesRemoved,
    long bytesRemoved,
    Optional<String> runningBy) {
  public MaintenanceStatus {
    requireNonNull(table, "table is null");
    lastRun = Map.copyOf(lastRun);
    requireNonNull(lastAt, "lastAt is null");
    requireNonNull(lastError, "lastError is null");
    requireNonNull(runningBy, "runningBy is null");
  }

  static MaintenanceStatus of(TableIdentifier table, io.icecap.txn.log.MaintenanceState state) {
    Map<MaintenanceTask, Instant> lastRun = new EnumMap<>(MaintenanceTask.class);
    for (MaintenanceTask task : MaintenanceTask.values()) {
      Instant at = state.lastRun().get(task.name().toLowerCase(Locale.ROOT));
      if (at != null) {
        lastRun.put(task, at);
      }
    }
    return new MaintenanceStatus(
        table.toString(),
        lastRun,
        state.lastAt(),
        state.lastError(),
        state.filesRemoved(),
        state.bytesRemoved(),
        state.leaseOwner());
  }
}
