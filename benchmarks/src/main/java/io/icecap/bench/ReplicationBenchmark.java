package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import io.icecap.bench.ReplicationResult.Scenario;
import io.icecap.catalog.RedisCatalog;
import io.icecap.catalog.RedisCatalogProperties;
import io.icecap.replica.DuckDbReplica;
import io.icecap.replica.DuckDbTypes;
import io.icecap.replica.ParquetReplicaWriter;
import io.icecap.replica.PartitionImporter;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Format replication against raw DuckDB, on one generated partition in one run:
 *
 * <ul>
 *   <li>export: {@link ParquetReplicaWriter#write} (COPY with field ids, metrics read back, upload
 *       through the table's FileIO) against DuckDB's plain {@code COPY ... TO 'x.parquet'};
 *   <li>import: {@link PartitionImporter#importPartition} of the committed snapshot against {@code
 *       CREATE TABLE ... AS SELECT * FROM read_parquet(...)} of the same Parquet files.
 * </ul>
 *
 * <p>Every repetition starts from no output files; the two sides alternate which goes first.
 */
final class ReplicationBenchmark {
  private static final TableIdentifier TABLE = TableIdentifier.of("bench", "replication");
  private static final String SOURCE = "source";

  private final ReplicationOptions options;
  private final PrintStream progress;

  ReplicationBenchmark(ReplicationOptions options, PrintStream progress) {
    this.options = requireNonNull(options, "options is null");
    this.progress = requireNonNull(progress, "progress is null");
  }

  /** Runs every scenario in a fresh directory under the work directory, then removes it. */
  ReplicationResult run() throws IOException, SQLException {
    Files.createDirectories(options.work());
    Path dir = Files.createTempDirectory(options.work(), "icecap-bench-");
    try {
      return run(dir);
    } finally {
      WorkFiles.deleteTree(dir);
    }
  }

  private ReplicationResult run(Path dir) throws IOException, SQLException {
    Path sourceFile = dir.resolve("source.duckdb");
    try (EmbeddedRedis redis = EmbeddedRedis.start(WorkFiles.create(dir.resolve("redis")));
        RedisCatalog catalog = catalog(redis.uri(), WorkFiles.create(dir.resolve("warehouse")));
        Connection source = DriverManager.getConnection("jdbc:duckdb:" + sourceFile)) {
      Machine machine = Machine.describe(source);
      generate(source);
      long sourceBytes = Files.size(sourceFile);

      catalog.createNamespace(Namespace.of(TABLE.namespace().levels()));
      Table table =
          catalog
              .buildTable(TABLE, SyntheticPartition.SCHEMA)
              .withProperty(TableProperties.FORMAT_VERSION, "2")
              .create();
      Exports exports = new Exports(source, table, WorkFiles.create(dir.resolve("export")));
      Scenario export =
          measure(
              "export DuckDB -> Parquet + metrics", exports::icecap, exports::baseline, "export");
      AppendFiles append = table.newAppend();
      exports.committed.forEach(append::appendFile);
      append.commit();

      Table committed = catalog.loadTable(TABLE);
      Imports imports =
          new Imports(
              committed,
              committed.currentSnapshot(),
              exports.committed,
              WorkFiles.create(dir.resolve("import")));
      Scenario importing =
          measure("import Parquet -> DuckDB", imports::icecap, imports::baseline, "import");
      return new ReplicationResult(
          options, machine, sourceBytes, exports.committed.size(), export, importing);
    }
  }

  private static RedisCatalog catalog(String uri, Path warehouse) {
    RedisCatalog catalog = new RedisCatalog();
    catalog.initialize(
        "bench",
        Map.of(
            RedisCatalogProperties.URI,
            uri,
            CatalogProperties.WAREHOUSE_LOCATION,
            warehouse.toString()));
    return catalog;
  }

  private void generate(Connection source) throws SQLException {
    progress.printf(
        "Generating %,d rows (seed %d) in a DuckDB file...%n", options.rows(), options.seed());
    long start = System.nanoTime();
    try (Statement statement = source.createStatement()) {
      statement.execute(SyntheticPartition.createTable(SOURCE));
      statement.execute(SyntheticPartition.insert(SOURCE, options.rows(), options.seed()));
      statement.execute("CHECKPOINT");
    }
    progress.printf("  generated in %.2f s%n", (System.nanoTime() - start) / 1e9);
  }

  /** One repetition of one side of a scenario; {@code last} is true for the final repetition. */
  @FunctionalInterface
  private interface Side {
    Run run(int repetition, boolean last) throws IOException, SQLException;
  }

  /** What one repetition took and moved. */
  private record Run(long nanos, long rows, long bytes) {}

  private Scenario measure(String name, Side icecap, Side baseline, String label)
      throws IOException, SQLException {
    int total = options.warmups() + options.repetitions();
    List<Long> icecapNanos = new ArrayList<>();
    List<Long> baselineNanos = new ArrayList<>();
    Run icecapRun = null;
    Run baselineRun = null;
    for (int i = 0; i < total; i++) {
      boolean last = i == total - 1;
      // alternate which side goes first, so neither always runs after the other warmed a cache
      if (i % 2 == 0) {
        baselineRun = baseline.run(i, last);
        icecapRun = icecap.run(i, last);
      } else {
        icecapRun = icecap.run(i, last);
        baselineRun = baseline.run(i, last);
      }
      checkRows(label + " (Icecap)", icecapRun);
      checkRows(label + " (baseline)", baselineRun);
      boolean measured = i >= options.warmups();
      if (measured) {
        icecapNanos.add(icecapRun.nanos());
        baselineNanos.add(baselineRun.nanos());
      }
      progress.printf(
          "  %s %s %d/%d: Icecap %.3f s, baseline %.3f s%n",
          label,
          measured ? "repetition" : "warm-up",
          measured ? i - options.warmups() + 1 : i + 1,
          measured ? options.repetitions() : options.warmups(),
          icecapRun.nanos() / 1e9,
          baselineRun.nanos() / 1e9);
    }
    return new Scenario(
        name,
        new Measurement(icecapNanos, icecapRun.rows(), icecapRun.bytes()),
        new Measurement(baselineNanos, baselineRun.rows(), baselineRun.bytes()));
  }

  private void checkRows(String what, Run run) {
    if (run.rows() != options.rows()) {
      throw new IllegalStateException(
          String.format(
              "The %s moved %,d rows, expected %,d: the benchmark measured something else",
              what, run.rows(), options.rows()));
    }
  }

  /** DuckDB table to Parquet; the Icecap side keeps its last repetition's files to commit. */
  private static final class Exports {
    private final Connection source;
    private final Table table;
    private final Path dir;
    private List<DataFile> committed = List.of();

    Exports(Connection source, Table table, Path dir) {
      this.source = source;
      this.table = table;
      this.dir = dir;
    }

    Run icecap(int repetition, boolean last) {
      ParquetReplicaWriter writer = new ParquetReplicaWriter(dir);
      long start = System.nanoTime();
      List<DataFile> files = writer.write(source, SOURCE, table, null);
      long nanos = System.nanoTime() - start;
      long rows = files.stream().mapToLong(DataFile::recordCount).sum();
      long bytes = files.stream().mapToLong(DataFile::fileSizeInBytes).sum();
      if (last) {
        committed = List.copyOf(files);
      } else {
        files.forEach(file -> table.io().deleteFile(file.location()));
      }
      return new Run(nanos, rows, bytes);
    }

    Run baseline(int repetition, boolean last) throws IOException, SQLException {
      Path file = dir.resolve("baseline-" + repetition + ".parquet");
      String copy =
          "COPY (SELECT "
              + SyntheticPartition.columnList()
              + " FROM "
              + SOURCE
              + ") TO "
              + DuckDbTypes.literal(file.toString())
              + " (FORMAT PARQUET, COMPRESSION zstd)";
      long nanos;
      try (Statement statement = source.createStatement()) {
        long start = System.nanoTime();
        statement.execute(copy);
        nanos = System.nanoTime() - start;
      }
      long rows = count(source, "read_parquet(" + DuckDbTypes.literal(file.toString()) + ")");
      long bytes = Files.size(file);
      Files.delete(file);
      return new Run(nanos, rows, bytes);
    }
  }

  /** The committed Parquet files to a new DuckDB file. */
  private static final class Imports {
    private final Table table;
    private final Snapshot snapshot;
    private final List<String> localFiles = new ArrayList<>();
    private final long bytes;
    private final Path dir;

    Imports(Table table, Snapshot snapshot, List<DataFile> files, Path dir) {
      this.table = table;
      this.snapshot = snapshot;
      this.dir = dir;
      for (DataFile file : files) {
        localFiles.add(DuckDbTypes.literal(localPath(file.location()).toString()));
      }
      this.bytes = files.stream().mapToLong(DataFile::fileSizeInBytes).sum();
    }

    Run icecap(int repetition, boolean last) throws IOException, SQLException {
      Path target = dir.resolve("icecap-" + repetition + ".duckdb");
      PartitionImporter importer = new PartitionImporter(dir);
      long start = System.nanoTime();
      DuckDbReplica replica = importer.importPartition(table, snapshot, null, target);
      replica.close();
      long nanos = System.nanoTime() - start;
      long rows = countRows(target, DuckDbReplica.ROWS);
      WorkFiles.deleteDuckDb(target);
      return new Run(nanos, rows, bytes);
    }

    Run baseline(int repetition, boolean last) throws IOException, SQLException {
      Path target = dir.resolve("baseline-" + repetition + ".duckdb");
      String load =
          "CREATE TABLE "
              + SOURCE
              + " AS SELECT * FROM read_parquet(["
              + String.join(", ", localFiles)
              + "])";
      long start = System.nanoTime();
      try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:" + target);
          Statement statement = duckdb.createStatement()) {
        statement.execute(load);
      }
      long nanos = System.nanoTime() - start;
      long rows = countRows(target, SOURCE);
      WorkFiles.deleteDuckDb(target);
      return new Run(nanos, rows, bytes);
    }

    private static Path localPath(String location) {
      return location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
    }
  }

  private static long countRows(Path database, String table) throws SQLException {
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:" + database)) {
      return count(duckdb, DuckDbTypes.quote(table));
    }
  }

  private static long count(Connection duckdb, String relation) throws SQLException {
    try (Statement statement = duckdb.createStatement();
        ResultSet row = statement.executeQuery("SELECT count(*) FROM " + relation)) {
      row.next();
      return row.getLong(1);
    }
  }
}
