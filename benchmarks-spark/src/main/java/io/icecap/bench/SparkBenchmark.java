package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import io.icecap.bench.QueryBenchmark.Figures;
import io.icecap.client.CacheStats;
import io.icecap.client.Icecap;
import io.icecap.client.IcecapConfig;
import io.icecap.client.IcecapSession;
import io.icecap.testing.TestingS3Server;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.TableUtil;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Spark SQL beside Icecap on the same two tables of one Icecap catalog: the query benchmark's
 * orders and customers, on the S3 API of an in-process S3Proxy, with a Redis catalog that Spark
 * reaches through Iceberg's {@code SparkCatalog}.
 *
 * <ul>
 *   <li>single-row {@code UPDATE ... WHERE id = ?}: Spark's row-level UPDATE (a commit when it
 *       returns) beside Icecap's acknowledgement and the moment the update is in a snapshot ({@link
 *       SparkUpdates}); Spark's UPDATE copy-on-write on the orders, and merge-on-read on a copy of
 *       them ({@link #ORDERS_MOR});
 *   <li>the query benchmark's three queries through Spark beside Icecap warm and cold, after the
 *       updates.
 * </ul>
 *
 * <p>Every answer is checked against the generated data with the same updates applied in DuckDB:
 * each query's rows on every side, the updated rows and a digest of the whole table through Spark
 * and through Icecap. A difference fails the run.
 */
final class SparkBenchmark {
  static final TableIdentifier ORDERS = TableIdentifier.of("bench", "orders");

  /**
   * A copy of the orders, loaded from the same generated rows, whose UPDATEs Spark writes
   * merge-on-read; only Spark reads it (Icecap's queries do not read delete files).
   */
  static final TableIdentifier ORDERS_MOR = TableIdentifier.of("bench", "orders_mor");

  /** The digest of the whole orders table every side must agree on after the updates. */
  static final String DIGEST =
      "SELECT count(*) AS orders, sum(amount) AS amount, count(score) AS scored,"
          + " sum(customer_id) AS customers, min(id) AS low, max(id) AS high FROM bench.orders";

  private final SparkOptions options;
  private final PrintStream progress;

  /**
   * The outcome of a run.
   *
   * @param spark Spark's version
   * @param updateMode the orders table's {@code write.update.mode}: how Spark's UPDATE writes
   * @param formatVersion the orders table's Iceberg format version
   * @param orderFiles the orders table's data files when loaded
   * @param orderBytes their size
   * @param updates the single-row updates' figures
   * @param mergeOnRead Spark's single-row updates of the merge-on-read copy
   * @param queries each query's figures; the baseline is Spark
   * @param checks what was compared between the sides and found equal
   */
  record Result(
      SparkOptions options,
      Machine machine,
      String spark,
      String updateMode,
      int formatVersion,
      int orderFiles,
      long orderBytes,
      SparkUpdates.Figures updates,
      SparkUpdates.MergeOnRead mergeOnRead,
      List<Figures> queries,
      List<String> checks) {
    Result {
      queries = List.copyOf(queries);
      checks = List.copyOf(checks);
    }
  }

  SparkBenchmark(SparkOptions options, PrintStream progress) {
    this.options = requireNonNull(options, "options is null");
    this.progress = requireNonNull(progress, "progress is null");
  }

  Result run() throws Exception {
    Path dir = Files.createTempDirectory(WorkFiles.create(options.work()), "icecap-bench-spark-");
    try (EmbeddedRedis redis = EmbeddedRedis.start(WorkFiles.create(dir.resolve("redis")), true);
        TestingS3Server s3 = TestingS3Server.start()) {
      s3.createBucket(QueryBenchmark.BUCKET);
      String warehouse = "s3://" + QueryBenchmark.BUCKET + "/lake";
      IcecapConfig config =
          IcecapConfig.redis(redis.uri(), warehouse, dir.resolve("home-warm"))
              .withWorkers(1)
              .withCatalogProperties(s3.fileIoProperties());
      // a cache of zero bytes keeps no file once its query is done: every query fetches; no
      // workers: the warm session's worker applies every write
      IcecapConfig coldConfig =
          IcecapConfig.redis(redis.uri(), warehouse, dir.resolve("home-cold"))
              .withWorkers(0)
              .withCacheBytes(0)
              .withCatalogProperties(s3.fileIoProperties());
      try (IcecapSession warm = Icecap.connect(config);
          IcecapSession cold = Icecap.connect(coldConfig);
          Connection source = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("src.db"))) {
        Machine machine = Machine.describe(source);
        QueryBenchmark tables = new QueryBenchmark(options.query(), progress);
        tables.createTables(warm);
        tables.generate(source);
        Table orders = warm.table(ORDERS.toString());
        List<DataFile> orderFiles =
            tables.loadOrders(source, orders, dir.resolve("staging-orders"));
        QueryBenchmark.load(
            source, "customers", warm.table("bench.customers"), dir.resolve("staging-customers"));
        tables.loadOrders(source, createMergeOnRead(warm, orders), dir.resolve("staging-mor"));
        exposeAsBench(source);
        orders.refresh();
        String updateMode =
            orders
                .properties()
                .getOrDefault(TableProperties.UPDATE_MODE, TableProperties.UPDATE_MODE_DEFAULT);
        progress.printf("Starting Spark (%s)%n", SparkSide.MASTER);
        try (SparkSide spark =
            SparkSide.start(
                config.catalogName(),
                redis.uri(),
                warehouse,
                s3.fileIoProperties(),
                dir.resolve("spark"))) {
          List<String> checks = new ArrayList<>();
          SparkUpdates sparkUpdates = new SparkUpdates(options, progress, warm, spark, source);
          SparkUpdates.Figures updates = sparkUpdates.run(checks);
          SparkUpdates.MergeOnRead mergeOnRead = sparkUpdates.runMergeOnRead(checks);
          List<Figures> queries = new ArrayList<>();
          for (String[] query : tables.queries()) {
            queries.add(measure(query[0], query[1], cold, warm, spark, source, checks));
          }
          checkDigest(warm, spark, source, checks);
          return new Result(
              options,
              machine,
              spark.version(),
              updateMode,
              TableUtil.formatVersion(orders),
              orderFiles.size(),
              orderFiles.stream().mapToLong(DataFile::fileSizeInBytes).sum(),
              updates,
              mergeOnRead,
              queries,
              checks);
        }
      }
    } finally {
      WorkFiles.deleteTree(dir);
    }
  }

  /**
   * Creates {@link #ORDERS_MOR}: the orders' schema and partitions, format v2, and {@code
   * write.update.mode} merge-on-read, so that Spark's UPDATE writes a position delete file and the
   * changed row instead of rewriting the data file.
   */
  private static Table createMergeOnRead(IcecapSession icecap, Table orders) {
    return icecap
        .catalog()
        .buildTable(ORDERS_MOR, orders.schema())
        .withPartitionSpec(orders.spec())
        .withProperty(TableProperties.FORMAT_VERSION, "2")
        .withProperty(TableProperties.UPDATE_MODE, "merge-on-read")
        .create();
  }

  /** The generated tables under the names the queries use, so DuckDB answers them too. */
  private static void exposeAsBench(Connection source) throws Exception {
    try (Statement statement = source.createStatement()) {
      statement.execute("CREATE SCHEMA bench");
      statement.execute("CREATE VIEW bench.orders AS SELECT * FROM main.orders");
      statement.execute("CREATE VIEW bench.customers AS SELECT * FROM main.customers");
    }
  }

  /** The expected answer: the generated data, with every update applied, queried by DuckDB. */
  static List<List<Object>> expected(Connection source, String sql) throws Exception {
    try (Statement statement = source.createStatement()) {
      return Answers.of(statement.executeQuery(sql));
    }
  }

  private void checkDigest(
      IcecapSession icecap, SparkSide spark, Connection source, List<String> checks)
      throws Exception {
    List<List<Object>> expected = expected(source, DIGEST);
    List<List<Object>> viaIcecap = Answers.of(icecap.query(DIGEST));
    List<List<Object>> viaSpark = Answers.of(spark.sql(DIGEST));
    if (!Answers.same(expected, viaIcecap) || !Answers.same(expected, viaSpark)) {
      throw new IllegalStateException(
          String.format(
              "The orders table differs: Icecap reads %s, Spark %s, the generated data with the"
                  + " updates is %s",
              viaIcecap, viaSpark, expected));
    }
    checks.add(
        "whole orders table (count, sum(amount), count(score), sum(customer_id), min/max id):"
            + " Icecap = Spark = generated data with the updates "
            + expected.get(0));
  }

  private Figures measure(
      String name,
      String sql,
      IcecapSession cold,
      IcecapSession warm,
      SparkSide spark,
      Connection source,
      List<String> checks)
      throws Exception {
    progress.printf("Measuring %s%n", name);
    List<List<Object>> expected = expected(source, sql);
    if (expected.isEmpty()) {
      throw new IllegalStateException(name + " returns no rows: it measures nothing");
    }
    int runs = options.warmups() + options.repetitions();
    long[] coldNanos = new long[options.repetitions()];
    long[] warmNanos = new long[options.repetitions()];
    long[] sparkNanos = new long[options.repetitions()];
    long fetched = 0;
    List<String> sides = List.of("Icecap cold", "Icecap warm", "Spark");
    for (int run = 0; run < runs; run++) {
      int measured = run - options.warmups();
      for (int turn = 0; turn < 3; turn++) {
        int side = (run + turn) % 3;
        CacheStats before = side == 0 ? cold.cacheStats() : null;
        long start = System.nanoTime();
        List<List<Object>> rows =
            switch (side) {
              case 0 -> Answers.of(cold.query(sql));
              case 1 -> Answers.of(warm.query(sql));
              default -> Answers.of(spark.sql(sql));
            };
        long nanos = System.nanoTime() - start;
        if (!Answers.same(expected, rows)) {
          throw new IllegalStateException(
              String.format(
                  "%s returned different rows through %s: %s, expected %s",
                  name, sides.get(side), rows, expected));
        }
        if (measured >= 0) {
          switch (side) {
            case 0 -> {
              coldNanos[measured] = nanos;
              fetched = cold.cacheStats().misses() - before.misses();
            }
            case 1 -> warmNanos[measured] = nanos;
            default -> sparkNanos[measured] = nanos;
          }
        }
      }
    }
    checks.add(
        String.format(
            "%s: %d row%s, the same through Icecap cold, Icecap warm and Spark in every run, and"
                + " equal to DuckDB on the generated data with the updates",
            name, expected.size(), expected.size() == 1 ? "" : "s"));
    return new Figures(name, sql, coldNanos, warmNanos, sparkNanos, expected.size(), fetched);
  }
}
