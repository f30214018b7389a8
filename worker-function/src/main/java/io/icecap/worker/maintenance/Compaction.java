package io.icecap.worker.maintenance;

import static java.util.Objects.requireNonNull;

import io.icecap.worker.CompactionOptions;
import io.icecap.worker.CompactionResult;
import io.icecap.worker.Worker;
import java.time.Duration;
import java.util.List;

/**
 * Compacts a table's partitions with the worker's compaction ({@link Worker#compact}), by the
 * table's policy: target file size, and how many small files make a partition worth rewriting. A
 * compaction that gives up (conflicts, busy partitions) reports nothing done; the worker logs why.
 */
final class Compaction {
  private final Worker worker;

  Compaction(Worker worker) {
    this.worker = requireNonNull(worker, "worker is null");
  }

  TaskReport run(MaintenanceContext context) {
    long started = System.nanoTime();
    CompactionResult result =
        worker.compact(
            context.log().table(),
            new CompactionOptions(
                context.policy().targetFileSizeBytes(),
                context.policy().compactMinFiles(),
                context.dryRun(),
                CompactionOptions.DEFAULT_ATTEMPTS),
            (step, partition, done, total) ->
                context
                    .progress()
                    .progress(
                        MaintenanceTask.COMPACT,
                        step
                            + " partition "
                            + (partition.isEmpty() ? "(unpartitioned)" : partition),
                        done,
                        total));
    List<String> files =
        result.files().size() > TaskReport.LISTED_FILES
            ? result.files().subList(0, TaskReport.LISTED_FILES)
            : result.files();
    return new TaskReport(
        MaintenanceTask.COMPACT,
        0,
        result.filesRemoved(),
        result.bytesRemoved(),
        result.filesWritten(),
        result.bytesWritten(),
        result.partitions().size(),
        files,
        Duration.ofNanos(System.nanoTime() - started));
  }
}
