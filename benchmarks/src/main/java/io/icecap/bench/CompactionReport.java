package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import io.icecap.bench.CompactionBenchmark.Result;
import io.icecap.bench.CompactionBenchmark.Side;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A compaction run as one table for people, and as JSON for tools. */
final class CompactionReport implements Bench.Report {
  private static final String ROW = "%-24s | %10s | %12s | %10s | %11s | %10s | %10s | %16s | %s%n";

  private final Result result;

  CompactionReport(Result result) {
    this.result = requireNonNull(result, "result is null");
  }

  @Override
  public void print(PrintStream out) {
    Machine machine = result.machine();
    CompactionOptions options = result.options();
    out.println(
        "Icecap benchmark: compaction of many small files, beside a rewrite by hand with the"
            + " Iceberg Java API");
    out.printf("machine   %s%n", machine.summary());
    out.printf(
        "software  Java %s; DuckDB %s, %d threads%n",
        machine.java(), machine.duckdb(), machine.duckdbThreads());
    out.printf(
        "settings  %,d appends of %,d rows into %d partitions (identity part = id %% %d),"
            + " write.target-file-size-bytes %,d; seed %d%n",
        options.appends(),
        options.rowsPerAppend(),
        options.partitions(),
        options.partitions(),
        options.targetFileSizeBytes(),
        options.seed());
    out.printf(
        "data      %d identical tables of %,d rows, each loaded with Iceberg's generic writer, one"
            + " commit per append (%.1f s for all); local warehouse, Redis catalog%n",
        result.sides().size(), result.expected().rows(), result.loadNanos() / 1e9);
    out.println();
    out.printf(
        ROW,
        "compacted by",
        "time",
        "files before",
        "MB before",
        "files after",
        "MB after",
        "partitions",
        "written",
        "rows after");
    out.printf(
        ROW,
        "-".repeat(24),
        "-".repeat(10),
        "-".repeat(12),
        "-".repeat(10),
        "-".repeat(11),
        "-".repeat(10),
        "-".repeat(10),
        "-".repeat(16),
        "-".repeat(10));
    for (Side side : result.sides()) {
      out.printf(
          ROW,
          side.name(),
          String.format("%.2f s", side.nanos() / 1e9),
          String.format("%,d", side.filesBefore()),
          String.format("%.1f", side.bytesBefore() / 1e6),
          String.format("%,d", side.filesAfter()),
          String.format("%.1f", side.bytesAfter() / 1e6),
          side.partitions() < 0 ? "-" : String.format("%,d", side.partitions()),
          written(side),
          String.format("%,d", side.digest().rows()));
    }
    out.println();
    out.printf(
        "time Icecap / Iceberg Java API: %.2fx.%s Every table holds the %,d rows it held before"
            + " (checksum %016x).%n",
        ratio(),
        result.others().stream()
            .map(
                side ->
                    String.format(
                        " Icecap / %s: %.2fx.",
                        side.name(), result.icecap().nanos() / (double) side.nanos()))
            .collect(java.util.stream.Collectors.joining()),
        result.expected().rows(),
        result.expected().checksum());
    out.println(
        "  time: from the start of the compaction to its commit (Icecap: TableMaintenance with"
            + " COMPACT, its worker's jobs in DuckDB; Iceberg: read every partition with"
            + " IcebergGenerics, write with GenericAppenderFactory, one RewriteFiles commit);"
            + " files and MB: the data files of the current snapshot; written: the data files the"
            + " compaction says it wrote (Icecap also writes each partition's DuckDB replica, not"
            + " counted here)");
  }

  private static String written(Side side) {
    if (side.filesWritten() < 0) {
      return "-";
    }
    return side.bytesWritten() < 0
        ? String.format("%,d files", side.filesWritten())
        : String.format("%,d, %.1f MB", side.filesWritten(), side.bytesWritten() / 1e6);
  }

  double ratio() {
    return result.icecap().nanos() / (double) result.iceberg().nanos();
  }

  @Override
  public void writeJson(Path file) throws IOException {
    CompactionOptions options = result.options();
    try (JsonGenerator json = BenchJson.open(file)) {
      json.writeStartObject();
      json.writeStringField("benchmark", "compaction");
      json.writeObjectFieldStart("machine");
      BenchJson.machineFields(json, result.machine());
      json.writeEndObject();
      json.writeObjectFieldStart("settings");
      json.writeNumberField("appends", options.appends());
      json.writeNumberField("rows_per_append", options.rowsPerAppend());
      json.writeNumberField("partitions", options.partitions());
      json.writeNumberField("target_file_size_bytes", options.targetFileSizeBytes());
      json.writeNumberField("seed", options.seed());
      json.writeEndObject();
      json.writeNumberField("load_nanos", result.loadNanos());
      json.writeNumberField("rows", result.expected().rows());
      json.writeStringField("checksum", String.format("%016x", result.expected().checksum()));
      json.writeArrayFieldStart("sides");
      for (Side side : result.sides()) {
        json.writeStartObject();
        json.writeStringField("name", side.name());
        json.writeNumberField("nanos", side.nanos());
        json.writeNumberField("files_before", side.filesBefore());
        json.writeNumberField("bytes_before", side.bytesBefore());
        json.writeNumberField("files_after", side.filesAfter());
        json.writeNumberField("bytes_after", side.bytesAfter());
        json.writeNumberField("partitions", side.partitions());
        json.writeNumberField("files_written", side.filesWritten());
        json.writeNumberField("bytes_written", side.bytesWritten());
        json.writeNumberField("rows_after", side.digest().rows());
        json.writeStringField("checksum_after", String.format("%016x", side.digest().checksum()));
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeNumberField("ratio", ratio());
      json.writeEndObject();
    }
  }

  @Override
  public List<Figure> figures() {
    Side icecap = result.icecap();
    Side iceberg = result.iceberg();
    List<Figure> figures = new ArrayList<>();
    figures.add(
        Figure.versus(
            "compaction",
            String.format("compact %,d small files", icecap.filesBefore()),
            "s",
            icecap.nanos() / 1e9,
            iceberg.nanos() / 1e9,
            "Iceberg API rewrite by hand"));
    figures.add(
        Figure.versus(
            "compaction",
            "data files after",
            "files",
            icecap.filesAfter(),
            iceberg.filesAfter(),
            "Iceberg API rewrite by hand"));
    for (Side other : result.others()) {
      figures.add(
          Figure.versus(
              "compaction",
              String.format("compact %,d small files", icecap.filesBefore()),
              "s",
              icecap.nanos() / 1e9,
              other.nanos() / 1e9,
              other.name()));
      figures.add(
          Figure.versus(
              "compaction",
              "data files after",
              "files",
              icecap.filesAfter(),
              other.filesAfter(),
              other.name()));
    }
    return figures;
  }
}
