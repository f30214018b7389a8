package io.icecap.worker.maintenance;

import static java.util.Objects.requireNonNull;

import io.icecap.txn.log.TableLog;
import io.icecap.txn.log.TransactionLog;
import io.icecap.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs maintenance on a table: compaction, snapshot expiry and orphan clean-up, as a request asks,
 * by the table's {@link MaintenancePolicy}. The same code runs by hand ({@code icecap maintain},
 * the SDK) and in workers when maintenance is due.
 */
public final class TableMaintenance {
  private static final Logger LOG = LoggerFactory.getLogger(TableMaintenance.class);

  private final Catalog catalog;
  private final TransactionLog logs;
  private final Compaction compaction;

  /**
   * @param catalog the catalog holding the tables
   * @param logs the catalog's transaction logs
   * @param worker the worker whose jobs compact partitions (they lease partitions as apply jobs do)
   */
  public TableMaintenance(Catalog catalog, TransactionLog logs, Worker worker) {
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.logs = requireNonNull(logs, "logs is null");
    this.compaction = new Compaction(worker);
  }

  /**
   * Runs the request's tasks on the table.
   *
   * @throws org.apache.iceberg.exceptions.NoSuchTableException when the table does not exist
   * @throws TablePropertyException when a property of the table's policy cannot be used; nothing is
   *     changed
   */
  public MaintenanceReport run(
      TableIdentifier identifier, MaintenanceRequest request, MaintenanceProgress progress) {
    long started = System.nanoTime();
    Table table = catalog.loadTable(identifier);
    MaintenancePolicy policy = MaintenancePolicy.of(identifier.toString(), table.properties());
    TableLog log = logs.table(identifier);
    List<TaskReport> reports = new ArrayList<>();
    for (MaintenanceTask task : MaintenanceTask.values()) {
      if (!request.includes(task)) {
        continue;
      }
      table.refresh();
      MaintenanceContext context =
          new MaintenanceContext(catalog, table, log, policy, request.dryRun(), progress);
      TaskReport report =
          switch (task) {
            case COMPACT -> compaction.run(context);
            case EXPIRE -> new SnapshotExpiry().run(context);
            case ORPHANS -> new OrphanFiles().run(context);
          };
      LOG.info(
          "{} {} of {}: {} files ({} bytes) removed, {} files ({} bytes) written in {} ms",
          request.dryRun() ? "Dry run of" : "Ran",
          task,
          identifier,
          report.filesRemoved(),
          report.bytesRemoved(),
          report.filesWritten(),
          report.bytesWritten(),
          report.took().toMillis());
      reports.add(report);
    }
    return new MaintenanceReport(
        identifier, request.dryRun(), reports, Duration.ofNanos(System.nanoTime() - started));
  }
}
