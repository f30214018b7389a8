package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import io.icecap.bench.QueryBenchmark.Figures;
import io.icecap.bench.QueryBenchmark.Result;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A query run as one table for people, and as JSON for tools. */
final class QueryReport implements Bench.Report {
  /** Warm Icecap over DuckDB on local files: the goal is at most this. */
  static final double GOAL_RATIO = 1.2;

  private static final String ROW = "%-20s | %12s | %12s | %14s | %10s | %10s | %s%n";

  private final Result result;

  QueryReport(Result result) {
    this.result = requireNonNull(result, "result is null");
  }

  @Override
  public void print(PrintStream out) {
    Machine machine = result.machine();
    QueryOptions options = result.options();
    out.println("Icecap benchmark: queries, cold and warm, beside DuckDB on local Parquet");
    out.printf("machine   %s%n", machine.summary());
    out.printf(
        "software  Java %s; DuckDB %s, %d threads%n",
        machine.java(), machine.duckdb(), machine.duckdbThreads());
    out.printf(
        "settings  %,d orders in %d partitions (truncate(%,d, id)), %,d customers; %d repetitions"
            + " (median reported) after %d warm-up%s; seed %d%n",
        options.rows(),
        options.partitions(),
        options.partitionWidth(),
        options.customers(),
        options.repetitions(),
        options.warmups(),
        options.warmups() == 1 ? "" : "s",
        options.seed());
    out.printf(
        "data      orders %.1f MB of Parquet in %d files, customers %.1f MB; warehouse on S3Proxy"
            + " (loopback), objects are local files%n",
        result.orderBytes() / 1e6, result.orderFiles(), result.customerBytes() / 1e6);
    out.printf("schema    orders: %s%n", SyntheticPartition.describe());
    out.println();
    out.printf(
        ROW,
        "query",
        "Icecap cold",
        "Icecap warm",
        "DuckDB local",
        "warm ratio",
        "cold ratio",
        "files fetched cold");
    out.printf(
        ROW,
        "-".repeat(20),
        "-".repeat(12),
        "-".repeat(12),
        "-".repeat(14),
        "-".repeat(10),
        "-".repeat(10),
        "-".repeat(18));
    for (Figures figures : result.queries()) {
      out.printf(
          ROW,
          figures.name(),
          millis(Figures.median(figures.cold())),
          millis(Figures.median(figures.warm())),
          millis(Figures.median(figures.baseline())),
          String.format("%.2f×", warmRatio(figures)),
          String.format("%.2f×", coldRatio(figures)),
          figures.filesFetchedCold());
    }
    out.println();
    out.printf(
        "Goal: warm ≤ %.1f× DuckDB on local files. Met for %d of %d queries.%n",
        GOAL_RATIO,
        result.queries().stream().filter(f -> warmRatio(f) <= GOAL_RATIO).count(),
        result.queries().size());
    for (Figures figures : result.queries()) {
      out.printf("  %-20s %s%n", figures.name() + ":", figures.sql());
    }
  }

  @Override
  public void writeJson(Path file) throws IOException {
    QueryOptions options = result.options();
    try (JsonGenerator json = BenchJson.open(file)) {
      json.writeStartObject();
      json.writeStringField("benchmark", "query");
      json.writeObjectFieldStart("machine");
      BenchJson.machineFields(json, result.machine());
      json.writeEndObject();
      json.writeObjectFieldStart("settings");
      json.writeNumberField("rows", options.rows());
      json.writeNumberField("partitions", options.partitions());
      json.writeNumberField("customers", options.customers());
      json.writeNumberField("repetitions", options.repetitions());
      json.writeNumberField("warmups", options.warmups());
      json.writeNumberField("seed", options.seed());
      json.writeNumberField("order_files", result.orderFiles());
      json.writeNumberField("order_bytes", result.orderBytes());
      json.writeNumberField("customer_bytes", result.customerBytes());
      json.writeEndObject();
      json.writeArrayFieldStart("queries");
      for (Figures figures : result.queries()) {
        json.writeStartObject();
        json.writeStringField("name", figures.name());
        json.writeStringField("sql", figures.sql());
        json.writeNumberField("rows", figures.rows());
        json.writeNumberField("files_fetched_cold", figures.filesFetchedCold());
        BenchJson.nanos(json, "icecap_cold", figures.cold());
        BenchJson.nanos(json, "icecap_warm", figures.warm());
        BenchJson.nanos(json, "duckdb_local", figures.baseline());
        json.writeNumberField("warm_ratio", warmRatio(figures));
        json.writeNumberField("cold_ratio", coldRatio(figures));
        json.writeBooleanField("goal_met", warmRatio(figures) <= GOAL_RATIO);
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    }
  }

  static double warmRatio(Figures figures) {
    return Figures.median(figures.warm()) / (double) Figures.median(figures.baseline());
  }

  static double coldRatio(Figures figures) {
    return Figures.median(figures.cold()) / (double) Figures.median(figures.baseline());
  }

  private static String millis(long nanos) {
    return String.format("%.2f ms", nanos / 1e6);
  }

  @Override
  public List<Figure> figures() {
    List<Figure> figures = new ArrayList<>();
    for (Figures query : result.queries()) {
      double baseline = Figures.median(query.baseline()) / 1e6;
      figures.add(
          Figure.versus(
                  "4 query",
                  query.name() + " warm",
                  "ms",
                  Figures.median(query.warm()) / 1e6,
                  baseline,
                  "DuckDB on local Parquet")
              .withGoal(
                  String.format("<= %.1fx DuckDB", GOAL_RATIO), warmRatio(query) <= GOAL_RATIO));
      figures.add(
          Figure.versus(
              "4 query",
              query.name() + " cold",
              "ms",
              Figures.median(query.cold()) / 1e6,
              baseline,
              "DuckDB on local Parquet"));
    }
    return figures;
  }
}
