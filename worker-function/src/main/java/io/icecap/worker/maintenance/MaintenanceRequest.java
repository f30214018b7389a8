package io.icecap.worker.maintenance;

import static java.util.Objects.requireNonNull;

import java.util.EnumSet;
import java.util.Set;

/**
 * What one maintenance run does.
 *
 * @param tasks the tasks to run, in the order of {@link MaintenanceTask}
 * @param dryRun whether to only report what would be removed and written, changing nothing
 */
public record MaintenanceRequest(Set<MaintenanceTask> tasks, boolean dryRun) {
  public MaintenanceRequest {
    requireNonNull(tasks, "tasks is null");
    if (tasks.isEmpty()) {
      throw new IllegalArgumentException("A maintenance run needs at least one task");
    }
    tasks = Set.copyOf(EnumSet.copyOf(tasks));
  }

  /** Every task. */
  public static MaintenanceRequest all(boolean dryRun) {
    return new MaintenanceRequest(EnumSet.allOf(MaintenanceTask.class), dryRun);
  }

  /** Whether the run includes the task. */
  public boolean includes(MaintenanceTask task) {
    return tasks.contains(task);
  }
}
