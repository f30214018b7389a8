package io.icecap.worker.maintenance;

/** The kinds of table maintenance, in the order a run that has several does them. */
public enum MaintenanceTask {
  /**
   * Rewrite partitions whose files are many and small, carry delete files or were written under an
   * older partition spec, into files of the target size; then rewrite the manifests.
   */
  COMPACT,
  /**
   * Expire snapshots past the table's retention, and delete what only they referenced: data and
   * delete files, manifests, manifest lists, DuckDB replicas no longer named, applied staged files.
   */
  EXPIRE,
  /** Delete files under the table's location that nothing references, older than a grace period. */
  ORPHANS
}
