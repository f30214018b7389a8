package io.icecap.worker;

import io.icecap.txn.dispatch.Invoker;
import io.icecap.txn.dispatch.InvokerProvider;
import io.icecap.txn.log.TransactionLog;
import java.nio.file.Path;
import org.apache.iceberg.catalog.Catalog;

/**
 * Provides {@link EmbeddedWorker}s: apply jobs on threads of this process, with default settings,
 * and the table maintenance that is due.
 */
public final class LocalInvokerProvider implements InvokerProvider {
  @Override
  public Invoker create(
      Catalog catalog, TransactionLog logs, String owner, Path workDir, int threads) {
    return new EmbeddedWorker(
        catalog,
        logs,
        new Worker(catalog, logs, WorkerSettings.defaults(owner, workDir), JobHooks.NONE),
        owner,
        threads);
  }
}
