package io.icecap.worker.maintenance;

import static java.util.Objects.requireNonNull;

import io.icecap.catalog.RedisOutage;
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

  /**
   * How long a run's maintenance lease lasts without being renewed; a run renews it as it reports
   * progress, so a run that dies lets the next one start this long after its last progress.
   */
  static final Duration LEASE_TIME = Duration.ofMinutes(5);

  private final Catalog catalog;
  private final TransactionLog logs;
  private final Compaction compaction;
  private final String owner;

  /**
   * @param catalog the catalog holding the tables
   * @param logs the catalog's transaction logs
   * @param worker the worker whose jobs compact partitions (they lease partitions as apply jobs do)
   * @param owner who runs maintenance (a worker's id), for the table's maintenance lease
   */
  public TableMaintenance(Catalog catalog, TransactionLog logs, Worker worker, String owner) {
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.logs = requireNonNull(logs, "logs is null");
    this.compaction = new Compaction(worker);
    this.owner = requireNonNull(owner, "owner is null");
  }

  /**
   * Runs the request's tasks on the table.
   *
   * @throws org.apache.iceberg.exceptions.NoSuchTableException when the table does not exist
   * @throws TablePropertyException when a property of the table's policy cannot be used; nothing is
   *     changed
   * @throws MaintenanceBusyException when another run holds the table's maintenance lease
   */
  public MaintenanceReport run(
      TableIdentifier identifier, MaintenanceRequest request, MaintenanceProgress progress) {
    long started = System.nanoTime();
    Table table = catalog.loadTable(identifier);
    MaintenancePolicy policy = MaintenancePolicy.of(identifier.toString(), table.properties());
    TableLog log = logs.table(identifier);
    if (!log.takeMaintenanceLease(owner, LEASE_TIME)) {
      throw new MaintenanceBusyException(
          String.format(
              "Cannot maintain %s now: %s is maintaining it; try again when its run ends",
              identifier, log.maintenance().leaseOwner().orElse("another run")));
    }
    List<TaskReport> reports = new ArrayList<>();
    RuntimeException failure = null;
    try {
      run(identifier, request, new Renewing(log, progress), table, policy, log, reports);
    } catch (RuntimeException e) {
      failure = e;
      throw e;
    } finally {
      record(log, request, reports, failure);
    }
    return new MaintenanceReport(
        identifier, request.dryRun(), reports, Duration.ofNanos(System.nanoTime() - started));
  }

  private void run(
      TableIdentifier identifier,
      MaintenanceRequest request,
      MaintenanceProgress progress,
      Table table,
      MaintenancePolicy policy,
      TableLog log,
      List<TaskReport> reports) {
    RuntimeException failed = null;
    for (MaintenanceTask task : MaintenanceTask.values()) {
      if (!request.includes(task)) {
        continue;
      }
      table.refresh();
      MaintenanceContext context =
          new MaintenanceContext(catalog, table, log, policy, request.dryRun(), progress);
      TaskReport report;
      try {
        report =
            switch (task) {
              case COMPACT -> compaction.run(context);
              case EXPIRE -> new SnapshotExpiry().run(context);
              case ORPHANS -> new OrphanFiles().run(context);
            };
      } catch (RuntimeException e) {
        if (Thread.currentThread().isInterrupted()
            || RedisOutage.isInterrupt(e)
            || RedisOutage.isOutage(e)) {
          throw e;
        }
        // one task that cannot run (a table compaction refuses, a location orphan clean-up
        // refuses) does not keep the others from running; the run fails with it at the end
        LOG.debug("{} of {} failed: {}", task, identifier, e.getMessage());
        if (failed == null) {
          failed = e;
        } else {
          failed.addSuppressed(e);
        }
        continue;
      }
      // a run that changed nothing (most runs of a table that is expired every minute) is not news
      boolean news =
          request.dryRun()
              || report.filesRemoved() > 0
              || report.filesWritten() > 0
              || report.snapshotsExpired() > 0;
      LOG.atLevel(news ? org.slf4j.event.Level.INFO : org.slf4j.event.Level.DEBUG)
          .log(
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
    if (failed != null) {
      throw failed;
    }
  }

  /**
   * Records the run beside the table's log and releases the lease. A dry run changed nothing, so it
   * leaves the table's schedule as it was.
   */
  private void record(
      TableLog log,
      MaintenanceRequest request,
      List<TaskReport> reports,
      RuntimeException failure) {
    try {
      if (failure != null
          && (Thread.currentThread().isInterrupted() || RedisOutage.isInterrupt(failure))) {
        // the worker is stopping: the run did not fail, the next check runs it again
        log.releaseMaintenanceLease(owner);
        return;
      }
      if (request.dryRun()) {
        log.releaseMaintenanceLease(owner);
        return;
      }
      log.recordMaintenance(
          owner,
          request.tasks().stream().map(TableMaintenance::taskName).sorted().toList(),
          deleted(reports).mapToLong(TaskReport::filesRemoved).sum(),
          deleted(reports).mapToLong(TaskReport::bytesRemoved).sum(),
          failure == null ? null : String.valueOf(failure.getMessage()));
    } catch (RuntimeException e) {
      if (failure != null) {
        failure.addSuppressed(e);
      } else {
        LOG.warn("Cannot record the maintenance of {}: {}", log.table(), e.getMessage());
      }
    }
  }

  /**
   * The reports of the tasks that delete from storage: compaction's files leave the table, and are
   * deleted (and counted) by the expiry of the snapshots that still reference them.
   */
  private static java.util.stream.Stream<TaskReport> deleted(List<TaskReport> reports) {
    return reports.stream().filter(report -> report.task() != MaintenanceTask.COMPACT);
  }

  /** The name a task's last run is kept under beside the table's log. */
  static String taskName(MaintenanceTask task) {
    return task.name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Passes progress on, renewing the run's maintenance lease at most every tenth of its time; a
   * lease another run took over (this run stalled past it) ends this run.
   */
  private final class Renewing implements MaintenanceProgress {
    private final TableLog log;
    private final MaintenanceProgress progress;
    private long renewedAt = System.nanoTime();

    Renewing(TableLog log, MaintenanceProgress progress) {
      this.log = log;
      this.progress = progress;
    }

    @Override
    public void progress(MaintenanceTask task, String step, long done, long total) {
      if (System.nanoTime() - renewedAt > LEASE_TIME.toNanos() / 10) {
        if (!log.takeMaintenanceLease(owner, LEASE_TIME)) {
          throw new MaintenanceBusyException(
              "The maintenance of " + log.table() + " stalled and another run took it over");
        }
        renewedAt = System.nanoTime();
      }
      progress.progress(task, step, done, total);
    }
  }
}
