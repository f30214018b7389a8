package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import io.icecap.bench.ApplyCheck.Verification;
import io.icecap.bench.ApplyResult.Repeated;
import io.icecap.bench.ApplyResult.Run;
import io.icecap.bench.ApplyScenario.Round;
import io.icecap.bench.CheckpointParts.Parts;
import io.icecap.bench.CopyOnWriteBaseline.Result;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An apply run as JSON: the settings, the median figures, and every repetition's step times, sizes
 * and checks, and the goal.
 */
final class ApplyJson {
  private final ApplyResult result;

  ApplyJson(ApplyResult result) {
    this.result = requireNonNull(result, "result is null");
  }

  /** Writes the run to {@code file}, creating its directory. */
  void write(Path file) throws IOException {
    ApplyOptions options = result.options();
    try (JsonGenerator json = BenchJson.open(file)) {
      json.writeStartObject();
      json.writeStringField("benchmark", "apply");
      json.writeObjectFieldStart("machine");
      BenchJson.machineFields(json, result.machine());
      json.writeEndObject();
      json.writeObjectFieldStart("settings");
      json.writeNumberField("rows", options.rows());
      json.writeNumberField("partitions", options.partitions());
      json.writeNumberField("updates", options.updates());
      json.writeNumberField("block", options.block());
      json.writeArrayFieldStart("curve_rows");
      for (long size : options.curveRows()) {
        json.writeNumber(size);
      }
      json.writeEndArray();
      json.writeNumberField("curve_updates", options.curveUpdates());
      json.writeNumberField("repeat", options.repeat());
      json.writeNumberField("seed", options.seed());
      json.writeStringField("table", ApplyWorkload.describe());
      json.writeEndObject();
      json.writeFieldName("scenario_3");
      writeRepeated(json, result.table());
      json.writeObjectFieldStart("goal");
      json.writeStringField("measure", "apply in place");
      json.writeStringField("goal", ApplyReport.goal());
      json.writeNumberField("rows_per_second", result.table().inPlaceRate());
      json.writeBooleanField("met", ApplyReport.inPlaceMet(result.table()));
      json.writeEndObject();
      json.writeArrayFieldStart("scenario_5");
      for (Repeated point : result.curve()) {
        writeRepeated(json, point);
      }
      json.writeEndArray();
      json.writeEndObject();
    }
  }

