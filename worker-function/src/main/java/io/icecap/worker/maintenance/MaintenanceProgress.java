package io.icecap.worker.maintenance;

/**
 * Where a long maintenance task reports how far it got: a command-line progress bar, a log line.
 * Called from the thread that runs the task.
 */
@FunctionalInterface
public interface MaintenanceProgress {
  /** Reports nothing. */
  MaintenanceProgress NONE = (task, step, done, total) -> {};

  /**
   * Reports progress.
   *
   * @param task the task under way
   * @param step what it does now, in a few words ("listing files", "deleting files")
   * @param done how many units of the step are done
   * @param total how many units the step has, or -1 when not known yet
   */
  void progress(MaintenanceTask task, String step, long done, long total);
}
