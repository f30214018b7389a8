package io.icecap.txn.dispatch;

import static java.util.Objects.requireNonNull;

import io.icecap.catalog.RedisOutage;
import io.icecap.txn.log.JobFailure;
import io.icecap.txn.log.JobState;
import io.icecap.txn.log.Lease;
import io.icecap.txn.log.LogEntry;
import io.icecap.txn.log.TableLog;
import io.icecap.txn.log.TransactionLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks again for apply jobs that did not happen: a table whose oldest pending record is older than
 * a bound, and no live lease covers the work, gets a new request. This is how a crashed worker's
 * work is taken over once its leases expire, and how records appended by a process that died before
 * dispatching get applied. A table whose last job failed is asked for again only once its backoff
 * has passed ({@link JobFailure#retryAt}). While Redis is out, sweeps fail quietly: the outage is
 * logged once when it starts and once when it ends.
 */
public final class Sweeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);

  private final TransactionLog logs;
  private final Invoker invoker;
  private final Duration staleAfter;
  private final RedisOutage outage;
  private final ScheduledExecutorService timer;

  /**
   * Starts a sweeper that logs the outages of Redis it sees on its own.
   *
   * @param logs the catalog's transaction logs
   * @param invoker where to ask for jobs
   * @param staleAfter how old a pending record may get before it is dispatched again
   * @param interval how often to look
   */
  public Sweeper(TransactionLog logs, Invoker invoker, Duration staleAfter, Duration interval) {
    this(logs, invoker, staleAfter, interval, new RedisOutage(logs.server()));
  }

  /**
   * Starts a sweeper.
   *
   * @param logs the catalog's transaction logs
   * @param invoker where to ask for jobs
   * @param staleAfter how old a pending record may get before it is dispatched again
   * @param interval how often to look
   * @param outage where failed sweeps report an outage of Redis (shared with the process's other
   *     users of Redis, so that one outage is logged once)
   */
  public Sweeper(
      TransactionLog logs,
      Invoker invoker,
      Duration staleAfter,
      Duration interval,
      RedisOutage outage) {
    this.logs = requireNonNull(logs, "logs is null");
    this.invoker = requireNonNull(invoker, "invoker is null");
    this.staleAfter = requireNonNull(staleAfter, "staleAfter is null");
    this.outage = requireNonNull(outage, "outage is null");
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "icecap-sweeper");
              thread.setDaemon(true);
              return thread;
            });
    timer.scheduleWithFixedDelay(
        this::sweepQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void sweepQuietly() {
    try {
      sweep();
      outage.answered();
    } catch (RuntimeException e) {
      if (!outage.failed(e)) {
        LOG.warn("Sweep failed: {}", e.getMessage() == null ? e.toString() : e.getMessage());
      }
    }
  }

  /**
   * Looks at every active table once.
   *
   * @return the number of apply requests made
   */
  public int sweep() {
    List<ApplyRequest> requests = due(logs, staleAfter);
    requests.forEach(invoker::invoke);
    return requests.size();
  }

  /**
   * The apply requests a sweep makes now: one for every active table whose oldest pending record is
   * older than {@code staleAfter} while no live lease covers the table and no failed job's backoff
   * holds it back. Tables that no longer exist are marked inactive.
   */
  public static List<ApplyRequest> due(TransactionLog logs, Duration staleAfter) {
    List<ApplyRequest> requests = new ArrayList<>();
    for (TableIdentifier table : logs.activeTables()) {
      try {
        ApplyRequest request = due(logs.table(table), staleAfter);
        if (request != null) {
          requests.add(request);
        }
      } catch (NoSuchTableException e) {
        logs.markInactive(table);
      }
    }
    return requests;
  }

  private static ApplyRequest due(TableLog log, Duration staleAfter) {
    JobState state = log.state();
    if (!state.hasPending()) {
      return null;
    }
    for (Lease lease : state.leases().values()) {
      if (lease.expiresAtMillis() > state.serverTimeMillis()) {
        return null;
      }
    }
    List<LogEntry> oldest = log.read(state.watermark() + 1, state.head(), state.done().size() + 1);
    for (LogEntry entry : oldest) {
      if (!state.isApplied(entry.sequence())) {
        if (state.serverTimeMillis() - entry.appendedAtMillis() < staleAfter.toMillis()) {
          return null;
        }
        Optional<JobFailure> failure = log.lastFailure();
        if (failure.isPresent()
            && failure.get().retryAt().toEpochMilli() > state.serverTimeMillis()) {
          LOG.debug(
              "The last {} apply jobs of {} failed; the next is asked for at {}",
              failure.get().failures(),
              log.table(),
              failure.get().retryAt());
          return null;
        }
        LOG.info(
            "Record {} of {} has waited {} ms; asking for an apply job{}",
            entry.sequence(),
            log.table(),
            state.serverTimeMillis() - entry.appendedAtMillis(),
            failure
                .map(f -> " (" + f.failures() + " failed in a row, the last on " + f.worker() + ")")
                .orElse(""));
        return new ApplyRequest(log.table(), state.head());
      }
    }
    return null;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
