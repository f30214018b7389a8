package io.icecap.worker.maintenance;

/** Not built yet. */
final class SnapshotExpiry {
  TaskReport run(MaintenanceContext context) {
    throw new UnsupportedOperationException("SnapshotExpiry is not built yet");
  }
}
