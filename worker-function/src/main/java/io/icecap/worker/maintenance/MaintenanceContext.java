package io.icecap.worker.maintenance;

import static java.util.Objects.requireNonNull;

import io.icecap.txn.log.TableLog;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;

/**
 * What a maintenance task works on.
 *
 * @param catalog the catalog holding the table (and the tables whose locations may nest in its own)
 * @param table the table, loaded when the run started
 * @param log the table's transaction state in Redis (log records, replica map, leases)
 * @param policy the table's maintenance policy
 * @param dryRun whether to change nothing and report what would be done
 * @param progress where to report progress
 */
record MaintenanceContext(
    Catalog catalog,
    Table table,
    TableLog log,
    MaintenancePolicy policy,
    boolean dryRun,
    MaintenanceProgress progress) {
  MaintenanceContext {
    requireNonNull(catalog, "catalog is null");
    requireNonNull(table, "table is null");
    requireNonNull(log, "log is null");
    requireNonNull(policy, "policy is null");
    requireNonNull(progress, "progress is null");
  }
}
