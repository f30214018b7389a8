package io.icecap.txn.dispatch;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.catalog.TableIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns appended records into apply requests, debounced: the writes to a table within one debounce
 * window become one request for the highest sequence number.
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  private final Invoker invoker;
  private final long debounceMicros;
  private final ScheduledExecutorService timer;
  private final Map<TableIdentifier, Long> waiting = new ConcurrentHashMap<>();

  /**
   * Creates a dispatcher.
   *
   * @param invoker where the jobs run
   * @param debounce how long to gather writes before asking for a job (zero asks at once)
   */
  public Dispatcher(Invoker invoker, Duration debounce) {
    this.invoker = requireNonNull(invoker, "invoker is null");
    this.debounceMicros = debounce.toNanos() / 1000;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "icecap-dispatch");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Records that the table's log holds records up to {@code sequence} to apply. */
  public void appended(TableIdentifier table, long sequence) {
    boolean[] opensWindow = {false};
    waiting.compute(
        table,
        (key, old) -> {
          opensWindow[0] = old == null;
          return old == null ? sequence : Math.max(old, sequence);
        });
    if (opensWindow[0]) {
      // the first write of a window schedules the request; later ones only raise the sequence
      timer.schedule(() -> fire(table), debounceMicros, TimeUnit.MICROSECONDS);
    }
  }

  private void fire(TableIdentifier table) {
    Long sequence = waiting.remove(table);
    if (sequence == null) {
      return;
    }
    try {
      invoker.invoke(new ApplyRequest(table, sequence));
    } catch (RuntimeException e) {
      LOG.warn("Cannot ask for an apply job of {}; the sweeper will ask again", table, e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
