package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import io.icecap.bench.QueryBenchmark.Figures;
import io.icecap.bench.SparkBenchmark.Result;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A Spark run as one table for people, and as JSON for tools. */
final class SparkReport implements Bench.Report {
  static final String SCENARIO = "6 spark";
  private static final String ROW = "%-24s | %14s | %14s | %14s | %10s | %10s%n";

  /** The baseline of the merge-on-read figures, short for the summary table. */
  static final String MERGE_ON_READ = "Spark SQL UPDATE (MoR)";

  private final Result result;

  SparkReport(Result result) {
    this.result = requireNonNull(result, "result is null");
  }

  /** Spark's name in the figures, with how its UPDATE writes. */
  private String sparkName() {
    return "Spark SQL " + result.spark() + " local[2]";
  }

  @Override
  public void print(PrintStream out) {
    Machine machine = result.machine();
    SparkOptions options = result.options();
    SparkUpdates.Figures updates = result.updates();
    out.println("Icecap benchmark: Spark SQL beside Icecap on the same tables of Icecap's catalog");
    out.printf("machine   %s%n", machine.summary());
    out.printf(
        "software  Java %s; DuckDB %s; Spark %s (%s, %d shuffle partitions, UI off, heap %.1f"
            + " GiB) with Iceberg's Spark runtime %s%n",
        machine.java(),
        machine.duckdb(),
        result.spark(),
        SparkSide.MASTER,
        SparkSide.SHUFFLE_PARTITIONS,
        Runtime.getRuntime().maxMemory() / (double) (1L << 30),
        org.apache.iceberg.IcebergBuild.version());
    out.printf(
        "settings  %,d orders in %d partitions (truncate(%,d, id)), %,d customers; %d updates"
            + " and %d query repetitions per side (median reported) after %d warm-up%s; seed"
            + " %d%n",
        options.rows(),
        options.partitions(),
        options.partitionWidth(),
        options.customers(),
        options.updates(),
        options.repetitions(),
        options.warmups(),
        options.warmups() == 1 ? "" : "s",
        options.seed());
    out.printf(
        "table     Iceberg format v%d, write.update.mode %s: Spark's UPDATE rewrites the data"
            + " file holding the row (%,d rows written per update); an Icecap checkpoint writes"
            + " the partition's Parquet and DuckDB replicas (%,d rows)%n",
        result.formatVersion(),
        result.updateMode(),
        updates.sparkRowsWritten(),
        updates.icecapRowsWritten());
    out.printf(
        "copy      %s: the same rows, write.update.mode merge-on-read: Spark's UPDATE writes a"
            + " position delete file and the changed row (the last one wrote %,d position"
            + " delete%s and %,d row%s); only Spark reads it%n",
        SparkBenchmark.ORDERS_MOR,
        result.mergeOnRead().positionDeletesWritten(),
        result.mergeOnRead().positionDeletesWritten() == 1 ? "" : "s",
        result.mergeOnRead().rowsWritten(),
        result.mergeOnRead().rowsWritten() == 1 ? "" : "s");
    out.printf(
        "data      orders %.1f MB of Parquet in %d files; warehouse on S3Proxy (loopback), Redis"
            + " with appendfsync always; one catalog: Spark's is Icecap's RedisCatalog%n",
        result.orderBytes() / 1e6, result.orderFiles());
    out.println();
    out.printf(
        "%-24s | %14s | %14s | %14s | %10s%n",
        "single-row UPDATE", "Icecap ack", "Icecap visible", "Spark SQL", "visible ×");
    out.printf(
        "%-24s | %14s | %14s | %14s | %10s%n",
        "-".repeat(24), "-".repeat(14), "-".repeat(14), "-".repeat(14), "-".repeat(10));
    out.printf(
        "%-24s | %14s | %14s | %14s | %9.2f×%n",
        "UPDATE ... WHERE id = ?",
        millis(SparkUpdates.median(updates.icecapAck())),
        millis(SparkUpdates.median(updates.icecapVisible())),
        millis(SparkUpdates.median(updates.spark())),
        visibleRatio(updates.spark()));
    out.printf(
        "%-24s | %14s | %14s | %14s | %9.2f×%n",
        "  Spark merge-on-read",
        millis(SparkUpdates.median(updates.icecapAck())),
        millis(SparkUpdates.median(updates.icecapVisible())),
        millis(SparkUpdates.median(result.mergeOnRead().spark())),
        visibleRatio(result.mergeOnRead().spark()));
    out.printf(
        "  %d updates per side over %d partitions; Icecap's %d unmeasured ones first put each"
            + " partition's replica in its worker's cache. Spark's time is its commit: it is"
            + " visible when it returns. Spark's first row: the UPDATEs of %s (%s); the second:"
            + " the same UPDATEs of %s (merge-on-read), made after the others, Spark warm by"
            + " then.%n",
        options.updates(),
        updates.partitions(),
        updates.icecapWarmups() - options.warmups(),
        SparkBenchmark.ORDERS,
        result.updateMode(),
        SparkBenchmark.ORDERS_MOR);
    out.println();
    out.printf(ROW, "query", "Icecap cold", "Icecap warm", "Spark SQL", "warm ×", "cold ×");
    out.printf(
        ROW,
        "-".repeat(24),
        "-".repeat(14),
        "-".repeat(14),
        "-".repeat(14),
        "-".repeat(10),
        "-".repeat(10));
    for (Figures query : result.queries()) {
      out.printf(
          ROW,
          query.name(),
          millis(Figures.median(query.cold())),
          millis(Figures.median(query.warm())),
          millis(Figures.median(query.baseline())),
          String.format("%.3f×", ratio(query.warm(), query.baseline())),
          String.format("%.3f×", ratio(query.cold(), query.baseline())));
    }
    out.println("  × = Icecap's median time / Spark's (below 1 is faster than Spark)");
    for (Figures query : result.queries()) {
      out.printf("  %-20s %s%n", query.name() + ":", query.sql());
    }
    out.println();
    out.println("Checked:");
    for (String check : result.checks()) {
      out.println("  " + check);
    }
  }

