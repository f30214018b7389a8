package io.icecap.worker;

import static java.util.Objects.requireNonNull;

import io.icecap.catalog.CommitRejectedException;
import io.icecap.catalog.RedisOutage;
import io.icecap.txn.log.JobFailure;
import io.icecap.txn.log.TableLog;
import io.icecap.txn.log.TransactionLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs apply jobs: rounds on a table until its log has nothing pending, another worker holds the
 * partitions, or the job's time is up. The same code runs in threads, worker processes and
 * functions.
 */
public final class Worker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
  private static final int STALE_ROUNDS = 20;

  private final WorkerSettings settings;
  private final TransactionLog logs;
  private final ApplyJob job;
  private final Compactor compactor;
  private final PartitionCache cache;
  private final PartitionTasks tasks;
  private final Set<LeaseKeeper> held = ConcurrentHashMap.newKeySet();
  private volatile boolean stopping;

  /**
   * Creates a worker.
   *
   * @param catalog the catalog holding the tables
   * @param logs the catalog's transaction logs
   * @param settings how to run
   * @param hooks called at each step of a job (tests stop workers there)
   */
  public Worker(Catalog catalog, TransactionLog logs, WorkerSettings settings, JobHooks hooks) {
    this.settings = requireNonNull(settings, "settings is null");
    this.logs = requireNonNull(logs, "logs is null");
    PartitionCache cache =
        new PartitionCache(
            settings.workDir().resolve("cache"), settings.cacheBytes(), settings.openReplicas());
    ApplyJob.deleteTree(settings.workDir().resolve("jobs"));
    ApplyJob.deleteTree(ApplyJob.replicaDir(settings.workDir()));
    try {
      Files.createDirectories(ApplyJob.replicaDir(settings.workDir()));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot create the replica directory in " + settings.workDir(), e);
    }
    this.tasks = new PartitionTasks(settings.owner(), settings.partitionThreads());
    this.job = new ApplyJob(catalog, logs, settings, cache, tasks, hooks, held);
    this.compactor = new Compactor(catalog, logs, settings, job, cache, tasks, hooks, held);
    this.cache = cache;
  }

  /** The worker's partition cache. */
  public PartitionCache cache() {
    return cache;
  }

  /** How a job ended. */
  public enum End {
    /** Nothing is pending. */
    DONE,
    /**
     * Another worker holds partitions the pending records need, the table kept changing, or the
     * table's last job failed and its backoff has not passed ({@link JobFailure#retryAt}).
     */
    BUSY,
    /** The job's time ran out, or the worker is stopping, with records still pending. */
    OUT_OF_TIME
  }

  /**
   * What a job did.
   *
   * @param end how it ended
   * @param checkpoints how many checkpoints it committed
   */
  public record Report(End end, int checkpoints) {
    /** Whether records are still pending for another job. */
    public boolean pending() {
      return end != End.DONE;
    }
  }

  /**
   * Tells the clients waiting on the table why this job failed; a failure to do so is added to it.
   * A job fenced by another that took its leases over did not fail the clients: the other job
   * applies their records.
   */
  private void recordFailure(TableIdentifier table, RuntimeException failure) {
    if (failure instanceof NoSuchTableException || failure instanceof CommitRejectedException) {
      return;
    }
    if (Thread.currentThread().isInterrupted() || RedisOutage.isInterrupt(failure)) {
      // the worker is stopping: the job did not fail, the next one goes on from where it was
      return;
    }
    try {
      String message = failure.getMessage();
      logs.table(table)
          .recordFailure(
              settings.owner(),
              message == null || message.isBlank() ? failure.getClass().getName() : message);
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * Applies the table's log until nothing is pending, another worker holds what is needed, or the
   * job time of the settings is up.
   *
   * @return whether records are still pending for another job (busy or out of time)
   */
  public boolean apply(TableIdentifier table) {
    return applyUntil(table, System.nanoTime() + settings.jobTime().toNanos()).pending();
  }

  /**
   * Applies the table's log until nothing is pending, another worker holds what is needed, or the
   * deadline passes. No checkpoint starts after the deadline or once the worker is stopping; one
   * that started before ends. A table whose last job failed is not applied before its backoff has
   * passed: the job ends {@link End#BUSY} at once.
   *
   * @param deadlineNanos a {@link System#nanoTime()} value
   */
  public Report applyUntil(TableIdentifier table, long deadlineNanos) {
    if (backingOff(table)) {
      return new Report(End.BUSY, 0);
    }
    int staleRounds = 0;
    int checkpoints = 0;
    long lastCheckpoint = 0;
    while (System.nanoTime() - deadlineNanos < 0 && !stopping) {
      waitForCheckpointInterval(lastCheckpoint);
      ApplyJob.Outcome outcome;
      try {
        outcome = job.round(table);
      } catch (SQLException e) {
        IllegalStateException failure =
            new IllegalStateException(
                "Cannot apply the log of " + table + ": " + e.getMessage(), e);
        recordFailure(table, failure);
        throw failure;
      } catch (RuntimeException e) {
        recordFailure(table, e);
        throw e;
      }
      switch (outcome) {
        case IDLE:
          return new Report(End.DONE, checkpoints);
        case BUSY:
          return new Report(End.BUSY, checkpoints);
        case STALE:
          if (++staleRounds > STALE_ROUNDS) {
            LOG.warn("The state of {} kept changing while a job planned; giving up", table);
            return new Report(End.BUSY, checkpoints);
          }
          break;
        case APPLIED:
          staleRounds = 0;
          checkpoints++;
          lastCheckpoint = System.nanoTime();
          break;
        default:
          throw new IllegalStateException("Unknown outcome " + outcome);
      }
    }
    return new Report(End.OUT_OF_TIME, checkpoints);
  }

  /**
   * Compacts the table's partitions whose data files are many and small, that have delete files, or
   * that hold rows of files of an older partition spec, into sorted files of the target size, in
   * one snapshot; then rewrites the current snapshot's small manifests. The partitions are leased
   * as an apply job leases them, so apply jobs find them busy (and are asked for again) while the
   * compaction runs, and a compaction finds the partitions of a running apply job busy and tries
   * again. A compaction that another commit conflicts with is planned again, up to {@link
   * CompactionOptions#attempts} times, then gives up with nothing changed ({@link
   * CompactionResult#gaveUp}).
   *
   * @throws org.apache.iceberg.exceptions.NoSuchTableException when the table does not exist
   * @throws CompactionRefusedException when Icecap does not write the table (format version 3)
   */
  public CompactionResult compact(
      TableIdentifier table, CompactionOptions options, CompactionProgress progress) {
    requireNonNull(options, "options is null");
    requireNonNull(progress, "progress is null");
    if (stopping) {
      return CompactionResult.gaveUp(
          "The worker is stopping; " + table + " was not compacted, nothing was changed");
    }
    try {
      return compactor.compact(table, options, progress);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot compact " + table + ": " + e.getMessage(), e);
    }
  }

  /** Whether the table's last job failed and its backoff has not passed, by Redis's clock. */
  private boolean backingOff(TableIdentifier table) {
    TableLog log = logs.table(table);
    Optional<JobFailure> failure = log.lastFailure();
    if (failure.isEmpty() || !failure.get().retryAt().isAfter(log.serverTime())) {
      return false;
    }
    LOG.debug(
        "Not applying {} before {}: its last {} jobs failed",
        table,
        failure.get().retryAt(),
        failure.get().failures());
    return true;
  }

  /**
   * Makes the jobs under way end after the round they are in, and later jobs end at once, with
   * their records left pending for another worker.
   */
  public void stop() {
    stopping = true;
  }

  /**
   * Releases the leases that jobs still running hold, as a worker that stops does for jobs that did
   * not end: a job whose leases are gone cannot commit (its fencing token is no longer there).
   *
   * @return how many jobs' leases were released
   */
  public int releaseLeases() {
    int released = 0;
    for (LeaseKeeper keeper : List.copyOf(held)) {
      keeper.close();
      released++;
    }
    return released;
  }

  private void waitForCheckpointInterval(long lastCheckpoint) {
    Duration delay = settings.maxDelay();
    if (lastCheckpoint == 0 || delay.isZero()) {
      return;
    }
    long remaining = lastCheckpoint + delay.toNanos() - System.nanoTime();
    if (remaining > 0) {
      try {
        Thread.sleep(remaining / 1_000_000, (int) (remaining % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting to checkpoint", e);
      }
    }
  }

  /** Stops the partition threads and closes the replicas the cache holds open. */
  @Override
  public void close() {
    tasks.close();
    cache.close();
  }
}
