package io.icecap.worker.maintenance;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * What one maintenance run on a table did.
 *
 * @param table the table
 * @param dryRun whether nothing was changed
 * @param tasks each task's report, in the order they ran
 * @param took how long the run took
 */
public record MaintenanceReport(
    TableIdentifier table, boolean dryRun, List<TaskReport> tasks, Duration took) {
  public MaintenanceReport {
    requireNonNull(table, "table is null");
    requireNonNull(took, "took is null");
    tasks = List.copyOf(tasks);
  }

  /** Files removed by every task. */
  public long filesRemoved() {
    return tasks.stream().mapToLong(TaskReport::filesRemoved).sum();
  }

  /** Bytes removed by every task. */
  public long bytesRemoved() {
    return tasks.stream().mapToLong(TaskReport::bytesRemoved).sum();
  }

  /** Files written by every task. */
  public long filesWritten() {
    return tasks.stream().mapToLong(TaskReport::filesWritten).sum();
  }

  /** Bytes written by every task. */
  public long bytesWritten() {
    return tasks.stream().mapToLong(TaskReport::bytesWritten).sum();
  }
}
