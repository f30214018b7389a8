package io.icecap.txn.dispatch;

import static java.util.Objects.requireNonNull;

import io.icecap.txn.log.TransactionLog;

/**
 * Hands apply requests to worker processes through a list in Redis, which every {@code icecap
 * worker} process of the catalog takes from. Requests for a table already being applied are cheap:
 * the worker finds nothing pending or the leases held, and returns.
 */
public final class QueueInvoker implements Invoker {
  private final TransactionLog logs;

  /** Creates an invoker that queues on the catalog's Redis. */
  public QueueInvoker(TransactionLog logs) {
    this.logs = requireNonNull(logs, "logs is null");
  }

  @Override
  public void invoke(ApplyRequest request) {
    logs.enqueue(request.table(), request.upToSequence());
  }

  @Override
  public void close() {}
}
