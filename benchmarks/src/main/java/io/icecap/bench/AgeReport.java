package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import io.icecap.bench.AgeBenchmark.Result;
import io.icecap.bench.AgeBenchmark.Sample;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A table-age run as a table of its samples and its goals, as JSON and as CSV. */
final class AgeReport implements Bench.Report {
  /** Write time at the end over write time at a tenth of the writes: at most this. */
  static final double GOAL_WRITE_RATIO = 1.2;

  /** Files under the table's location at the end: fewer than this. */
  static final long GOAL_FILES = 500;

  /** Bytes under the table's location beyond its live data at the end: fewer than this. */
  static final long GOAL_BEYOND_LIVE_BYTES = 50_000_000;

  /** Size of the current metadata.json at the end: below this. */
  static final long GOAL_METADATA_JSON_BYTES = 128 * 1024;

  private static final String ROW =
      "%8s | %7s | %9s | %6s | %7s | %7s | %8s | %11s | %8s | %9s | %13s%n";

  private final Result result;

  AgeReport(Result result) {
    this.result = requireNonNull(result, "result is null");
  }

  @Override
  public void print(PrintStream out) {
    Machine machine = result.machine();
    AgeOptions options = result.options();
    out.println(
        "Icecap benchmark: a table as it ages, awaited single-row INSERTs with automatic"
            + " maintenance, against the same table at a tenth of the writes");
    out.printf("machine   %s%n", machine.summary());
    out.printf(
        "software  Java %s; DuckDB %s, %d threads%n",
        machine.java(), machine.duckdb(), machine.duckdbThreads());
    out.printf(
        "settings  %,d awaited single-row INSERTs, a sample every %,d; bucket(%d, id);"
            + " history.expire.max-snapshot-age-ms %,d; seed %d%n",
        options.writes(),
        options.every(),
        options.buckets(),
        options.maxSnapshotAgeMs(),
        options.seed());
    out.printf(
        "set-up    SDK session with one embedded worker (maintenance due checked every 10 s),"
            + " local warehouse, redis-server without persistence; %,d rows at the end%n",
        result.rows());
    out.println();
    out.printf(
        ROW,
        "writes",
        "elapsed",
        "write p50",
        "files",
        "MB",
        "live MB",
        "metadata",
        "versions MB",
        "replicas",
        "snapshots",
        "metadata.json");
    out.printf(
        ROW,
        "-".repeat(8),
        "-".repeat(7),
        "-".repeat(9),
        "-".repeat(6),
        "-".repeat(7),
        "-".repeat(7),
        "-".repeat(8),
        "-".repeat(11),
        "-".repeat(8),
        "-".repeat(9),
        "-".repeat(13));
    for (Sample sample : result.samples()) {
      TableFootprint f = sample.footprint();
      out.printf(
          ROW,
          String.format("%,d", sample.writes()),
          String.format("%.0f s", sample.elapsedNanos() / 1e9),
          String.format("%.1f ms", sample.writeP50Nanos() / 1e6),
          String.format("%,d", f.files()),
          String.format("%.2f", f.bytes() / 1e6),
          String.format("%.2f", f.liveBytes() / 1e6),
          String.format("%,d", f.metadataFiles()),
          String.format("%.2f", f.versionBytes() / 1e6),
          String.format("%,d", f.replicaFiles()),
          String.format("%,d", f.snapshots()),
          String.format("%.1f KiB", f.metadataJsonBytes() / 1024.0));
    }
    out.println(
        "  write p50: the median awaited INSERT of the writes since the previous sample; files, MB:"
            + " everything under the table's location; metadata: files under metadata/; versions"
            + " MB: the metadata.json files among them, the current one and the earlier versions"
            + " kept; replicas: DuckDB replicas");
    out.println();
    Sample last = result.last();
    Sample baseline = result.baseline();
    out.printf(
        "write p50 at %,d / at %,d: %.1f ms / %.1f ms = %.2fx (goal <= %.1fx): %s%n",
        last.writes(),
        baseline.writes(),
        last.writeP50Nanos() / 1e6,
        baseline.writeP50Nanos() / 1e6,
        writeRatio(),
        GOAL_WRITE_RATIO,
        met(writeRatio() <= GOAL_WRITE_RATIO));
    out.printf(
        "files at the end: %,d (goal < %d): %s%n",
        last.footprint().files(), GOAL_FILES, met(last.footprint().files() < GOAL_FILES));
    out.printf(
        "bytes beyond live data at the end: %.2f MB (goal < %d MB): %s%n",
        last.footprint().beyondLive() / 1e6,
        GOAL_BEYOND_LIVE_BYTES / 1_000_000,
        met(last.footprint().beyondLive() < GOAL_BEYOND_LIVE_BYTES));
    out.printf(
        "metadata.json at the end: %.1f KiB, %,d snapshots (goal < %d KiB): %s%n",
        last.footprint().metadataJsonBytes() / 1024.0,
        last.footprint().snapshots(),
        GOAL_METADATA_JSON_BYTES / 1024,
        met(last.footprint().metadataJsonBytes() < GOAL_METADATA_JSON_BYTES));
  }

  double writeRatio() {
    return result.last().writeP50Nanos() / (double) result.baseline().writeP50Nanos();
  }

  private static String met(boolean met) {
    return met ? "met" : "NOT met";
  }

