package io.icecap.worker.maintenance;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * What one maintenance task did, or in a dry run would do.
 *
 * @param task the task
 * @param snapshotsExpired snapshots removed from the table's metadata
 * @param filesRemoved files deleted from storage (in a dry run: that would be); for compaction, the
 *     files it took out of the table, which the expiry of the snapshots that still reference them
 *     deletes later
 * @param bytesRemoved their bytes
 * @param filesWritten files written (compaction)
 * @param bytesWritten their bytes
 * @param partitions partitions compacted (compaction)
 * @param files in a dry run, the files that would be removed (at most {@link #LISTED_FILES}); else
 *     empty
 * @param took how long the task ran
 */
public record TaskReport(
    MaintenanceTask task,
    long snapshotsExpired,
    long filesRemoved,
    long bytesRemoved,
    long filesWritten,
    long bytesWritten,
    long partitions,
    List<String> files,
    Duration took) {
  /** How many file names a dry run's report lists. */
  public static final int LISTED_FILES = 1000;

  public TaskReport {
    requireNonNull(task, "task is null");
    requireNonNull(took, "took is null");
    files = List.copyOf(files);
  }
}
