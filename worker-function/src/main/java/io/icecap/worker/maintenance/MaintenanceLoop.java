package io.icecap.worker.maintenance;

import static java.util.Objects.requireNonNull;

import io.icecap.catalog.RedisOutage;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link MaintenanceScheduler} on a thread of its own at a fixed delay, for worker processes
 * and embedded sessions. While Redis is out, checks fail quietly: the outage is logged once when it
 * starts and once when it ends.
 */
public final class MaintenanceLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceLoop.class);

  /** How long one check may go on running due maintenance before it lets the next check start. */
  private static final Duration CHECK_BUDGET = Duration.ofMinutes(10);

  /** How long {@link #close} waits for a run under way to end. */
  static final Duration STOP_WAIT = Duration.ofSeconds(30);

  private final MaintenanceScheduler scheduler;
  private final RedisOutage outage;
  private final ScheduledExecutorService timer;

  /**
   * Starts the loop.
   *
   * @param scheduler what finds and runs due maintenance
   * @param firstCheck how long after start the first check runs (a new worker's jobs come first)
   * @param every the pause between the end of one check and the start of the next
   * @param outage where failed checks report an outage of Redis
   */
  public MaintenanceLoop(
      MaintenanceScheduler scheduler, Duration firstCheck, Duration every, RedisOutage outage) {
    this.scheduler = requireNonNull(scheduler, "scheduler is null");
    this.outage = requireNonNull(outage, "outage is null");
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "icecap-maintenance");
              thread.setDaemon(true);
              return thread;
            });
    timer.scheduleWithFixedDelay(
        this::checkQuietly, firstCheck.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void checkQuietly() {
    try {
      scheduler.runDue(System.nanoTime() + CHECK_BUDGET.toNanos());
      outage.answered();
    } catch (RuntimeException e) {
      if (!outage.failed(e) && !RedisOutage.isInterrupt(e)) {
        LOG.warn(
            "Maintenance check failed: {}", e.getMessage() == null ? e.toString() : e.getMessage());
      }
    }
  }

  /**
   * Stops checking: a run under way is interrupted and given {@link #STOP_WAIT} to end, so that it
   * does not go on with a catalog or worker its owner closes next.
   */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      if (!timer.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn(
            "A maintenance run did not end within {} s of being stopped", STOP_WAIT.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
