package io.icecap.worker;

import static java.util.Objects.requireNonNull;

import io.icecap.txn.log.TableLog;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a job's partition leases alive while it runs, renewing them every third of the lease time,
 * and releases them at the end. A lease found taken over makes {@link #checkHeld} fail, and the
 * commit's fencing check stops the job in any case.
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
  private final java.util.concurrent.ScheduledFuture<?> renewal;
  private volatile List<String> lost = List.of();

  LeaseKeeper(TableLog log, long token, Duration leaseTime, Set<String> partitions) {
    this.log = requireNonNull(log, "log is null");
    this.token = token;
    this.partitions = Set.copyOf(partitions);
    long period = Math.max(1, leaseTime.toMillis() / 3);
    this.renewal =
        partitions.isEmpty()
            ? null
            : TIMER.scheduleAtFixedRate(
                () -> renew(leaseTime), period, period, TimeUnit.MILLISECONDS);
  }

  private void renew(Duration leaseTime) {
    try {
      List<String> taken = log.renewLeases(token, leaseTime, partitions);
      if (!taken.isEmpty()) {
        lost = taken;
      }
    } catch (RuntimeException e) {
      LOG.warn("Cannot renew the leases of {}: {}", log.table(), e.getMessage());
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

  @Override
  public void close() {
    if (renewal == null) {
      return;
    }
    renewal.cancel(false);
    try {
      log.releaseLeases(token, partitions);
    } catch (RuntimeException e) {
      // the leases expire on their own
      LOG.warn("Cannot release the leases of {}: {}", log.table(), e.getMessage());
    }
  }
}
