package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import io.icecap.client.CacheStats;
import io.icecap.client.Icecap;
import io.icecap.client.IcecapConfig;
import io.icecap.client.IcecapSession;
import io.icecap.replica.DuckDbTypes;
import io.icecap.replica.ParquetReplicaWriter;
import io.icecap.testing.TestingS3Server;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Query latency through Icecap, cold (every file fetched from the object store) and warm (files in
 * the read cache), beside DuckDB querying the same Parquet files straight from local disk.
 *
 * <p>The warehouse is on the S3 API of an in-process S3Proxy whose objects are plain files, so the
 * baseline reads exactly the bytes Icecap fetches. The tables are written once with Icecap's
 * Parquet replica writer and committed as one Iceberg append each; the timed part is the query
 * only: Icecap's planning (catalog, snapshot, Iceberg pruning), fetching and DuckDB's run, against
 * DuckDB's run over views of all the table's files. Every run of every side must return the same
 * rows, or the benchmark fails.
 *
 * <p>The Spark benchmark (module {@code benchmarks-spark}) makes the same tables with {@link
 * #createTables}, {@link #generate}, {@link #loadOrders} and {@link #load}, and runs the same
 * {@link #queries}.
 */
final class QueryBenchmark {
  static final String BUCKET = "warehouse";

  private final QueryOptions options;
  private final PrintStream progress;

  /** One query's figures: wall-clock nanoseconds of each measured run, per side. */
  record Figures(
      String name,
      String sql,
      long[] cold,
      long[] warm,
      long[] baseline,
      int rows,
      long filesFetchedCold) {
    static long median(long[] nanos) {
      long[] sorted = nanos.clone();
      Arrays.sort(sorted);
      return sorted[sorted.length / 2];
    }
  }

  /** The outcome of a run. */
  record Result(
      QueryOptions options,
      Machine machine,
      int orderFiles,
      long orderBytes,
      long customerBytes,
      List<Figures> queries) {}

  QueryBenchmark(QueryOptions options, PrintStream progress) {
    this.options = requireNonNull(options, "options is null");
    this.progress = requireNonNull(progress, "progress is null");
  }

  Result run() throws Exception {
    Path dir = Files.createTempDirectory(WorkFiles.create(options.work()), "icecap-bench-");
    try (EmbeddedRedis redis = EmbeddedRedis.start(WorkFiles.create(dir.resolve("redis")));
        TestingS3Server s3 = TestingS3Server.start()) {
      s3.createBucket(BUCKET);
      String warehouse = "s3://" + BUCKET + "/lake";
      IcecapConfig config =
          IcecapConfig.redis(redis.uri(), warehouse, dir.resolve("home-warm"))
              .withWorkers(1)
              .withCatalogProperties(s3.fileIoProperties());
      // a cache of zero bytes keeps no file once its query is done: every query fetches
      IcecapConfig coldConfig =
          IcecapConfig.redis(redis.uri(), warehouse, dir.resolve("home-cold"))
              .withWorkers(1)
              .withCacheBytes(0)
              .withCatalogProperties(s3.fileIoProperties());
      try (IcecapSession warm = Icecap.connect(config);
          IcecapSession cold = Icecap.connect(coldConfig);
          Connection source = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("src.db"));
          Connection baseline = DriverManager.getConnection("jdbc:duckdb:")) {
        Machine machine = Machine.describe(baseline);
        createTables(warm);
        generate(source);
        Table orders = warm.table("bench.orders");
        Table customers = warm.table("bench.customers");
        List<DataFile> orderFiles = loadOrders(source, orders, dir.resolve("staging"));
        List<DataFile> customerFiles = load(source, "customers", customers, dir.resolve("staging"));
        createBaselineViews(baseline, s3, orders, customers);
        List<Figures> figures = new ArrayList<>();
        for (String[] query : queries()) {
          figures.add(measure(query[0], query[1], cold, warm, baseline));
        }
        return new Result(
            options,
            machine,
            orderFiles.size(),
            orderFiles.stream().mapToLong(DataFile::fileSizeInBytes).sum(),
            customerFiles.stream().mapToLong(DataFile::fileSizeInBytes).sum(),
            figures);
      }
    } finally {
      WorkFiles.deleteTree(dir);
    }
  }

  /** The queries: a point lookup, a filtered aggregate over every partition, and a join. */
  List<String[]> queries() {
    long width = options.partitionWidth();
    long id = Math.floorMod(options.seed() * 7_919L + 12_345L, options.rows());
    long low = (id / width) * width;
    return List.of(
        new String[] {"point lookup", "SELECT * FROM bench.orders WHERE id = " + id},
        new String[] {
          "filtered aggregate",
          "SELECT active, count(*) AS orders, sum(amount) AS amount, round(avg(score), 6) AS score"
              + " FROM bench.orders WHERE order_date >= DATE '2024-01-01'"
              + " AND order_date < DATE '2024-04-01' GROUP BY active ORDER BY active"
        },
        new String[] {
          "join",
          "SELECT c.region, count(*) AS orders, sum(o.amount) AS amount FROM bench.orders o"
              + " JOIN bench.customers c ON o.customer_id = c.customer_id"
              + " WHERE o.id >= "
              + low
              + " AND o.id < "
              + (low + width)
              + " AND c.segment = 'retail' GROUP BY c.region ORDER BY c.region"
        });
  }

  void createTables(IcecapSession session) {
    session.execute("CREATE SCHEMA bench");
    session.execute(
        "CREATE TABLE bench.orders ("
            + DuckDbTypes.columnDefinitions(SyntheticPartition.SCHEMA)
            + ") PARTITIONED BY (truncate("
            + options.partitionWidth()
            + ", id))");
    session.execute(
        "CREATE TABLE bench.customers (customer_id INTEGER NOT NULL, region VARCHAR,"
            + " segment VARCHAR)");
  }

  void generate(Connection source) throws SQLException {
    long start = System.nanoTime();
    try (Statement statement = source.createStatement()) {
      statement.execute(SyntheticPartition.createTable("orders"));
      statement.execute(SyntheticPartition.insert("orders", options.rows(), options.seed()));
      statement.execute(
          String.format(
              "CREATE TABLE customers AS SELECT range::INTEGER AS customer_id,"
                  + " 'region-' || lpad((hash(range, %1$d, 8) %% 20)::VARCHAR, 2, '0') AS region,"
                  + " CASE hash(range, %1$d, 9) %% 3 WHEN 0 THEN 'retail' WHEN 1 THEN 'business'"
                  + " ELSE 'public' END AS segment FROM range(%2$d)",
              options.seed(), options.customers()));
    }
    progress.printf(
        "Generated %,d orders and %,d customers in %.1f s%n",
        options.rows(), options.customers(), (System.nanoTime() - start) / 1e9);
  }

  List<DataFile> loadOrders(Connection source, Table table, Path staging) throws Exception {
    long start = System.nanoTime();
    List<DataFile> files =
        RangeLoad.load(
            source,
            "SELECT * FROM orders",
            table,
            options.rows(),
            options.partitionWidth(),
            staging);
    progress.printf(
        "Wrote and committed %d order files in %.1f s%n",
        files.size(), (System.nanoTime() - start) / 1e9);
    return files;
  }

  static List<DataFile> load(Connection source, String relation, Table table, Path staging)
      throws Exception {
    Files.createDirectories(staging);
    List<DataFile> files = new ParquetReplicaWriter(staging).write(source, relation, table, null);
    RangeLoad.append(table, files);
    return files;
  }

  /** Views of every current file of the tables, read by DuckDB from the object store's disk. */
  private static void createBaselineViews(
      Connection baseline, TestingS3Server s3, Table orders, Table customers) throws Exception {
    try (Statement statement = baseline.createStatement()) {
      statement.execute("CREATE SCHEMA bench");
      for (Table table : List.of(orders, customers)) {
        List<String> paths = new ArrayList<>();
        table.refresh();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
          for (FileScanTask task : tasks) {
            paths.add(DuckDbTypes.literal(localPath(s3, task.file().location()).toString()));
          }
        }
        String name = table.name().substring(table.name().lastIndexOf('.') + 1);
        statement.execute(
            "CREATE VIEW bench."
                + name
                + " AS SELECT * FROM read_parquet(["
                + String.join(", ", paths)
                + "], hive_partitioning = false)");
      }
    }
  }

  private static Path localPath(TestingS3Server s3, String location) {
    URI uri = URI.create(location);
    Path path = s3.dataDir().resolve(uri.getHost()).resolve(uri.getPath().substring(1));
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException(
          "The object store keeps " + location + " elsewhere than " + path);
    }
    return path;
  }

  private Figures measure(
      String name, String sql, IcecapSession cold, IcecapSession warm, Connection baseline)
      throws Exception {
    progress.printf("Measuring %s%n", name);
    int runs = options.warmups() + options.repetitions();
    long[] coldNanos = new long[options.repetitions()];
    long[] warmNanos = new long[options.repetitions()];
    long[] baselineNanos = new long[options.repetitions()];
    List<String> expected = null;
    long fetched = 0;
    for (int run = 0; run < runs; run++) {
      int measured = run - options.warmups();
      for (int turn = 0; turn < 3; turn++) {
        int side = (run + turn) % 3;
        long start = System.nanoTime();
        List<String> rows;
        CacheStats before = side == 0 ? cold.cacheStats() : null;
        if (side == 0) {
          rows = rows(cold.query(sql));
        } else if (side == 1) {
          rows = rows(warm.query(sql));
        } else {
          try (Statement statement = baseline.createStatement()) {
            rows = rows(statement.executeQuery(sql));
          }
        }
        long nanos = System.nanoTime() - start;
        if (expected == null) {
          expected = rows;
        } else if (!expected.equals(rows)) {
          throw new IllegalStateException(
              String.format(
                  "%s returned different rows on %s: %s, before %s",
                  name, List.of("cold", "warm", "baseline").get(side), rows, expected));
        }
        if (measured >= 0) {
          switch (side) {
            case 0 -> {
              coldNanos[measured] = nanos;
              fetched = cold.cacheStats().misses() - before.misses();
            }
            case 1 -> warmNanos[measured] = nanos;
            default -> baselineNanos[measured] = nanos;
          }
        }
      }
    }
    if (expected.isEmpty()) {
      throw new IllegalStateException(name + " returned no rows: it measures nothing");
    }
    return new Figures(name, sql, coldNanos, warmNanos, baselineNanos, expected.size(), fetched);
  }

  private static List<String> rows(ResultSet result) throws SQLException {
    try (result) {
      ResultSetMetaData meta = result.getMetaData();
      List<String> rows = new ArrayList<>();
      while (result.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.append(i == 1 ? "" : "|").append(result.getString(i));
        }
        rows.add(row.toString());
      }
      return rows;
    }
  }
}
