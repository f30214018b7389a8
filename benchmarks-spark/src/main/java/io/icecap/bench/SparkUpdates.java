package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import io.icecap.client.IcecapSession;
import io.icecap.txn.CommitToken;
import io.icecap.txn.record.TransactionResult;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;

/**
 * Single-row {@code UPDATE bench.orders SET amount = ? WHERE id = ?} on the same table, first
 * through Spark SQL, then through Icecap, then once more through Spark on a row Icecap wrote.
 *
 * <p>Spark's UPDATE returns when its Iceberg commit is done, so its time is both its
 * acknowledgement and its visibility. Icecap's acknowledgement is {@link
 * IcecapSession#executeAsync} returning (the write is in the Redis log, fsynced); it is visible
 * when a reader polling the catalog ({@link SnapshotWatcher}) sees a snapshot that applied it. Each
 * update waits until the previous one is visible, so neither side batches.
 *
 * <p>The k-th update of each side changes a row of partition {@code k mod min(partitions,
 * updates)}, so both sides rewrite the same partitions. Icecap first updates one row of each of
 * those partitions unmeasured, so that its worker holds every partition's DuckDB replica, as a warm
 * worker does; Spark's earlier rewrite of those partitions makes it build them from Spark's files.
 */
final class SparkUpdates {
  static final String ICECAP_SQL = "UPDATE bench.orders SET amount = ? WHERE id = ?";
  private static final Duration VISIBLE_WAIT = Duration.ofMinutes(5);

  /**
   * The updates' figures.
   *
   * @param spark each measured Spark UPDATE's nanoseconds until it returned (committed)
   * @param icecapAck each measured Icecap UPDATE's nanoseconds until acknowledged
   * @param icecapVisible the same updates' nanoseconds until visible in a snapshot
   * @param partitions the partitions the updates change
   * @param sparkRowsWritten rows Spark's last UPDATE wrote (its snapshot's added records)
   * @param icecapRowsWritten rows Icecap's last checkpoint wrote (its snapshot's added records)
   * @param icecapWarmups Icecap's unmeasured updates (one per partition at least)
   */
  record Figures(
      long[] spark,
      long[] icecapAck,
      long[] icecapVisible,
      int partitions,
      long sparkRowsWritten,
      long icecapRowsWritten,
      int icecapWarmups) {}

  /**
   * Spark's single-row updates of the merge-on-read copy of the orders ({@link
   * SparkBenchmark#ORDERS_MOR}).
   *
   * @param spark each measured UPDATE's nanoseconds until it returned (committed)
   * @param positionDeletesWritten position deletes Spark's last UPDATE wrote
   * @param rowsWritten data rows Spark's last UPDATE wrote (the changed row)
   */
  record MergeOnRead(long[] spark, long positionDeletesWritten, long rowsWritten) {}

  private final SparkOptions options;
  private final PrintStream progress;
  private final IcecapSession icecap;
  private final SparkSide spark;
  private final Connection source;
  private final SplittableRandom random;
  private final Set<Long> used = new HashSet<>();
  private final Map<Long, BigDecimal> expected = new TreeMap<>();
  private final int partitions;
  private int count;

  /**
   * @param icecap the session whose worker applies the updates
   * @param source the generated data in DuckDB, which receives every update too
   */
  SparkUpdates(
      SparkOptions options,
      PrintStream progress,
      IcecapSession icecap,
      SparkSide spark,
      Connection source) {
    this.options = requireNonNull(options, "options is null");
    this.progress = requireNonNull(progress, "progress is null");
    this.icecap = requireNonNull(icecap, "icecap is null");
    this.spark = requireNonNull(spark, "spark is null");
    this.source = requireNonNull(source, "source is null");
    this.random = new SplittableRandom(options.seed() * 7_919L + 6);
    long width = options.partitionWidth();
    int filled = (int) ((options.rows() + width - 1) / width);
    this.partitions = Math.min(filled, options.updates());
  }

