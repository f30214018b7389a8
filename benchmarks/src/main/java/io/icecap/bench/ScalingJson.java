package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import io.icecap.bench.ScalingResult.Backlog;
import io.icecap.bench.ScalingResult.Run;
import io.icecap.bench.ScalingResult.Share;
import io.icecap.bench.ScalingResult.WorkerCount;
import io.icecap.bench.WriteLedger.Verification;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A scaling benchmark run as JSON: per worker count the median figures, and every repetition with
 * every figure of the table and the notes.
 */
final class ScalingJson {
  private final ScalingResult result;
  private final ScalingReport report;

  ScalingJson(ScalingResult result, ScalingReport report) {
    this.result = requireNonNull(result, "result is null");
    this.report = requireNonNull(report, "report is null");
  }

  /** Writes the run to {@code file}, creating its directory. */
  void write(Path file) throws IOException {
    ScalingOptions options = result.options();
    try (JsonGenerator json = BenchJson.open(file)) {
      json.writeStartObject();
      json.writeStringField("benchmark", "scaling");
      json.writeObjectFieldStart("machine");
      BenchJson.machineFields(json, result.machine());
      json.writeObjectFieldStart("redis");
      for (Map.Entry<String, String> setting : result.redis().entrySet()) {
        json.writeStringField(setting.getKey(), setting.getValue());
      }
      json.writeEndObject();
      json.writeEndObject();

      json.writeObjectFieldStart("settings");
      json.writeArrayFieldStart("workers");
      for (int count : options.workers()) {
        json.writeNumber(count);
      }
      json.writeEndArray();
      json.writeNumberField("tables", options.tables());
      json.writeNumberField("partitions_per_table", WriteWorkload.PARTITIONS);
      json.writeNumberField("clients", options.clients());
      json.writeNumberField("rate", options.rate());
      json.writeNumberField("seconds", options.seconds());
      json.writeNumberField("warmup_seconds", options.warmupSeconds());
      json.writeNumberField("backlog", options.backlog());
      json.writeNumberField("table_rows", options.tableRows());
      json.writeNumberField("worker_threads", options.workerThreads());
      json.writeNumberField("repeat", options.repeat());
      json.writeNumberField("seed", options.seed());
      json.writeNumberField("debounce_millis", result.debounceMillis());
      json.writeNumberField("sweep_stale_millis", ScalingBenchmark.SWEEP_STALE.toMillis());
      json.writeStringField("table", WriteWorkload.describe());
      json.writeEndObject();

      json.writeArrayFieldStart("worker_counts");
      for (WorkerCount count : result.counts()) {
        writeCount(json, count);
      }
      json.writeEndArray();
      json.writeEndObject();
    }
  }

  /**
   * Writes one worker count: its median figures, every repetition's time per figure, and every
   * repetition in full under {@code runs}.
   */
  private void writeCount(JsonGenerator json, WorkerCount count) throws IOException {
    json.writeStartObject();
    json.writeNumberField("workers", count.workers());
    json.writeNumberField("repetitions", count.repetitions());
    json.writeNumberField("applied_per_second", count.appliedPerSecond());
    json.writeNumberField("speedup", report.speedUp(count));
    if (!Double.isNaN(count.freshnessP99Millis())) {
      json.writeNumberField("freshness_p99_ms", count.freshnessP99Millis());
    }
    BenchJson.nanos(json, "backlog_drain", count.drainNanos());
    BenchJson.nanos(json, "freshness_p99", count.freshnessP99Nanos());
    json.writeBooleanField("verified", count.verified());
    json.writeArrayFieldStart("runs");
    for (Run run : count.runs()) {
      writeRun(json, run);
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  private void writeRun(JsonGenerator json, Run run) throws IOException {
    json.writeStartObject();
    json.writeNumberField("workers", run.workers());
    json.writeNumberField("fleet_start_seconds", run.fleetStartNanos() / 1e9);
    json.writeNumberField("seed_seconds", run.seedNanos() / 1e9);
    json.writeBooleanField("verified", run.verified());

    Backlog backlog = run.backlog();
    json.writeObjectFieldStart("backlog");
    json.writeNumberField("writes", backlog.writes());
    json.writeNumberField("submit_seconds", backlog.submitNanos() / 1e9);
    json.writeNumberField("acknowledged_per_second", backlog.acknowledgedPerSecond());
    WriteJson.writeLatencies(json, "ack", backlog.acks());
    if (backlog.visible()) {
      json.writeNumberField("drain_seconds", backlog.drainNanos() / 1e9);
      json.writeNumberField("applied_per_second", backlog.appliedPerSecond());
      json.writeNumberField("speedup", report.speedUp(backlog.appliedPerSecond()));
    }
    json.writeNumberField("snapshots", backlog.snapshots());
    json.writeNumberField("snapshots_while_buffering", backlog.snapshotsWhileBuffering());
    writeShares(json, backlog.shares());
    WriteJson.writeTally(json, backlog.results());
    json.writeEndObject();

    json.writeFieldName("freshness");
    WriteJson.writeFreshness(json, run.freshness());
    json.writeFieldName("freshness_by_worker");
    json.writeStartObject();
    writeShareFields(json, run.freshnessShares());
    json.writeEndObject();

    Verification verification = run.verification();
    json.writeObjectFieldStart("read_back");
    json.writeNumberField("tables", verification.tables());
    json.writeNumberField("expected_rows", verification.expectedRows());
    json.writeNumberField("rows_read", verification.rowsRead());
    json.writeNumberField("missing", verification.missing());
    json.writeNumberField("duplicates", verification.duplicates());
    json.writeNumberField("wrong", verification.wrong());
    json.writeNumberField("unexpected", verification.unexpected());
    if (verification.firstProblem() != null) {
      json.writeStringField("first_problem", verification.firstProblem());
    }
    json.writeEndObject();
    if (!run.exited().isEmpty()) {
      json.writeArrayFieldStart("exited");
      for (String exited : run.exited()) {
        json.writeString(exited);
      }
      json.writeEndArray();
    }
    json.writeEndObject();
  }

  private static void writeShares(JsonGenerator json, Map<String, Share> shares)
      throws IOException {
    json.writeObjectFieldStart("by_worker");
    writeShareFields(json, shares);
    json.writeEndObject();
  }

  private static void writeShareFields(JsonGenerator json, Map<String, Share> shares)
      throws IOException {
    for (Map.Entry<String, Share> share : shares.entrySet()) {
      json.writeObjectFieldStart(share.getKey());
      json.writeNumberField("snapshots", share.getValue().snapshots());
      json.writeNumberField("writes", share.getValue().writes());
      json.writeEndObject();
    }
  }
}
