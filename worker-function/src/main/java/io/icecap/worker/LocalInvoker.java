package io.icecap.worker;

import static java.util.Objects.requireNonNull;

import io.icecap.catalog.RedisOutage;
import io.icecap.txn.dispatch.ApplyRequest;
import io.icecap.txn.dispatch.Invoker;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.catalog.TableIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs apply jobs on a pool of threads of this process. One job per table runs at a time; requests
 * that arrive while it runs make it run once more when it ends. A job that fails logs one line and
 * leaves its table to the sweeper, which asks again once the table's backoff has passed.
 */
public final class LocalInvoker implements Invoker {
  private static final Logger LOG = LoggerFactory.getLogger(LocalInvoker.class);

  /** How long {@link #close(Duration)} waits for interrupted jobs to end. */
  private static final Duration INTERRUPTED_WAIT = Duration.ofSeconds(5);

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

  /** The worker whose jobs run here (table maintenance in this process compacts with it). */
  public Worker worker() {
    return worker;
  }

  @Override
  public void invoke(ApplyRequest request) {
    AtomicInteger waiting = requests.computeIfAbsent(request.table(), table -> new AtomicInteger());
    if (waiting.getAndIncrement() == 0) {
      try {
        pool.execute(() -> run(request.table(), waiting));
      } catch (RejectedExecutionException e) {
        // closing: the records stay in the log for another worker
        waiting.set(0);
      }
    }
  }

  private void run(TableIdentifier table, AtomicInteger waiting) {
    while (true) {
      int seen = waiting.get();
      try {
        worker.apply(table);
      } catch (RuntimeException e) {
        logFailure(table, e);
        // requests that came meanwhile wait for the sweeper, which respects the table's backoff
        waiting.set(0);
        return;
      } catch (Error e) {
        waiting.set(0);
        throw e;
      }
      if (waiting.addAndGet(-seen) == 0) {
        return;
      }
    }
  }

  /**
   * One line per failed job. A failure of the environment (Redis, storage, the local disk) is
   * expected to pass and shows no stack trace; anything else may be a bug and shows one.
   */
  private static void logFailure(TableIdentifier table, RuntimeException failure) {
    if (Thread.currentThread().isInterrupted() || RedisOutage.isInterrupt(failure)) {
      LOG.info("Apply job of {} stopped: the worker is stopping", table);
    } else if (JobFailures.isEnvironment(failure)) {
      LOG.warn(
          "Apply job of {} failed; it is retried after a backoff: {}",
          table,
          JobFailures.describe(failure));
    } else {
      LOG.warn(
          "Apply job of {} failed; it is retried after a backoff: {}",
          table,
          JobFailures.describe(failure),
          failure);
    }
  }

  /**
   * Stops taking requests, lets the jobs under way end their round for up to {@code grace}, then
   * interrupts those still running and waits a little for them; releases the leases of any job that
   * still did not end; and closes the worker once no job runs.
   *
   * @return whether every job ended
   */
  public boolean close(Duration grace) {
    worker.stop();
    pool.shutdown();
    boolean ended = false;
    try {
      ended = pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
      if (!ended) {
        pool.shutdownNow();
        ended = pool.awaitTermination(INTERRUPTED_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
    int released = worker.releaseLeases();
    if (released > 0) {
      LOG.warn("Released the leases of {} apply jobs that did not stop", released);
    }
    if (ended) {
      worker.close();
    } else {
      // a job still uses its replicas: closing them under it could crash DuckDB
      LOG.warn("Apply jobs did not stop within {}; their replicas are left open", grace);
    }
    return ended;
  }

  /** Interrupts the jobs, waits up to 30 s for them to end, then closes the worker. */
  @Override
  public void close() {
    worker.stop();
    pool.shutdownNow();
    try {
      pool.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      worker.releaseLeases();
      worker.close();
    }
  }
}
