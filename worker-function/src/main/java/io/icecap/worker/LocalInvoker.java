package io.icecap.worker;

import static java.util.Objects.requireNonNull;

import io.icecap.txn.dispatch.ApplyRequest;
import io.icecap.txn.dispatch.Invoker;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.catalog.TableIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs apply jobs on a pool of threads of this process. One job per table runs at a time; requests
 * that arrive while it runs make it run once more when it ends.
 */
public final class LocalInvoker implements Invoker {
  private static final Logger LOG = LoggerFactory.getLogger(LocalInvoker.class);

  private final Worker worker;
  private final ExecutorService pool;
  private final Map<TableIdentifier, AtomicInteger> requests = new ConcurrentHashMap<>();

  /**
   * Creates an invoker.
   *
   * @param worker the worker whose jobs run here; closing the invoker closes it
   * @param threads how many tables may be applied at once
   */
  public LocalInvoker(Worker worker, int threads) {
    this.worker = requireNonNull(worker, "worker is null");
    AtomicInteger number = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            threads,
            runnable -> {
              Thread thread = new Thread(runnable, "icecap-worker-" + number.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  @Override
  public void invoke(ApplyRequest request) {
    AtomicInteger waiting = requests.computeIfAbsent(request.table(), table -> new AtomicInteger());
    if (waiting.getAndIncrement() == 0) {
      pool.execute(() -> run(request.table(), waiting));
    }
  }

  private void run(TableIdentifier table, AtomicInteger waiting) {
    while (true) {
      int seen = waiting.get();
      try {
        worker.apply(table);
      } catch (RuntimeException e) {
        LOG.warn("Apply job of {} failed; the sweeper retries it: {}", table, e.getMessage(), e);
      } catch (Error e) {
        waiting.set(0);
        throw e;
      }
      if (waiting.addAndGet(-seen) == 0) {
        return;
      }
    }
  }

  /** Stops the jobs, then closes the worker. */
  @Override
  public void close() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      worker.close();
    }
  }
}
