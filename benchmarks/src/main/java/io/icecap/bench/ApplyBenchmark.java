package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import io.icecap.bench.ApplyCheck.Row;
import io.icecap.bench.ApplyCheck.State;
import io.icecap.bench.ApplyCheck.Verification;
import io.icecap.bench.ApplyResult.Repeated;
import io.icecap.bench.ApplyResult.Run;
import io.icecap.bench.ApplyScenario.Replicas;
import io.icecap.bench.ApplyScenario.Round;
import io.icecap.bench.ApplyWorkload.Update;
import io.icecap.bench.CheckpointParts.Parts;
import io.icecap.catalog.RedisCatalog;
import io.icecap.catalog.RedisCatalogProperties;
import io.icecap.testing.TestingS3Server;
import io.icecap.txn.log.TransactionLog;
import io.icecap.txn.record.ReplicaEntry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Applying buffered single-row updates: one Icecap worker applying them in place in DuckDB replicas
 * and checkpointing, against a copy-on-write rewrite of the same partitions with the Iceberg Java
 * API, on the same files in the same warehouse (S3Proxy, loopback) and the same Redis catalog.
 *
 * <ul>
 *   <li>scenario 3: {@code --updates} spread over the {@code --partitions} of a {@code --rows}
 *       table;
 *   <li>scenario 5: {@code --curve-updates} into the one partition of a table, for each of {@code
 *       --curve-rows}.
 * </ul>
 *
 * <p>Each table is loaded from Parquet written by Icecap's replica writer, then a first worker
 * round fills the worker's partition cache (as a worker that has been applying to the table holds
 * it) and rewrites every partition; the baseline's table is made of the files that round committed.
 * The updates go into the log through the orchestrator (not timed), one worker call applies them in
 * one checkpoint, and the rewrite makes them again on the baseline's table. Both tables are read
 * back with Iceberg's reader; a run whose result differs from the updates fails. All of this is
 * done {@code --repeat} times per table, on fresh tables; the figures are the medians.
 */
final class ApplyBenchmark {
  private static final String BUCKET = "warehouse";
  private static final String CATALOG = "bench";
  private static final Namespace NAMESPACE = Namespace.of("bench");

  private final ApplyOptions options;
  private final PrintStream progress;

  ApplyBenchmark(ApplyOptions options, PrintStream progress) {
    this.options = requireNonNull(options, "options is null");
    this.progress = requireNonNull(progress, "progress is null");
  }

