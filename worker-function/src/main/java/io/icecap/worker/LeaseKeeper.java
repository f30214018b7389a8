package io.icecap.worker;

import static java.util.Objects.requireNonNull;

import io.icecap.catalog.RedisOutage;
import io.icecap.txn.log.TableLog;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a job's partition leases alive while it runs, renewing them every third of the lease time,
 * and releases them at the end. A lease found taken over makes {@link #checkHeld} fail, and the
 * commit's fencing check stops the job in any case. While it holds leases a keeper is in its
 * worker's set of held leases, so that a worker that stops can release the leases of a job that
 * does not end.
 */
final class LeaseKeeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "icecap-lease-keeper");
            thread.setDaemon(true);
            return thread;
          });

  private final TableLog log;
  private final long token;
  private final Set<String> partitions;
  private final Set<LeaseKeeper> held;
  private final ScheduledFuture<?> renewal;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile List<String> lost = List.of();

  /**
   * Starts keeping leases.
   *
   * @param held the worker's keepers that hold leases: this one is in it until it is closed
   */
  LeaseKeeper(
      TableLog log, long token, Duration leaseTime, Set<String> partitions, Set<LeaseKeeper> held) {
    this.log = requireNonNull(log, "log is null");
    this.token = token;
    this.partitions = Set.copyOf(partitions);
    this.held = requireNonNull(held, "held is null");
    long period = Math.max(1, leaseTime.toMillis() / 3);
    if (partitions.isEmpty()) {
      this.renewal = null;
    } else {
      held.add(this);
      this.renewal =
          TIMER.scheduleAtFixedRate(() -> renew(leaseTime), period, period, TimeUnit.MILLISECONDS);
    }
  }

  private void renew(Duration leaseTime) {
    try {
      List<String> taken = log.renewLeases(token, leaseTime, partitions);
      if (!taken.isEmpty()) {
        lost = taken;
      }
    } catch (RuntimeException e) {
      // while Redis is out the worker's outage line says so; the fencing token guards the commit
      if (RedisOutage.isOutage(e)) {
        LOG.debug("Cannot renew the leases of {}: {}", log.table(), e.getMessage());
      } else {
        LOG.warn("Cannot renew the leases of {}: {}", log.table(), e.getMessage());
      }
    }
  }

  /** Fails when another job has taken over one of the leases. */
  void checkHeld() {
    if (!lost.isEmpty()) {
      throw new IllegalStateException(
          String.format(
              "Cannot commit to %s: the leases of partitions %s were taken over by another job",
              log.table(), lost));
    }
  }

  /**
   * Stops renewing and releases the leases; closing again does nothing. A thread interrupted (its
   * worker stopping) releases them too, and keeps its interrupt flag.
   */
  @Override
  public void close() {
    if (renewal == null || !closed.compareAndSet(false, true)) {
      return;
    }
    renewal.cancel(false);
    boolean interrupted = Thread.interrupted();
    try {
      log.releaseLeases(token, partitions);
    } catch (RuntimeException e) {
      // the leases expire on their own
      if (RedisOutage.isOutage(e)) {
        LOG.debug("Cannot release the leases of {}: {}", log.table(), e.getMessage());
      } else {
        LOG.warn("Cannot release the leases of {}: {}", log.table(), e.getMessage());
      }
    } finally {
      held.remove(this);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