  @Override
  public void writeJson(Path file) throws IOException {
    AgeOptions options = result.options();
    try (JsonGenerator json = BenchJson.open(file)) {
      json.writeStartObject();
      json.writeStringField("benchmark", "age");
      json.writeObjectFieldStart("machine");
      BenchJson.machineFields(json, result.machine());
      json.writeEndObject();
      json.writeObjectFieldStart("settings");
      json.writeNumberField("writes", options.writes());
      json.writeNumberField("every", options.every());
      json.writeNumberField("max_snapshot_age_ms", options.maxSnapshotAgeMs());
      json.writeNumberField("buckets", options.buckets());
      json.writeNumberField("seed", options.seed());
      json.writeNumberField("baseline_write", options.baselineWrite());
      json.writeEndObject();
      json.writeNumberField("rows", result.rows());
      json.writeArrayFieldStart("samples");
      for (Sample sample : result.samples()) {
        TableFootprint f = sample.footprint();
        json.writeStartObject();
        json.writeNumberField("writes", sample.writes());
        json.writeNumberField("elapsed_nanos", sample.elapsedNanos());
        json.writeNumberField("write_p50_nanos", sample.writeP50Nanos());
        json.writeNumberField("write_max_nanos", sample.writeMaxNanos());
        json.writeNumberField("files", f.files());
        json.writeNumberField("bytes", f.bytes());
        json.writeNumberField("metadata_files", f.metadataFiles());
        json.writeNumberField("metadata_bytes", f.metadataBytes());
        json.writeNumberField("metadata_json_files", f.versionFiles());
        json.writeNumberField("metadata_json_all_bytes", f.versionBytes());
        json.writeNumberField("replica_files", f.replicaFiles());
        json.writeNumberField("replica_bytes", f.replicaBytes());
        json.writeNumberField("staged_files", f.stagedFiles());
        json.writeNumberField("staged_bytes", f.stagedBytes());
        json.writeNumberField("snapshots", f.snapshots());
        json.writeNumberField("metadata_json_bytes", f.metadataJsonBytes());
        json.writeNumberField("live_files", f.liveFiles());
        json.writeNumberField("live_bytes", f.liveBytes());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeObjectFieldStart("goals");
      json.writeNumberField("write_ratio", writeRatio());
      json.writeBooleanField("write_ratio_met", writeRatio() <= GOAL_WRITE_RATIO);
      TableFootprint last = result.last().footprint();
      json.writeBooleanField("files_met", last.files() < GOAL_FILES);
      json.writeBooleanField("beyond_live_met", last.beyondLive() < GOAL_BEYOND_LIVE_BYTES);
      json.writeBooleanField(
          "metadata_json_met", last.metadataJsonBytes() < GOAL_METADATA_JSON_BYTES);
      json.writeEndObject();
      json.writeEndObject();
    }
  }

  /** Writes the samples as CSV, one line each after a header line. */
  void writeCsv(Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add(
        "writes,elapsed_s,write_p50_ms,write_max_ms,files,bytes,metadata_files,metadata_bytes,"
            + "metadata_json_files,metadata_json_all_bytes,replica_files,replica_bytes,staged_files,staged_bytes,snapshots,"
            + "metadata_json_bytes,live_files,live_bytes");
    for (Sample sample : result.samples()) {
      TableFootprint f = sample.footprint();
      lines.add(
          String.format(
              Locale.ROOT,
              "%d,%.3f,%.3f,%.3f,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d",
              sample.writes(),
              sample.elapsedNanos() / 1e9,
              sample.writeP50Nanos() / 1e6,
              sample.writeMaxNanos() / 1e6,
              f.files(),
              f.bytes(),
              f.metadataFiles(),
              f.metadataBytes(),
              f.versionFiles(),
              f.versionBytes(),
              f.replicaFiles(),
              f.replicaBytes(),
              f.stagedFiles(),
              f.stagedBytes(),
              f.snapshots(),
              f.metadataJsonBytes(),
              f.liveFiles(),
              f.liveBytes()));
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.write(file, lines, StandardCharsets.UTF_8);
  }

  @Override
  public List<Figure> figures() {
    Sample last = result.last();
    Sample baseline = result.baseline();
    TableFootprint end = last.footprint();
    return List.of(
        Figure.versus(
                "table age",
                String.format("write p50 at %,d", last.writes()),
                "ms",
                last.writeP50Nanos() / 1e6,
                baseline.writeP50Nanos() / 1e6,
                String.format("same table at %,d", baseline.writes()))
            .withGoal(
                String.format("<= %.1fx at N/10", GOAL_WRITE_RATIO),
                writeRatio() <= GOAL_WRITE_RATIO),
        Figure.of("table age", "files at the end", "files", end.files())
            .withGoal("< " + GOAL_FILES, end.files() < GOAL_FILES),
        Figure.of("table age", "bytes beyond live data", "MB", end.beyondLive() / 1e6)
            .withGoal(
                String.format("< %d MB", GOAL_BEYOND_LIVE_BYTES / 1_000_000),
                end.beyondLive() < GOAL_BEYOND_LIVE_BYTES),
        Figure.of("table age", "metadata.json", "KiB", end.metadataJsonBytes() / 1024.0)
            .withGoal(
                String.format("< %d KiB", GOAL_METADATA_JSON_BYTES / 1024),
                end.metadataJsonBytes() < GOAL_METADATA_JSON_BYTES));
  }
}
