package io.icecap.worker.maintenance;

/** Not built yet. */
final class OrphanFiles {
  TaskReport run(MaintenanceContext context) {
    throw new UnsupportedOperationException("OrphanFiles is not built yet");
  }
}