  /** Runs the updates and checks that Spark and Icecap read every updated row as written. */
  Figures run(List<String> checks) throws Exception {
    Table table = icecap.catalog().loadTable(SparkBenchmark.ORDERS);
    progress.printf(
        "Spark: %d + %d warm-up single-row UPDATEs%n", options.updates(), options.warmups());
    long[] sparkNanos = new long[options.updates()];
    for (int i = -options.warmups(); i < options.updates(); i++) {
      long nanos = sparkUpdate(nextId(), nextAmount());
      if (i >= 0) {
        sparkNanos[i] = nanos;
      }
    }
    table.refresh();
    long sparkRows = addedRecords(table.currentSnapshot());
    progress.printf(
        "  median %.1f ms; each rewrote %,d rows%n", median(sparkNanos) / 1e6, sparkRows);

    int warmups = Math.max(options.warmups(), partitions);
    progress.printf(
        "Icecap: %d + %d warm-up single-row UPDATEs, each awaited in a snapshot%n",
        options.updates(), warmups);
    long[] starts = new long[options.updates()];
    long[] sequences = new long[options.updates()];
    long[] acks = new long[options.updates()];
    long[] visibleAt;
    long lastId = -1;
    try (SnapshotWatcher watcher = new SnapshotWatcher(table, progress)) {
      for (int i = -warmups; i < options.updates(); i++) {
        long id = nextId();
        BigDecimal amount = nextAmount();
        long start = System.nanoTime();
        CommitToken token = icecap.executeAsync(ICECAP_SQL, amount, id);
        long ack = System.nanoTime() - start;
        if (!watcher.await(token.sequence(), VISIBLE_WAIT)) {
          throw new IllegalStateException(
              "Icecap's UPDATE of order "
                  + id
                  + " (sequence "
                  + token.sequence()
                  + ") was not in a snapshot within "
                  + VISIBLE_WAIT);
        }
        TransactionResult result = icecap.await(token);
        if (!result.committed() || result.totalRows() != 1) {
          throw new IllegalStateException(
              "Icecap's UPDATE of order " + id + " did not change one row: " + result);
        }
        applied(id, amount);
        lastId = id;
        if (i >= 0) {
          starts[i] = start;
          sequences[i] = token.sequence();
          acks[i] = ack;
        }
      }
      watcher.close();
      visibleAt = watcher.visibleAt(sequences);
    }
    long[] visible = new long[options.updates()];
    for (int i = 0; i < visible.length; i++) {
      visible[i] = visibleAt[i] - starts[i];
    }
    table.refresh();
    long icecapRows = addedRecords(table.currentSnapshot());
    progress.printf(
        "  ack median %.3f ms, visible median %.1f ms; each checkpoint wrote %,d rows%n",
        median(acks) / 1e6, median(visible) / 1e6, icecapRows);

    // Spark rewrites the row Icecap wrote last, in the file Icecap's checkpoint wrote
    sparkUpdate(lastId, nextAmount());
    checkUpdatedRows(checks);
    return new Figures(
        sparkNanos, acks, visible, partitions, sparkRows, icecapRows, warmups + options.warmups());
  }

  /**
   * The same single-row UPDATEs through Spark on the merge-on-read copy of the orders, in the same
   * partitions, after the other updates (Spark is warm by then); checks that each wrote a position
   * delete and that Spark reads every updated row as written and every row once.
   */
  MergeOnRead runMergeOnRead(List<String> checks) throws Exception {
    Table table = icecap.catalog().loadTable(SparkBenchmark.ORDERS_MOR);
    progress.printf(
        "Spark, merge-on-read on %s: %d + %d warm-up single-row UPDATEs%n",
        SparkBenchmark.ORDERS_MOR, options.updates(), options.warmups());
    Map<Long, BigDecimal> written = new TreeMap<>();
    long[] nanos = new long[options.updates()];
    count = 0;
    for (int i = -options.warmups(); i < options.updates(); i++) {
      long id = nextId();
      BigDecimal amount = nextAmount();
      long time = timedSparkUpdate(SparkBenchmark.ORDERS_MOR.toString(), id, amount);
      written.put(id, amount);
      if (i >= 0) {
        nanos[i] = time;
      }
    }
    table.refresh();
    Snapshot snapshot = table.currentSnapshot();
    long deletes = summaryCount(snapshot, SnapshotSummary.ADDED_POS_DELETES_PROP);
    long rows = addedRecords(snapshot);
    if (deletes < 1) {
      throw new IllegalStateException(
          "Spark's UPDATE of "
              + SparkBenchmark.ORDERS_MOR
              + " wrote no position delete, so it did not update merge-on-read; its snapshot: "
              + (snapshot == null ? "none" : snapshot.summary()));
    }
    progress.printf(
        "  median %.1f ms; the last wrote %,d position delete%s and %,d row%s%n",
        median(nanos) / 1e6, deletes, deletes == 1 ? "" : "s", rows, rows == 1 ? "" : "s");

    String ids = written.keySet().stream().map(String::valueOf).collect(Collectors.joining(", "));
    List<List<Object>> want = new ArrayList<>();
    written.forEach((id, amount) -> want.add(List.of(id, amount.stripTrailingZeros())));
    List<List<Object>> viaSpark =
        Answers.of(
            spark.sql(
                "SELECT id, amount FROM "
                    + SparkBenchmark.ORDERS_MOR
                    + " WHERE id IN ("
                    + ids
                    + ") ORDER BY id"));
    List<List<Object>> total =
        Answers.of(spark.sql("SELECT count(*) FROM " + SparkBenchmark.ORDERS_MOR));
    if (!Answers.same(want, viaSpark) || !Answers.same(List.of(List.of(options.rows())), total)) {
      throw new IllegalStateException(
          String.format(
              "%s differs after the merge-on-read updates: written %s, Spark reads %s; %s rows,"
                  + " expected %,d",
              SparkBenchmark.ORDERS_MOR, want, viaSpark, total, options.rows()));
    }
    checks.add(
        String.format(
            "%d orders updated merge-on-read in %s (each UPDATE wrote a position delete): Spark"
                + " reads every one as written, and %,d rows",
            want.size(), SparkBenchmark.ORDERS_MOR, options.rows()));
    return new MergeOnRead(nanos, deletes, rows);
  }

