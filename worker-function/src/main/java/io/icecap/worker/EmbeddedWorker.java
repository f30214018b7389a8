package io.icecap.worker;

import static java.util.Objects.requireNonNull;

import io.icecap.catalog.RedisOutage;
import io.icecap.txn.dispatch.ApplyRequest;
import io.icecap.txn.dispatch.Invoker;
import io.icecap.txn.log.TransactionLog;
import io.icecap.worker.maintenance.MaintenanceLoop;
import io.icecap.worker.maintenance.MaintenanceScheduler;
import io.icecap.worker.maintenance.TableMaintenance;
import java.time.Duration;
import org.apache.iceberg.catalog.Catalog;

/**
 * A worker inside a client's process (the SDK's embedded and in-process modes): apply jobs on a
 * pool of threads ({@link LocalInvoker}), and the table maintenance that is due, checked on a
 * thread of its own as worker processes do.
 */
public final class EmbeddedWorker implements Invoker {
  /** The pause between two checks for due maintenance. */
  static final Duration MAINTENANCE_CHECKS = Duration.ofSeconds(10);

  private final LocalInvoker invoker;
  private final MaintenanceLoop loop;

  EmbeddedWorker(Catalog catalog, TransactionLog logs, Worker worker, String owner, int threads) {
    requireNonNull(catalog, "catalog is null");
    requireNonNull(logs, "logs is null");
    this.invoker = new LocalInvoker(worker, threads);
    this.loop =
        new MaintenanceLoop(
            new MaintenanceScheduler(
                catalog, logs, new TableMaintenance(catalog, logs, worker, owner)),
            MAINTENANCE_CHECKS,
            MAINTENANCE_CHECKS,
            new RedisOutage(logs.server()));
  }

  /** The worker whose jobs run here (maintenance by hand in this process compacts with it). */
  public Worker worker() {
    return invoker.worker();
  }

  @Override
  public void invoke(ApplyRequest request) {
    invoker.invoke(request);
  }

  /** Stops checking for maintenance, then stops the jobs and closes the worker. */
  @Override
  public void close() {
    try {
      loop.close();
    } finally {
      invoker.close();
    }
  }
}