  /**
   * Writes one table's repetitions: the median figures, every repetition's times per figure, and
   * every repetition in full under {@code runs}.
   */
  private static void writeRepeated(JsonGenerator json, Repeated repeated) throws IOException {
    json.writeStartObject();
    json.writeNumberField("rows", repeated.first().rows());
    json.writeNumberField("partitions", repeated.first().partitions());
    json.writeNumberField("updates", repeated.first().updates());
    json.writeNumberField("repetitions", repeated.count());
    json.writeNumberField("in_place_rows_per_second", repeated.inPlaceRate());
    json.writeNumberField("rows_per_second", repeated.icecapRate());
    json.writeNumberField("copy_on_write_rows_per_second", repeated.copyOnWriteRate());
    json.writeNumberField("time_ratio", repeated.timeRatio());
    BenchJson.nanos(json, "in_place", repeated.inPlaceNanos());
    BenchJson.nanos(json, "icecap", repeated.icecapNanos());
    BenchJson.nanos(json, "copy_on_write", repeated.copyOnWriteNanos());
    json.writeBooleanField("verified", repeated.verified());
    json.writeArrayFieldStart("runs");
    for (Run run : repeated.runs()) {
      writeRun(json, run);
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  private static void writeRun(JsonGenerator json, Run run) throws IOException {
    json.writeStartObject();
    json.writeStringField("table", run.table());
    json.writeNumberField("rows", run.rows());
    json.writeNumberField("partitions", run.partitions());
    json.writeNumberField("updates", run.updates());
    json.writeNumberField("parquet_bytes", run.parquetBytes());
    json.writeNumberField("load_seconds", run.loadNanos() / 1e9);
    json.writeNumberField("submit_seconds", run.submitNanos() / 1e9);
    writeRound(json, "cold_round", run.cold());
    json.writeObjectFieldStart("icecap");
    writeRoundFields(json, run.icecap());
    json.writeNumberField("in_place_rows_per_second", run.inPlaceRate());
    json.writeNumberField("rows_per_second", run.icecapRate());
    json.writeNumberField("replica_partitions", run.replicas().partitions());
    json.writeNumberField("replica_rows", run.replicas().rows());
    json.writeNumberField("duckdb_bytes", run.replicas().duckdbBytes());
    json.writeNumberField("parquet_written_bytes", run.writtenParquetBytes());
    json.writeObjectFieldStart("results");
    json.writeNumberField("expected", run.results().expected());
    json.writeNumberField("ok", run.results().ok());
    json.writeEndObject();
    writeCheck(json, run.icecapCheck());
    if (run.parts() != null) {
      Parts parts = run.parts();
      json.writeObjectFieldStart("checkpoint_parts");
      json.writeNumberField("fetch_seconds", parts.fetchNanos() / 1e9);
      json.writeNumberField("export_seconds", parts.exportNanos() / 1e9);
      json.writeNumberField("upload_duckdb_seconds", parts.uploadNanos() / 1e9);
      json.writeNumberField("duckdb_bytes", parts.duckdbBytes());
      json.writeNumberField("parquet_bytes", parts.parquetBytes());
      json.writeNumberField("export_threads", parts.threads());
      json.writeEndObject();
    }
    json.writeEndObject();
    Result cow = run.copyOnWrite();
    json.writeObjectFieldStart("copy_on_write");
    json.writeNumberField("seconds", cow.nanos() / 1e9);
    json.writeNumberField("rewrite_seconds", cow.rewriteNanos() / 1e9);
    json.writeNumberField("commit_seconds", cow.commitNanos() / 1e9);
    json.writeNumberField("rows_per_second", run.copyOnWriteRate());
    json.writeNumberField("partitions", cow.partitions());
    json.writeNumberField("files_read", cow.filesRead());
    json.writeNumberField("bytes_read", cow.bytesRead());
    json.writeNumberField("files_written", cow.filesWritten());
    json.writeNumberField("bytes_written", cow.bytesWritten());
    json.writeNumberField("rows", cow.rows());
    json.writeNumberField("threads", cow.threads());
    writeCheck(json, run.copyOnWriteCheck());
    json.writeEndObject();
    json.writeNumberField("time_ratio", run.timeRatio());
    json.writeBooleanField("verified", run.verified());
    json.writeEndObject();
  }

  private static void writeRound(JsonGenerator json, String name, Round round) throws IOException {
    json.writeObjectFieldStart(name);
    writeRoundFields(json, round);
    json.writeEndObject();
  }

  private static void writeRoundFields(JsonGenerator json, Round round) throws IOException {
    json.writeNumberField("seconds", round.nanos() / 1e9);
    json.writeNumberField("plan_seconds", round.planNanos() / 1e9);
    json.writeNumberField("apply_seconds", round.applyNanos() / 1e9);
    json.writeNumberField("write_replicas_seconds", round.writeNanos() / 1e9);
    json.writeNumberField("commit_seconds", round.commitNanos() / 1e9);
    json.writeNumberField("checkpoint_seconds", round.checkpointNanos() / 1e9);
    json.writeNumberField("checkpoints", round.checkpoints());
    json.writeBooleanField("pending_after", round.pending());
  }

  private static void writeCheck(JsonGenerator json, Verification check) throws IOException {
    json.writeObjectFieldStart("check");
    json.writeNumberField("rows_before", check.rowsBefore());
    json.writeNumberField("rows_after", check.rowsAfter());
    json.writeNumberField("qty_added", check.qtyAdded());
    json.writeNumberField("qty_observed", check.qtyObserved());
    json.writeNumberField("keys", check.keys());
    json.writeNumberField("wrong_keys", check.wrongKeys());
    json.writeBooleanField("ok", check.ok());
    json.writeEndObject();
  }
}
