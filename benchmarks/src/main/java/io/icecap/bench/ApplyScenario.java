package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import io.icecap.bench.ApplyWorkload.Update;
import io.icecap.txn.Orchestrator;
import io.icecap.txn.dispatch.ApplyRequest;
import io.icecap.txn.dispatch.Dispatcher;
import io.icecap.txn.dispatch.Invoker;
import io.icecap.txn.log.TransactionLog;
import io.icecap.txn.record.RecordCodec;
import io.icecap.txn.record.ReplicaEntry;
import io.icecap.txn.validate.TransactionValidator;
import io.icecap.txn.validate.ValidationLimits;
import io.icecap.worker.JobStep;
import io.icecap.worker.Worker;
import io.icecap.worker.WorkerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * One worker applying buffered updates: the updates are appended to the table's log through an
 * orchestrator whose dispatcher asks for no job, so they stay there; then one {@link
 * Worker#applyUntil} call applies them all, timed, its job's steps noted by a {@link StepClock}.
 * The worker is this scenario's own, and its partition cache lasts as long as the scenario: a first
 * round ({@link #prime}) fills it as a worker that has been applying to the table has it.
 */
final class ApplyScenario implements AutoCloseable {
  /** Asks for nothing: the records stay in the log until the benchmark applies them. */
  private static final Invoker NO_JOBS =
      new Invoker() {
        @Override
        public void invoke(ApplyRequest request) {}

        @Override
        public void close() {}
      };

  private static final Duration NO_DEADLINE = Duration.ofHours(1);

  /**
   * One worker call, split by its job's steps.
   *
   * @param nanos the call's wall time
   * @param planNanos from the call to the leases taken: reading the job state and the records from
   *     Redis, loading the table, planning
   * @param applyNanos from the leases to the records applied: opening the partitions' replicas
   *     (from the cache, or fetched) and running the records in them, over the rounds
   * @param writeNanos from the records applied to both replicas of every changed partition
   *     uploaded: DuckDB commit and {@code CHECKPOINT}, Parquet export with metrics, the uploads
   * @param commitNanos from the uploads to the snapshot committed and the results published
   * @param checkpoints rounds that committed a snapshot
   * @param pending whether the call returned with records still pending
   */
  record Round(
      long nanos,
      long planNanos,
      long applyNanos,
      long writeNanos,
      long commitNanos,
      int checkpoints,
      boolean pending) {
    /** Writing the replicas and committing: what a checkpoint costs. */
    long checkpointNanos() {
      return writeNanos + commitNanos;
    }
  }

  /**
   * The replicas a checkpoint left, from the table's replica map.
   *
   * @param partitions partitions in the map
   * @param rows their rows
   * @param duckdbBytes the DuckDB replica files' bytes
   * @param entries the entries, by partition key
   */
  record Replicas(int partitions, long rows, long duckdbBytes, Map<String, ReplicaEntry> entries) {}

  private final TransactionLog logs;
  private final TableIdentifier identifier;
  private final StepClock clock = new StepClock();
  private final Worker worker;
  private final Dispatcher idle;
  private final Orchestrator buffered;

  /**
   * @param dir a directory of the scenario's own for the worker and the validation databases
   * @param maxRecords the most records one checkpoint applies
   */
  ApplyScenario(
      Catalog catalog, TransactionLog logs, TableIdentifier identifier, Path dir, int maxRecords) {
    this.logs = requireNonNull(logs, "logs is null");
    this.identifier = requireNonNull(identifier, "identifier is null");
    this.worker =
        new Worker(
            catalog,
            logs,
            WorkerSettings.defaults("bench-apply", dir.resolve("worker"))
                .withCheckpointPolicy(maxRecords, Duration.ZERO),
            clock);
    this.idle = new Dispatcher(NO_JOBS, Duration.ZERO);
    this.buffered =
        new Orchestrator(
            catalog,
            logs,
            new TransactionValidator(dir.resolve("staging"), ValidationLimits.defaults()),
            idle);
  }

  /**
   * Applies updates that touch the partitions and change nothing, so the worker's cache holds every
   * partition's replica as after an earlier job: the round imports each partition from its Parquet
   * files and checkpoints it.
   */
  Round prime(List<Update> touches) {
    long[] sequences = submit(touches);
    Round round = apply();
    requireApplied(sequences, "prime the worker's cache");
    return round;
  }

  /** Appends the updates to the log in order; returns their sequence numbers. */
  long[] submit(List<Update> updates) {
    long[] sequences = new long[updates.size()];
    for (int i = 0; i < sequences.length; i++) {
      sequences[i] =
          buffered
              .submit(identifier, List.of(updates.get(i).statement(identifier.name())))
              .sequence();
    }
    return sequences;
  }

  /** One worker call over everything pending, timed. */
  Round apply() {
    clock.reset();
    long start = System.nanoTime();
    Worker.Report report = worker.applyUntil(identifier, start + NO_DEADLINE.toNanos());
    long end = System.nanoTime();
    long leased = clock.first(JobStep.LEASED);
    return new Round(
        end - start,
        leased < 0 ? 0 : leased - start,
        clock.nanosBetween(JobStep.LEASED, JobStep.APPLIED),
        clock.nanosBetween(JobStep.APPLIED, JobStep.UPLOADED),
        clock.nanosBetween(JobStep.UPLOADED, JobStep.COMMITTED),
        report.checkpoints(),
        report.pending());
  }

  /** What the worker published for the records: each must be committed, one row changed. */
  ResultTally results(long[] sequences) {
    return ResultTally.of(logs.table(identifier), sequences, 1);
  }

  /** The replica map as the last checkpoint left it. */
  Replicas replicas() {
    long rows = 0;
    long bytes = 0;
    Map<String, ReplicaEntry> entries = new TreeMap<>();
    for (Map.Entry<String, String> value : logs.table(identifier).state().replicas().entrySet()) {
      ReplicaEntry entry =
          RecordCodec.decode(value.getValue(), ReplicaEntry.class, "replica " + value.getKey());
      entries.put(value.getKey(), entry);
      rows += entry.rows();
      bytes += entry.bytes();
    }
    return new Replicas(entries.size(), rows, bytes, entries);
  }

  private void requireApplied(long[] sequences, String what) {
    ResultTally tally = results(sequences);
    if (!tally.allOk()) {
      throw new IllegalStateException(
          "Cannot " + what + " of " + identifier + ": " + tally.describe());
    }
  }

  @Override
  public void close() {
    buffered.close();
    idle.close();
    worker.close();
  }
}