  private long sparkUpdate(long id, BigDecimal amount) throws Exception {
    long nanos = timedSparkUpdate("bench.orders", id, amount);
    applied(id, amount);
    return nanos;
  }

  private long timedSparkUpdate(String table, long id, BigDecimal amount) {
    String sql =
        "UPDATE " + table + " SET amount = " + amount.toPlainString() + " WHERE id = " + id;
    long start = System.nanoTime();
    spark.sql(sql);
    return System.nanoTime() - start;
  }

  /** Records an update as done: it is expected from now on, and applied to the generated data. */
  private void applied(long id, BigDecimal amount) throws Exception {
    expected.put(id, amount);
    try (PreparedStatement update =
        source.prepareStatement("UPDATE main.orders SET amount = ? WHERE id = ?")) {
      update.setBigDecimal(1, amount);
      update.setLong(2, id);
      if (update.executeUpdate() != 1) {
        throw new IllegalStateException("Order " + id + " is not in the generated data");
      }
    }
  }

  private void checkUpdatedRows(List<String> checks) throws Exception {
    String ids = expected.keySet().stream().map(String::valueOf).collect(Collectors.joining(", "));
    String sql = "SELECT id, amount FROM bench.orders WHERE id IN (" + ids + ") ORDER BY id";
    List<List<Object>> want = new ArrayList<>();
    expected.forEach((id, amount) -> want.add(List.of(id, amount.stripTrailingZeros())));
    List<List<Object>> viaIcecap = Answers.of(icecap.query(sql));
    List<List<Object>> viaSpark = Answers.of(spark.sql(sql));
    List<List<Object>> viaDuckDb = SparkBenchmark.expected(source, sql);
    if (!Answers.same(want, viaIcecap)
        || !Answers.same(want, viaSpark)
        || !Answers.same(want, viaDuckDb)) {
      throw new IllegalStateException(
          String.format(
              "The updated orders differ: written %s; Icecap reads %s; Spark reads %s",
              want, viaIcecap, viaSpark));
    }
    checks.add(
        String.format(
            "%d updated orders (Spark's, Icecap's, and one Spark rewrote after Icecap): Icecap and"
                + " Spark read every one as last written",
            want.size()));
  }

  /** A new id in the partition of the next update. */
  private long nextId() {
    long width = options.partitionWidth();
    long low = (count++ % partitions) * width;
    long high = Math.min(options.rows(), low + width);
    for (; ; ) {
      long id = low + random.nextLong(high - low);
      if (used.add(id)) {
        return id;
      }
    }
  }

  /** An amount no generated order has (those are below 100,000.00). */
  private BigDecimal nextAmount() {
    return BigDecimal.valueOf(10_000_000L + random.nextLong(90_000_000L), 2);
  }

  private static long addedRecords(Snapshot snapshot) {
    return summaryCount(snapshot, SnapshotSummary.ADDED_RECORDS_PROP);
  }

  private static long summaryCount(Snapshot snapshot, String property) {
    String added = snapshot == null ? null : snapshot.summary().get(property);
    return added == null ? -1 : Long.parseLong(added);
  }

  static long median(long[] nanos) {
    return QueryBenchmark.Figures.median(nanos);
  }
}
