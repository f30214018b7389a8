package io.icecap.worker;

import io.icecap.testing.TestingJvmFleet;
import io.icecap.txn.dispatch.Invoker;
import io.icecap.txn.dispatch.QueueInvoker;
import io.icecap.txn.log.TransactionLog;
import java.nio.file.Path;
import java.util.Map;

/**
 * The invoker contract for jobs queued in Redis and taken by two {@code icecap worker} processes on
 * a warehouse in the S3-API server.
 */
class QueueInvokerIT extends InvokerContract {
  private TransactionLog logs;
  private TestingJvmFleet fleet;

  @Override
  Invoker invoker(Map<String, String> properties, Path work) {
    fleet = WorkerFleet.start(2, TestingWritePath.workerOptions(properties), work.resolve("fleet"));
    logs = TransactionLog.open(TestingWritePath.CATALOG, properties, "queue");
    return new QueueInvoker(logs);
  }

  @Override
  void stopWorkers() {
    try {
      fleet.close();
    } finally {
      logs.close();
    }
  }
}
