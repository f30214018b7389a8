package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import io.icecap.catalog.RedisCatalog;
import io.icecap.catalog.RedisCatalogProperties;
import io.icecap.txn.log.TransactionLog;
import io.icecap.worker.JobHooks;
import io.icecap.worker.Worker;
import io.icecap.worker.WorkerSettings;
import io.icecap.worker.maintenance.MaintenanceProgress;
import io.icecap.worker.maintenance.MaintenanceReport;
import io.icecap.worker.maintenance.MaintenanceRequest;
import io.icecap.worker.maintenance.MaintenanceTask;
import io.icecap.worker.maintenance.TableMaintenance;
import io.icecap.worker.maintenance.TaskReport;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;

/**
 * Compaction of many small files: two identical tables filled by the same small appends through the
 * Iceberg Java API ({@link SmallFiles}); one compacted by Icecap ({@link TableMaintenance} with
 * {@link MaintenanceTask#COMPACT}, its worker's jobs in DuckDB), the other by hand with the Iceberg
 * Java API ({@link IcebergRewrite}), one after the other in the same run. Both must hold the rows
 * they held before ({@link TableDigest}), or the benchmark fails.
 */
final class CompactionBenchmark {
  static final TableIdentifier ICECAP = TableIdentifier.of("bench", "compact_icecap");
  static final TableIdentifier ICEBERG = TableIdentifier.of("bench", "compact_iceberg");

  private final CompactionOptions options;
  private final PrintStream progress;

  /**
   * One side's compaction.
   *
   * @param name who compacted
   * @param nanos wall-clock time of the compaction (planning, reading, writing, commit)
   * @param filesBefore data files of the current snapshot before
   * @param bytesBefore their bytes
   * @param filesAfter data files of the current snapshot after
   * @param bytesAfter their bytes
   * @param partitions partitions rewritten, or -1 when the engine does not say
   * @param filesWritten data files the compaction says it wrote (Icecap also writes each
   *     partition's DuckDB replica, not counted), or -1 when the engine does not say
   * @param bytesWritten their bytes, or -1 when the engine does not say
   * @param digest the table's rows after
   */
  record Side(
      String name,
      long nanos,
      long filesBefore,
      long bytesBefore,
      long filesAfter,
      long bytesAfter,
      long partitions,
      long filesWritten,
      long bytesWritten,
      TableDigest digest) {}

  /**
   * The outcome of a run: the generated rows' digest and each side; {@code others} are the further
   * engines found on the class path ({@link CompactionBaseline}), often none.
   */
  record Result(
      CompactionOptions options,
      Machine machine,
      long loadNanos,
      TableDigest expected,
      Side icecap,
      Side iceberg,
      List<Side> others) {
    /** Every side, Icecap's first. */
    List<Side> sides() {
      List<Side> sides = new ArrayList<>(List.of(icecap, iceberg));
      sides.addAll(others);
      return sides;
    }
  }

  CompactionBenchmark(CompactionOptions options, PrintStream progress) {
    this.options = requireNonNull(options, "options is null");
    this.progress = requireNonNull(progress, "progress is null");
  }

  Result run() throws Exception {
    Path dir = Files.createTempDirectory(WorkFiles.create(options.work()), "icecap-bench-");
    try (EmbeddedRedis redis = EmbeddedRedis.start(WorkFiles.create(dir.resolve("redis")))) {
      Map<String, String> properties =
          Map.of(
              RedisCatalogProperties.URI,
              redis.uri(),
              CatalogProperties.WAREHOUSE_LOCATION,
              WorkFiles.create(dir.resolve("warehouse")).toString());
      try (RedisCatalog catalog = new RedisCatalog();
          TransactionLog logs = TransactionLog.open("bench", properties, "bench");
          Connection duckdb = DriverManager.getConnection("jdbc:duckdb:")) {
        catalog.initialize("bench", properties);
        Machine machine = Machine.describe(duckdb);
        catalog.createNamespace(Namespace.of("bench"));
        Table icecap = create(catalog, ICECAP);
        Table iceberg = create(catalog, ICEBERG);
        List<CompactionBaseline> baselines = new ArrayList<>();
        ServiceLoader.load(CompactionBaseline.class).forEach(baselines::add);
        List<Table> copies = new ArrayList<>();
        for (CompactionBaseline baseline : baselines) {
          copies.add(create(catalog, TableIdentifier.of("bench", baseline.tableName())));
        }
        long start = System.nanoTime();
        TableDigest.Builder expected = new TableDigest.Builder();
        for (int append = 0; append < options.appends(); append++) {
          List<Record> rows = SmallFiles.rows(options, append);
          rows.forEach(expected::add);
          SmallFiles.append(icecap, rows, options.partitions());
          SmallFiles.append(iceberg, rows, options.partitions());
          for (Table copy : copies) {
            SmallFiles.append(copy, rows, options.partitions());
          }
          if ((append + 1) % Math.max(1, options.appends() / 10) == 0) {
            progress.printf(
                "Appended %,d of %,d appends to each of %d tables%n",
                append + 1, options.appends(), 2 + copies.size());
          }
        }
        long loadNanos = System.nanoTime() - start;
        Side icecapSide;
        try (Worker worker =
            new Worker(
                catalog,
                logs,
                WorkerSettings.defaults("bench-worker", dir.resolve("worker")),
                JobHooks.NONE)) {
          icecapSide =
              compactWithIcecap(
                  catalog.loadTable(ICECAP), new TableMaintenance(catalog, logs, worker, "bench"));
        }
        Side icebergSide = compactByHand(catalog.loadTable(ICEBERG));
        List<Side> others = new ArrayList<>();
        for (int i = 0; i < baselines.size(); i++) {
          others.add(compactWith(baselines.get(i), copies.get(i), properties, dir));
        }
        Result result =
            new Result(
                options, machine, loadNanos, expected.build(), icecapSide, icebergSide, others);
        check(result);
        return result;
      }
    } finally {
      WorkFiles.deleteTree(dir);
    }
  }

