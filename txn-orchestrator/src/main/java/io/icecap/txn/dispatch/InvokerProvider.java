package io.icecap.txn.dispatch;

import io.icecap.txn.log.TransactionLog;
import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceLoader;
import org.apache.iceberg.catalog.Catalog;

/**
 * Makes invokers that run apply jobs in this process. Found with {@link ServiceLoader}: the
 * embedded mode of the client uses the one on the class path without depending on worker code.
 */
public interface InvokerProvider {
  /**
   * Creates an invoker with its own worker.
   *
   * @param catalog the catalog of the tables applied
   * @param logs the catalog's transaction logs
   * @param owner the worker's id, recorded in the leases it takes
   * @param workDir a local directory for the worker's cache and working files
   * @param threads how many tables may be applied at once
   */
  Invoker create(Catalog catalog, TransactionLog logs, String owner, Path workDir, int threads);

  /** The first provider on the class path, if any. */
  static Optional<InvokerProvider> find() {
    return ServiceLoader.load(InvokerProvider.class).findFirst();
  }
}
