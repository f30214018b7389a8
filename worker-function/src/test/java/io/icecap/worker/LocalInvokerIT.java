package io.icecap.worker;

import io.icecap.catalog.RedisCatalog;
import io.icecap.txn.dispatch.Invoker;
import io.icecap.txn.log.TransactionLog;
import java.nio.file.Path;
import java.util.Map;

/** The invoker contract for jobs on threads of this process. */
class LocalInvokerIT extends InvokerContract {
  private RedisCatalog catalog;
  private TransactionLog logs;

  @Override
  Invoker invoker(Map<String, String> properties, Path work) {
    catalog = new RedisCatalog();
    catalog.initialize("test", properties);
    logs = TransactionLog.open("test", properties, "worker");
    return new LocalInvoker(
        new Worker(catalog, logs, WorkerSettings.defaults("w1", work.resolve("w1")), JobHooks.NONE),
        2);
  }

  @Override
  void stopWorkers() {
    logs.close();
    catalog.close();
  }
}
