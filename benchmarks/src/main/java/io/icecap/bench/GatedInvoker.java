package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import io.icecap.txn.dispatch.ApplyRequest;
import io.icecap.txn.dispatch.Invoker;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An invoker that passes requests on while open and drops them while closed, so a benchmark can let
 * acknowledged writes pile up in the logs with the workers running. Open when made.
 */
final class GatedInvoker implements Invoker {
  private final Invoker target;
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean open = true;

  /**
   * @param target where requests go while the gate is open; closing this invoker closes it
   */
  GatedInvoker(Invoker target) {
    this.target = requireNonNull(target, "target is null");
  }

  @Override
  public void invoke(ApplyRequest request) {
    if (open) {
      target.invoke(request);
    } else {
      dropped.incrementAndGet();
    }
  }

  /** Passes requests on from now. */
  void open() {
    open = true;
  }

  /** Drops requests from now. */
  void shut() {
    open = false;
  }

  /** How many requests were dropped so far. */
  long dropped() {
    return dropped.get();
  }

  @Override
  public void close() {
    target.close();
  }
}
