package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import io.icecap.client.Icecap;
import io.icecap.client.IcecapConfig;
import io.icecap.client.IcecapSession;
import io.icecap.worker.maintenance.MaintenancePolicy;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Whether a table stays the same as it ages: one table written by awaited single-row INSERTs
 * through the SDK, one after the other (each waits for its checkpoint, so each makes a snapshot),
 * with a short snapshot retention and the maintenance a user gets without asking (the embedded
 * worker runs the due maintenance every 10 s). Every {@code --every} writes it samples the write
 * time and what the table holds in storage ({@link TableFootprint}). Flat is good: the write time
 * at the end against the same table at a tenth of the writes, and the files, bytes and metadata
 * against fixed bounds.
 */
final class AgeBenchmark {
  static final TableIdentifier TABLE = TableIdentifier.of("bench", "age");

  private final AgeOptions options;
  private final PrintStream progress;

  /**
   * One sample, taken after {@code writes} writes.
   *
   * @param writes writes so far
   * @param elapsedNanos since the first write
   * @param writeP50Nanos median awaited time of the writes since the previous sample
   * @param writeMaxNanos the longest of them
   * @param footprint the table in storage
   */
  record Sample(
      int writes,
      long elapsedNanos,
      long writeP50Nanos,
      long writeMaxNanos,
      TableFootprint footprint) {}

  /** The outcome of a run. */
  record Result(AgeOptions options, Machine machine, List<Sample> samples, long rows) {
    Sample last() {
      return samples.get(samples.size() - 1);
    }

    /** The sample of {@link AgeOptions#baselineWrite()}. */
    Sample baseline() {
      return samples.stream()
          .filter(sample -> sample.writes() == options.baselineWrite())
          .findFirst()
          .orElseThrow();
    }
  }

  AgeBenchmark(AgeOptions options, PrintStream progress) {
    this.options = requireNonNull(options, "options is null");
    this.progress = requireNonNull(progress, "progress is null");
  }

  Result run() throws Exception {
    Path dir = Files.createTempDirectory(WorkFiles.create(options.work()), "icecap-bench-");
    try (EmbeddedRedis redis = EmbeddedRedis.start(WorkFiles.create(dir.resolve("redis")))) {
      Path warehouse = WorkFiles.create(dir.resolve("warehouse"));
      IcecapConfig config =
          IcecapConfig.redis(redis.uri(), warehouse.toString(), dir.resolve("home")).withWorkers(1);
      try (IcecapSession session = Icecap.connect(config);
          Connection duckdb = DriverManager.getConnection("jdbc:duckdb:")) {
        Machine machine = Machine.describe(duckdb);
        session.execute("CREATE SCHEMA bench");
        session.execute(
            "CREATE TABLE bench.age (id BIGINT NOT NULL, qty INTEGER, amount DOUBLE, note VARCHAR)"
                + " PARTITIONED BY (bucket("
                + options.buckets()
                + ", id))");
        Table table = session.catalog().loadTable(TABLE);
        table
            .updateProperties()
            .set(MaintenancePolicy.MAX_SNAPSHOT_AGE, Long.toString(options.maxSnapshotAgeMs()))
            .commit();
        List<Sample> samples = write(session, table);
        long rows;
        try (ResultSet result = session.query("SELECT count(*) FROM bench.age")) {
          result.next();
          rows = result.getLong(1);
        }
        if (rows != options.writes()) {
          throw new IllegalStateException(
              String.format(
                  "bench.age holds %,d rows after %,d acknowledged single-row inserts",
                  rows, options.writes()));
        }
        return new Result(options, machine, samples, rows);
      }
    } finally {
      WorkFiles.deleteTree(dir);
    }
  }

  private List<Sample> write(IcecapSession session, Table table) {
    SplittableRandom random = new SplittableRandom(options.seed());
    String insert = "INSERT INTO bench.age VALUES (?, ?, ?, ?)";
    long[] window = new long[options.every()];
    List<Sample> samples = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < options.writes(); i++) {
      long began = System.nanoTime();
      long rows =
          session.execute(
              insert,
              (long) i,
              random.nextInt(1000),
              random.nextInt(10_000_000) / 100.0,
              String.format("note-%016x", random.nextLong()));
      window[i % options.every()] = System.nanoTime() - began;
      if (rows != 1) {
        throw new IllegalStateException(
            String.format("INSERT %,d of bench.age inserted %d rows instead of 1", i + 1, rows));
      }
      if ((i + 1) % options.every() == 0) {
        long[] sorted = window.clone();
        Arrays.sort(sorted);
        Sample sample =
            new Sample(
                i + 1,
                System.nanoTime() - start,
                sorted[sorted.length / 2],
                sorted[sorted.length - 1],
                TableFootprint.of(table));
        samples.add(sample);
        progress.println(line(sample));
      }
    }
    return samples;
  }

  private String line(Sample sample) {
    TableFootprint f = sample.footprint();
    return String.format(
        "writes %,d/%,d after %.0f s: write p50 %.1f ms (max %.0f); %,d files %.2f MB (metadata"
            + " %,d files %.2f MB of which metadata.json %,d files %.2f MB, replicas %,d files"
            + " %.2f MB, staged %,d); live %,d files %.2f MB; %,d snapshots; metadata.json %.1f"
            + " KiB",
        sample.writes(),
        options.writes(),
        sample.elapsedNanos() / 1e9,
        sample.writeP50Nanos() / 1e6,
        sample.writeMaxNanos() / 1e6,
        f.files(),
        f.bytes() / 1e6,
        f.metadataFiles(),
        f.metadataBytes() / 1e6,
        f.versionFiles(),
        f.versionBytes() / 1e6,
        f.replicaFiles(),
        f.replicaBytes() / 1e6,
        f.stagedFiles(),
        f.liveFiles(),
        f.liveBytes() / 1e6,
        f.snapshots(),
        f.metadataJsonBytes() / 1024.0);
  }
}
