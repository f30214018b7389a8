package io.icecap.worker.maintenance;

import static java.util.Objects.requireNonNull;

import io.icecap.worker.Worker;

/** Not built yet. */
final class Compaction {
  private final Worker worker;

  Compaction(Worker worker) {
    this.worker = requireNonNull(worker, "worker is null");
  }

  TaskReport run(MaintenanceContext context) {
    throw new UnsupportedOperationException("Compaction is not built yet " + worker);
  }
}