  private Table create(RedisCatalog catalog, TableIdentifier identifier) {
    return catalog
        .buildTable(identifier, SmallFiles.SCHEMA)
        .withPartitionSpec(SmallFiles.SPEC)
        .withProperty(TableProperties.FORMAT_VERSION, "2")
        .withProperty(
            TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
            Long.toString(options.targetFileSizeBytes()))
        .create();
  }

  private Side compactWithIcecap(Table table, TableMaintenance maintenance) throws Exception {
    return measure(
        "Icecap",
        ICECAP,
        table,
        () -> {
          MaintenanceReport report =
              maintenance.run(
                  ICECAP,
                  new MaintenanceRequest(EnumSet.of(MaintenanceTask.COMPACT), false),
                  MaintenanceProgress.NONE);
          return new Written(
              report.tasks().stream().mapToLong(TaskReport::partitions).sum(),
              report.filesWritten(),
              report.bytesWritten());
        });
  }

  private Side compactByHand(Table table) throws Exception {
    return measure(
        "Iceberg Java API",
        ICEBERG,
        table,
        () -> {
          IcebergRewrite.Outcome outcome = IcebergRewrite.run(table, options.targetFileSizeBytes());
          return new Written(outcome.partitions(), outcome.filesWritten(), outcome.bytesWritten());
        });
  }

  private Side compactWith(
      CompactionBaseline baseline, Table table, Map<String, String> properties, Path dir)
      throws Exception {
    try (baseline) {
      progress.printf("Starting %s%n", baseline.name());
      baseline.start(
          "bench", properties, WorkFiles.create(dir.resolve("baseline-" + baseline.tableName())));
      TableIdentifier identifier = TableIdentifier.of("bench", baseline.tableName());
      return measure(
          baseline.name(),
          identifier,
          table,
          () -> {
            CompactionBaseline.Outcome outcome = baseline.compact(identifier);
            return new Written(-1, outcome.filesWritten(), outcome.bytesWritten());
          });
    }
  }

  /**
   * What a compaction says it did: partitions rewritten, files and bytes written (-1 when it does
   * not say).
   */
  private record Written(long partitions, long files, long bytes) {}

  /** Something that compacts a table. */
  @FunctionalInterface
  private interface Compaction {
    Written run() throws Exception;
  }

  /** Compacts the table, timed, with its data files before and after and its rows after. */
  private Side measure(String name, TableIdentifier identifier, Table table, Compaction compaction)
      throws Exception {
    long[] before = SmallFiles.liveFiles(table);
    progress.printf(
        "Compacting %s with %s: %,d data files, %.1f MB%n",
        identifier, name, before[0], before[1] / 1e6);
    long start = System.nanoTime();
    Written written = compaction.run();
    long nanos = System.nanoTime() - start;
    long[] after = SmallFiles.liveFiles(table);
    TableDigest digest = TableDigest.of(table);
    progress.printf(
        "%s compacted in %.2f s: %,d data files, %.1f MB; %,d rows%n",
        name, nanos / 1e9, after[0], after[1] / 1e6, digest.rows());
    return new Side(
        name,
        nanos,
        before[0],
        before[1],
        after[0],
        after[1],
        written.partitions(),
        written.files(),
        written.bytes(),
        digest);
  }

  private void check(Result result) {
    for (Side side : result.sides()) {
      if (!side.digest().equals(result.expected())) {
        throw new IllegalStateException(
            String.format(
                "After %s's compaction the table holds %,d rows with checksum %016x; it held %,d"
                    + " rows with checksum %016x",
                side.name(),
                side.digest().rows(),
                side.digest().checksum(),
                result.expected().rows(),
                result.expected().checksum()));
      }
    }
  }
}
