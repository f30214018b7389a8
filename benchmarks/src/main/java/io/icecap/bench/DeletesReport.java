package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import io.icecap.bench.DeletesBenchmark.Figures;
import io.icecap.bench.DeletesBenchmark.Result;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A deletes run as one table for people, and as JSON for tools. */
final class DeletesReport implements Bench.Report {
  /** Warm Icecap over DuckDB with the same deletes applied by hand: the goal is at most this. */
  static final double GOAL_RATIO = 1.3;

  private static final String ROW = "%-20s | %12s | %14s | %10s | %s%n";

  private final Result result;

  DeletesReport(Result result) {
    this.result = requireNonNull(result, "result is null");
  }

  @Override
  public void print(PrintStream out) {
    Machine machine = result.machine();
    DeletesOptions options = result.options();
    out.println(
        "Icecap benchmark: warm queries on a table with row-level deletes, beside DuckDB with the"
            + " same deletes applied by hand");
    out.printf("machine   %s%n", machine.summary());
    out.printf(
        "software  Java %s; DuckDB %s, %d threads%n",
        machine.java(), machine.duckdb(), machine.duckdbThreads());
    out.printf(
        "settings  %,d orders in %d partitions, one row in %d deleted by position, %,d ids by"
            + " equality; %d repetitions (median reported) after %d warm-up%s; seed %d%n",
        options.rows(),
        options.partitions(),
        options.positionEvery(),
        options.equalityDeletes(),
        options.repetitions(),
        options.warmups(),
        options.warmups() == 1 ? "" : "s",
        options.seed());
    out.printf(
        "data      %.1f MB of Parquet in %d data files; %,d positions in %d position delete files,"
            + " %,d ids in %d equality delete files; a local warehouse read in place by both%n",
        result.dataBytes() / 1e6,
        result.dataFiles(),
        result.positionDeletes(),
        result.positionFiles(),
        result.equalityDeletes(),
        result.equalityFiles());
    out.println();
    out.printf(ROW, "query", "Icecap warm", "DuckDB by hand", "ratio", "rows");
    out.printf(ROW, "-".repeat(20), "-".repeat(12), "-".repeat(14), "-".repeat(10), "-".repeat(6));
    for (Figures figures : result.queries()) {
      out.printf(
          ROW,
          figures.name(),
          millis(Figures.median(figures.icecap())),
          millis(Figures.median(figures.baseline())),
          String.format("%.2f×", ratio(figures)),
          figures.rows());
    }
    out.println();
    out.printf(
        "Goal: warm ≤ %.1f× DuckDB with the deletes applied by hand. Met for %d of %d queries.%n",
        GOAL_RATIO,
        result.queries().stream().filter(f -> ratio(f) <= GOAL_RATIO).count(),
        result.queries().size());
    for (Figures figures : result.queries()) {
      out.printf("  %-20s %s%n", figures.name() + ":", figures.sql());
    }
  }

  @Override
  public void writeJson(Path file) throws IOException {
    DeletesOptions options = result.options();
    try (JsonGenerator json = BenchJson.open(file)) {
      json.writeStartObject();
      json.writeStringField("benchmark", "deletes");
      json.writeObjectFieldStart("machine");
      BenchJson.machineFields(json, result.machine());
      json.writeEndObject();
      json.writeObjectFieldStart("settings");
      json.writeNumberField("rows", options.rows());
      json.writeNumberField("partitions", options.partitions());
      json.writeNumberField("position_every", options.positionEvery());
      json.writeNumberField("equality_deletes", options.equalityDeletes());
      json.writeNumberField("repetitions", options.repetitions());
      json.writeNumberField("warmups", options.warmups());
      json.writeNumberField("seed", options.seed());
      json.writeNumberField("data_files", result.dataFiles());
      json.writeNumberField("data_bytes", result.dataBytes());
      json.writeNumberField("position_deletes", result.positionDeletes());
      json.writeNumberField("position_files", result.positionFiles());
      json.writeNumberField("equality_files", result.equalityFiles());
      json.writeEndObject();
      json.writeArrayFieldStart("queries");
      for (Figures figures : result.queries()) {
        json.writeStartObject();
        json.writeStringField("name", figures.name());
        json.writeStringField("sql", figures.sql());
        json.writeNumberField("rows", figures.rows());
        BenchJson.nanos(json, "icecap_warm", figures.icecap());
        BenchJson.nanos(json, "duckdb_by_hand", figures.baseline());
        json.writeNumberField("ratio", ratio(figures));
        json.writeBooleanField("goal_met", ratio(figures) <= GOAL_RATIO);
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    }
  }

  static double ratio(Figures figures) {
    return Figures.median(figures.icecap()) / (double) Figures.median(figures.baseline());
  }

  private static String millis(long nanos) {
    return String.format("%.2f ms", nanos / 1e6);
  }

  @Override
  public List<Figure> figures() {
    List<Figure> figures = new ArrayList<>();
    for (Figures query : result.queries()) {
      figures.add(
          Figure.versus(
                  "4 deletes",
                  query.name() + " warm",
                  "ms",
                  Figures.median(query.icecap()) / 1e6,
                  Figures.median(query.baseline()) / 1e6,
                  "DuckDB, deletes by hand")
              .withGoal(String.format("<= %.1fx DuckDB", GOAL_RATIO), ratio(query) <= GOAL_RATIO));
    }
    return figures;
  }
}