  /** Runs both scenarios in a fresh directory under the work directory, then removes it. */
  ApplyResult run() throws Exception {
    Path dir = Files.createTempDirectory(WorkFiles.create(options.work()), "icecap-bench-");
    try (EmbeddedRedis redis = EmbeddedRedis.start(WorkFiles.create(dir.resolve("redis")));
        TestingS3Server s3 = TestingS3Server.start()) {
      s3.createBucket(BUCKET);
      Map<String, String> properties = new LinkedHashMap<>(s3.fileIoProperties());
      properties.put(RedisCatalogProperties.URI, redis.uri());
      properties.put(CatalogProperties.WAREHOUSE_LOCATION, "s3://" + BUCKET + "/lake");
      try (RedisCatalog catalog = new RedisCatalog();
          TransactionLog logs = TransactionLog.open(CATALOG, properties, "bench");
          Connection source = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("src.db"))) {
        catalog.initialize(CATALOG, properties);
        catalog.createNamespace(NAMESPACE);
        Machine machine = Machine.describe(source);
        generate(source);
        Tables tables = new Tables(catalog, logs, source, dir);

        progress.printf(
            "Scenario 3: %,d updates over %d partitions of a %,d-row table%n",
            options.updates(), options.partitions(), options.rows());
        Repeated table =
            tables.repeat(
                "apply",
                options.rows(),
                options.partitionWidth(),
                ApplyWorkload.updates(
                    options.updates(), options.rows(), options.block(), options.seed()),
                false);
        List<Repeated> curve = new ArrayList<>();
        for (long size : options.curveRows()) {
          progress.printf(
              "Scenario 5: %,d updates into one partition of %,d rows%n",
              options.curveUpdates(), size);
          curve.add(
              tables.repeat(
                  "curve_" + size,
                  size,
                  size,
                  ApplyWorkload.updates(
                      options.curveUpdates(), size, options.block(), options.seed() + size),
                  true));
        }
        return new ApplyResult(options, machine, table, curve);
      }
    } finally {
      WorkFiles.deleteTree(dir);
    }
  }

  /** Generates the rows every table is loaded from, ids in order, in a DuckDB file. */
  private void generate(Connection source) throws SQLException {
    long start = System.nanoTime();
    try (Statement statement = source.createStatement()) {
      statement.execute(SyntheticPartition.createTable("orders"));
      statement.execute(SyntheticPartition.insert("orders", options.sourceRows(), options.seed()));
    }
    progress.printf(
        "Generated %,d rows in %.1f s%n", options.sourceRows(), (System.nanoTime() - start) / 1e9);
  }

  /** Loads, primes and measures one table at a time. */
  private final class Tables {
    private final RedisCatalog catalog;
    private final TransactionLog logs;
    private final Connection source;
    private final Path dir;

    Tables(RedisCatalog catalog, TransactionLog logs, Connection source, Path dir) {
      this.catalog = catalog;
      this.logs = logs;
      this.source = source;
      this.dir = dir;
    }

    /**
     * Measures a table {@code --repeat} times, each on tables of its own loaded afresh from the
     * same rows, with the same updates, dropped (and their files removed) once measured.
     */
    Repeated repeat(String name, long rows, long width, List<Update> updates, boolean parts)
        throws Exception {
      List<Run> runs = new ArrayList<>();
      for (int r = 1; r <= options.repeat(); r++) {
        if (options.repeat() > 1) {
          progress.printf("  repetition %d of %d:%n", r, options.repeat());
        }
        runs.add(measure(name + "_" + r, rows, width, updates, parts));
      }
      return new Repeated(runs);
    }

    private Run measure(String name, long rows, long width, List<Update> updates, boolean parts)
        throws Exception {
      TableIdentifier identifier = TableIdentifier.of(NAMESPACE, name);
      TableIdentifier baselineIdentifier = TableIdentifier.of(NAMESPACE, name + "_cow");
      long start = System.nanoTime();
      Table table = create(identifier, width);
      RangeLoad.load(
          source,
          ApplyWorkload.select("orders", options.seed()),
          table,
          rows,
          width,
          dir.resolve("staging"));
      long loadNanos = System.nanoTime() - start;
      Path workDir = WorkFiles.create(dir.resolve(name));
      try (ApplyScenario scenario =
          new ApplyScenario(catalog, logs, identifier, workDir, updates.size())) {
        Round cold = scenario.prime(ApplyWorkload.touchEveryPartition(rows, width));
        progress.printf(
            "  loaded in %.1f s; first worker round (import and checkpoint every partition) %.1f"
                + " s%n",
            loadNanos / 1e9, cold.nanos() / 1e9);
        table.refresh();
        List<DataFile> files = dataFiles(table);
        Table baseline = create(baselineIdentifier, width);
        RangeLoad.append(baseline, files);
        long parquetBytes = files.stream().mapToLong(DataFile::fileSizeInBytes).sum();

        State before = ApplyCheck.read(table, ApplyCheck.keys(updates));
        Map<Long, Row> expected = ApplyCheck.expected(before, updates);
        long submitStart = System.nanoTime();
        long[] sequences = scenario.submit(updates);
        long submitNanos = System.nanoTime() - submitStart;
        progress.printf(
            "  %,d updates in the log (submitted in %.1f s); applying them...%n",
            updates.size(), submitNanos / 1e9);
        Round round = scenario.apply();
        ResultTally results = scenario.results(sequences);
        Replicas replicas = scenario.replicas();
        table.refresh();
        long written =
            Long.parseLong(table.currentSnapshot().summary().getOrDefault("added-files-size", "0"));
        progress.printf(
            "  Icecap: %.3f s (apply %.3f s, checkpoint %.3f s), %,.0f updates/s; %s%n",
            round.nanos() / 1e9,
            round.applyNanos() / 1e9,
            round.checkpointNanos() / 1e9,
            updates.size() / (round.nanos() / 1e9),
            results.describe());
        if (round.pending() || !results.allOk()) {
          throw new IllegalStateException(
              String.format(
                  "The worker did not apply the updates to %s: %s%s",
                  identifier,
                  results.describe(),
                  round.pending() ? "; records still pending" : ""));
        }
        Verification icecapCheck = ApplyCheck.verify(table, before, expected, updates);
        requireOk("Icecap", identifier, icecapCheck);

        Parts checkpointParts = null;
        if (parts) {
          Map.Entry<String, ReplicaEntry> entry = replicas.entries().entrySet().iterator().next();
          GenericRecord partition = GenericRecord.create(table.spec().partitionType());
          partition.set(0, 0L);
          checkpointParts =
              CheckpointParts.measure(
                  table, entry.getValue(), partition, 1, workDir.resolve("parts"));
        }

        progress.printf("  copy-on-write rewrite...%n");
        CopyOnWriteBaseline.Result copyOnWrite =
            new CopyOnWriteBaseline(baseline, Runtime.getRuntime().availableProcessors())
                .run(updates, width);
        progress.printf(
            "  copy-on-write: %.3f s (rewrite %.3f s, commit %.3f s), %,.0f updates/s%n",
            copyOnWrite.nanos() / 1e9,
            copyOnWrite.rewriteNanos() / 1e9,
            copyOnWrite.commitNanos() / 1e9,
            updates.size() / (copyOnWrite.nanos() / 1e9));
        Verification copyOnWriteCheck = ApplyCheck.verify(baseline, before, expected, updates);
        requireOk("The copy-on-write baseline", baselineIdentifier, copyOnWriteCheck);
        catalog.dropTable(identifier, true);
        catalog.dropTable(baselineIdentifier, true);
        return new Run(
            identifier.toString(),
            rows,
            (int) ((rows + width - 1) / width),
            updates.size(),
            loadNanos,
            parquetBytes,
            cold,
            submitNanos,
            round,
            results,
            replicas,
            written,
            icecapCheck,
            checkpointParts,
            copyOnWrite,
            copyOnWriteCheck);
      } finally {
        WorkFiles.deleteTree(workDir);
      }
    }

    private Table create(TableIdentifier identifier, long width) {
      return catalog
          .buildTable(identifier, ApplyWorkload.SCHEMA)
          .withPartitionSpec(ApplyWorkload.spec(width))
          .withProperty(TableProperties.FORMAT_VERSION, "2")
          .create();
    }
  }

  private static List<DataFile> dataFiles(Table table) throws IOException {
    List<DataFile> files = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        files.add(task.file().copy());
      }
    }
    return files;
  }

  private static void requireOk(String side, TableIdentifier table, Verification check) {
    if (!check.ok()) {
      throw new IllegalStateException(
          side + " did not apply the updates to " + table + " as expected: " + check.describe());
    }
  }
}