  private double visibleRatio(long[] spark) {
    return ratio(result.updates().icecapVisible(), spark);
  }

  private static double ratio(long[] icecap, long[] spark) {
    return Figures.median(icecap) / (double) Figures.median(spark);
  }

  @Override
  public void writeJson(Path file) throws IOException {
    SparkOptions options = result.options();
    SparkUpdates.Figures updates = result.updates();
    try (JsonGenerator json = BenchJson.open(file)) {
      json.writeStartObject();
      json.writeStringField("benchmark", "spark");
      json.writeObjectFieldStart("machine");
      BenchJson.machineFields(json, result.machine());
      json.writeStringField("spark", result.spark());
      json.writeStringField("iceberg", org.apache.iceberg.IcebergBuild.version());
      json.writeNumberField("max_heap_bytes", Runtime.getRuntime().maxMemory());
      json.writeEndObject();
      json.writeObjectFieldStart("settings");
      json.writeNumberField("rows", options.rows());
      json.writeNumberField("partitions", options.partitions());
      json.writeNumberField("customers", options.customers());
      json.writeNumberField("updates", options.updates());
      json.writeNumberField("repetitions", options.repetitions());
      json.writeNumberField("warmups", options.warmups());
      json.writeNumberField("seed", options.seed());
      json.writeStringField("spark_master", SparkSide.MASTER);
      json.writeNumberField("spark_shuffle_partitions", SparkSide.SHUFFLE_PARTITIONS);
      json.writeStringField("update_mode", result.updateMode());
      json.writeNumberField("format_version", result.formatVersion());
      json.writeNumberField("order_files", result.orderFiles());
      json.writeNumberField("order_bytes", result.orderBytes());
      json.writeEndObject();
      json.writeObjectFieldStart("updates");
      json.writeNumberField("partitions", updates.partitions());
      json.writeNumberField("icecap_warmups", updates.icecapWarmups());
      json.writeNumberField("spark_rows_written", updates.sparkRowsWritten());
      json.writeNumberField("icecap_rows_written", updates.icecapRowsWritten());
      BenchJson.nanos(json, "spark", updates.spark());
      BenchJson.nanos(json, "icecap_ack", updates.icecapAck());
      BenchJson.nanos(json, "icecap_visible", updates.icecapVisible());
      json.writeObjectFieldStart("merge_on_read");
      json.writeStringField("table", SparkBenchmark.ORDERS_MOR.toString());
      json.writeNumberField(
          "position_deletes_written", result.mergeOnRead().positionDeletesWritten());
      json.writeNumberField("rows_written", result.mergeOnRead().rowsWritten());
      BenchJson.nanos(json, "spark", result.mergeOnRead().spark());
      json.writeEndObject();
      json.writeEndObject();
      json.writeArrayFieldStart("queries");
      for (Figures query : result.queries()) {
        json.writeStartObject();
        json.writeStringField("name", query.name());
        json.writeStringField("sql", query.sql());
        json.writeNumberField("rows", query.rows());
        json.writeNumberField("files_fetched_cold", query.filesFetchedCold());
        BenchJson.nanos(json, "icecap_cold", query.cold());
        BenchJson.nanos(json, "icecap_warm", query.warm());
        BenchJson.nanos(json, "spark", query.baseline());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeArrayFieldStart("checks");
      for (String check : result.checks()) {
        json.writeString(check);
      }
      json.writeEndArray();
      json.writeEndObject();
    }
  }

  @Override
  public List<Figure> figures() {
    SparkUpdates.Figures updates = result.updates();
    double spark = SparkUpdates.median(updates.spark()) / 1e6;
    // CoW: copy-on-write, MoR: merge-on-read (write.update.mode); short, for the summary table
    String sparkUpdate =
        "Spark SQL UPDATE (" + ("merge-on-read".equals(result.updateMode()) ? "MoR" : "CoW") + ")";
    List<Figure> figures = new ArrayList<>();
    figures.add(
        Figure.versus(
            SCENARIO,
            "UPDATE ack",
            "ms",
            SparkUpdates.median(updates.icecapAck()) / 1e6,
            spark,
            sparkUpdate));
    figures.add(
        Figure.versus(
            SCENARIO,
            "UPDATE visible in a snapshot",
            "ms",
            SparkUpdates.median(updates.icecapVisible()) / 1e6,
            spark,
            sparkUpdate));
    double mergeOnRead = SparkUpdates.median(result.mergeOnRead().spark()) / 1e6;
    figures.add(
        Figure.versus(
            SCENARIO,
            "UPDATE ack vs merge-on-read",
            "ms",
            SparkUpdates.median(updates.icecapAck()) / 1e6,
            mergeOnRead,
            MERGE_ON_READ));
    figures.add(
        Figure.versus(
            SCENARIO,
            "UPDATE visible vs merge-on-read",
            "ms",
            SparkUpdates.median(updates.icecapVisible()) / 1e6,
            mergeOnRead,
            MERGE_ON_READ));
    for (Figures query : result.queries()) {
      double baseline = Figures.median(query.baseline()) / 1e6;
      figures.add(
          Figure.versus(
              SCENARIO,
              query.name() + " warm",
              "ms",
              Figures.median(query.warm()) / 1e6,
              baseline,
              sparkName()));
      figures.add(
          Figure.versus(
              SCENARIO,
              query.name() + " cold",
              "ms",
              Figures.median(query.cold()) / 1e6,
              baseline,
              sparkName()));
    }
    return figures;
  }

  private static String millis(long nanos) {
    return String.format("%.2f ms", nanos / 1e6);
  }
}
