package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import io.icecap.bench.ReplicationResult.Scenario;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** A replication run as one table for people, and as JSON for tools. */
final class ReplicationReport implements Bench.Report {
  /** The replication overhead the project aims to stay under. */
  static final double GOAL_RATIO = 1.3;

  private static final String ROW = "%-34s | %-38s | %-38s | %s%n";

  private final ReplicationResult result;

  ReplicationReport(ReplicationResult result) {
    this.result = requireNonNull(result, "result is null");
  }

  /** Prints the header (machine, settings, data) and the table of scenarios. */
  @Override
  public void print(PrintStream out) {
    Machine machine = result.machine();
    ReplicationOptions options = result.options();
    out.println("Icecap benchmark: format replication");
    out.printf("machine   %s%n", machine.summary());
    out.printf(
        "software  Java %s; DuckDB %s, %d threads%n",
        machine.java(), machine.duckdb(), machine.duckdbThreads());
    out.printf(
        "settings  rows %,d, repetitions %d (median reported) after %d warm-up%s, seed %d%n",
        options.rows(),
        options.repetitions(),
        options.warmups(),
        options.warmups() == 1 ? "" : "s",
        options.seed());
    out.printf(
        "data      DuckDB file %.1f MB; Parquet %.1f MB in %d file%s (Icecap), %.1f MB"
            + " (baseline)%n",
        result.sourceBytes() / 1e6,
        result.export().icecap().bytes() / 1e6,
        result.icecapFiles(),
        result.icecapFiles() == 1 ? "" : "s",
        result.export().baseline().bytes() / 1e6);
    out.printf("schema    %s%n", SyntheticPartition.describe());
    out.println();
    out.printf(ROW, "scenario", "Icecap", "baseline (raw DuckDB)", "ratio");
    out.printf(ROW, "-".repeat(34), "-".repeat(38), "-".repeat(38), "-----");
    for (Scenario scenario : scenarios()) {
      out.printf(
          ROW,
          scenario.name(),
          cell(scenario.icecap()),
          cell(scenario.baseline()),
          String.format("%.2fx", scenario.ratio()));
    }
    out.println();
    out.printf(
        "ratio   Icecap's median wall time / the baseline's: the replication overhead (goal <="
            + " %.2fx)%n",
        GOAL_RATIO);
    out.println(
        String.join(
            System.lineSeparator(),
            "export  Icecap: ParquetReplicaWriter.write = COPY with FIELD_IDS to a staging"
                + " directory, metrics read",
            "        back with iceberg-parquet, into the warehouse through the table's FileIO (here:"
                + " fsync + hard link).",
            "        Baseline: COPY (SELECT ...) TO one local file (FORMAT PARQUET, COMPRESSION"
                + " zstd).",
            "import  Icecap: PartitionImporter.importPartition of the committed snapshot = scan"
                + " planning, file checks,",
            "        read_parquet by field id (local files in place) into a new DuckDB file,"
                + " CHECKPOINT; then close.",
            "        Baseline: CREATE TABLE AS SELECT * FROM read_parquet(the same files) in a new"
                + " DuckDB file; close.",
            "MB      10^6 bytes of Parquet written (export) or read (import). Read ratios within"
                + " one run: absolute",
            "        times on a small or shared machine are noisy."));
  }

  /** Writes the run as JSON, every repetition's time included. */
  @Override
  public void writeJson(Path file) throws IOException {
    Machine machine = result.machine();
    ReplicationOptions options = result.options();
    try (JsonGenerator json = BenchJson.open(file)) {
      json.writeStartObject();
      json.writeStringField("benchmark", "replication");
      json.writeObjectFieldStart("machine");
      BenchJson.machineFields(json, machine);
      json.writeNumberField("duckdb_threads", machine.duckdbThreads());
      json.writeEndObject();
      json.writeObjectFieldStart("settings");
      json.writeNumberField("rows", options.rows());
      json.writeNumberField("repetitions", options.repetitions());
      json.writeNumberField("warmups", options.warmups());
      json.writeNumberField("seed", options.seed());
      json.writeEndObject();
      json.writeObjectFieldStart("data");
      json.writeStringField("schema", SyntheticPartition.describe());
      json.writeNumberField("duckdb_file_bytes", result.sourceBytes());
      json.writeNumberField("icecap_parquet_files", result.icecapFiles());
      json.writeEndObject();
      json.writeNumberField("goal_ratio", GOAL_RATIO);
      json.writeArrayFieldStart("scenarios");
      for (Scenario scenario : scenarios()) {
        json.writeStartObject();
        json.writeStringField("name", scenario.name());
        json.writeNumberField("ratio", scenario.ratio());
        writeMeasurement(json, "icecap", scenario.icecap());
        writeMeasurement(json, "baseline", scenario.baseline());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    }
  }

  private List<Scenario> scenarios() {
    return List.of(result.export(), result.importing());
  }

  private static String cell(Measurement measurement) {
    return String.format(
        "%7.3f s %6.2f M rows/s %7.1f MB/s",
        measurement.medianSeconds(),
        measurement.rowsPerSecond() / 1e6,
        measurement.megabytesPerSecond());
  }

  private static void writeMeasurement(JsonGenerator json, String name, Measurement measurement)
      throws IOException {
    json.writeObjectFieldStart(name);
    json.writeNumberField("median_seconds", measurement.medianSeconds());
    json.writeArrayFieldStart("seconds");
    for (double seconds : measurement.seconds()) {
      json.writeNumber(seconds);
    }
    json.writeEndArray();
    json.writeNumberField("rows", measurement.rows());
    json.writeNumberField("parquet_bytes", measurement.bytes());
    json.writeNumberField("rows_per_second", measurement.rowsPerSecond());
    json.writeNumberField("megabytes_per_second", measurement.megabytesPerSecond());
    json.writeEndObject();
  }

  @Override
  public List<Figure> figures() {
    return scenarios().stream()
        .map(
            scenario ->
                Figure.versus(
                        "replication",
                        scenario.name(),
                        "s",
                        scenario.icecap().medianSeconds(),
                        scenario.baseline().medianSeconds(),
                        "raw DuckDB")
                    .withGoal(
                        String.format("<= %.1fx raw DuckDB", GOAL_RATIO),
                        scenario.ratio() <= GOAL_RATIO))
        .toList();
  }
}
