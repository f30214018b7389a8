package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import io.icecap.bench.WriteResult.Apply;
import io.icecap.txn.CommitToken;
import io.icecap.txn.Orchestrator;
import io.icecap.txn.SqlStatement;
import io.icecap.txn.dispatch.ApplyRequest;
import io.icecap.txn.dispatch.Dispatcher;
import io.icecap.txn.dispatch.Invoker;
import io.icecap.txn.log.TransactionLog;
import io.icecap.txn.validate.TransactionValidator;
import io.icecap.txn.validate.ValidationLimits;
import io.icecap.worker.JobStep;
import io.icecap.worker.Worker;
import io.icecap.worker.WorkerSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * A worker's apply throughput: single-row updates are appended to the log while no worker runs (the
 * dispatcher's invoker does nothing), then one {@link Worker#apply} call applies them all. The
 * worker is a fresh one of its own, whose partition cache holds the replicas it wrote when it
 * applied the seeding insert.
 */
final class ApplyScenario {
  /** Asks for nothing: the records stay in the log until the benchmark applies them. */
  private static final Invoker NO_JOBS =
      new Invoker() {
        @Override
        public void invoke(ApplyRequest request) {}

        @Override
        public void close() {}
      };

  private final Catalog catalog;
  private final TransactionLog logs;
  private final TableIdentifier identifier;
  private final Path dir;
  private final PrintStream progress;

  ApplyScenario(
      Catalog catalog,
      TransactionLog logs,
      TableIdentifier identifier,
      Path dir,
      PrintStream progress) {
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.logs = requireNonNull(logs, "logs is null");
    this.identifier = requireNonNull(identifier, "identifier is null");
    this.dir = requireNonNull(dir, "dir is null");
    this.progress = requireNonNull(progress, "progress is null");
  }

  /** Seeds the table with {@code tableRows} rows, then applies {@code rows} buffered updates. */
  Apply run(int tableRows, int rows, long seed) {
    WriteWorkload workload = new WriteWorkload(identifier.name(), tableRows);
    StepClock clock = new StepClock();
    try (Worker worker =
            new Worker(
                catalog,
                logs,
                WorkerSettings.defaults("bench-apply", dir.resolve("worker")),
                clock);
        Dispatcher idle = new Dispatcher(NO_JOBS, Duration.ZERO);
        Orchestrator buffered =
            new Orchestrator(
                catalog,
                logs,
                new TransactionValidator(dir.resolve("staging"), ValidationLimits.defaults()),
                idle)) {
      CommitToken seeded = buffered.submit(identifier, List.of(workload.seed()));
      worker.apply(identifier);
      ResultTally seedTally =
          ResultTally.of(logs.table(identifier), new long[] {seeded.sequence()}, tableRows);
      if (!seedTally.allOk()) {
        throw new IllegalStateException(
            "Cannot seed " + identifier + " for the apply scenario: " + seedTally.describe());
      }
      Table table = catalog.loadTable(identifier);
      long qtyBefore = sumQty(table);

      SplittableRandom random = new SplittableRandom(seed * 31 + 7);
      long[] sequences = new long[rows];
      long added = 0;
      long submitStart = System.nanoTime();
      for (int i = 0; i < rows; i++) {
        int delta = 1 + random.nextInt(9);
        SqlStatement update = workload.update(random, delta);
        sequences[i] = buffered.submit(identifier, List.of(update)).sequence();
        added += delta;
      }
      long submitNanos = System.nanoTime() - submitStart;
      progress.printf(
          "  %,d updates in the log (submitted in %.2f s); applying them...%n",
          rows, submitNanos / 1e9);

      table.refresh();
      int snapshotsBefore = WriteBenchmark.snapshotCount(table);
      clock.reset();
      long start = System.nanoTime();
      boolean pending = worker.apply(identifier);
      long nanos = System.nanoTime() - start;
      table.refresh();
      int snapshotsAfter = WriteBenchmark.snapshotCount(table);
      long qtyAfter = sumQty(table);
      return new Apply(
          rows,
          nanos,
          clock.checkpoints(),
          clock.nanosBetween(JobStep.LEASED, JobStep.APPLIED),
          clock.nanosBetween(JobStep.APPLIED, JobStep.COMMITTED),
          snapshotsBefore,
          snapshotsAfter,
          pending,
          added,
          qtyAfter - qtyBefore,
          submitNanos,
          ResultTally.of(logs.table(identifier), sequences, 1));
    }
  }

  /** The sum of {@code qty} over the table's current snapshot, read with Iceberg's reader. */
  private static long sumQty(Table table) {
    long sum = 0;
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).select("qty").build()) {
      for (Record record : records) {
        Object qty = record.getField("qty");
        sum += qty == null ? 0 : ((Number) qty).longValue();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + table.name(), e);
    }
    return sum;
  }
}
