package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import io.icecap.bench.WriteResult.Baseline;
import io.icecap.bench.WriteResult.Concurrent;
import io.icecap.bench.WriteResult.Freshness;
import io.icecap.bench.WriteResult.Single;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A write benchmark run as JSON: every figure of the table and the notes, and the goals' checks.
 */
final class WriteJson {
  private final WriteResult result;

  WriteJson(WriteResult result) {
    this.result = requireNonNull(result, "result is null");
  }

  /** Writes the run to {@code file}, creating its directory. */
  void write(Path file) throws IOException {
    WriteOptions options = result.options();
    Machine machine = result.machine();
    try (JsonGenerator json = BenchJson.open(file)) {
      json.writeStartObject();
      json.writeStringField("benchmark", "write");
      json.writeObjectFieldStart("machine");
      BenchJson.machineFields(json, machine);
      json.writeObjectFieldStart("redis");
      for (Map.Entry<String, String> setting : result.redis().entrySet()) {
        json.writeStringField(setting.getKey(), setting.getValue());
      }
      json.writeEndObject();
      json.writeEndObject();

      json.writeObjectFieldStart("settings");
      json.writeNumberField("writes", options.writes());
      json.writeNumberField("warmups", options.warmups());
      json.writeNumberField("clients", options.clients());
      json.writeArrayFieldStart("rates");
      for (int rate : options.rates()) {
        json.writeNumber(rate);
      }
      json.writeEndArray();
      json.writeNumberField("seconds", options.seconds());
      json.writeNumberField("baseline_commits", options.baselineCommits());
      json.writeNumberField("baseline_warmups", options.baselineWarmups());
      json.writeNumberField("table_rows", options.tableRows());
      json.writeNumberField("seed", options.seed());
      json.writeNumberField("debounce_millis", result.debounceMillis());
      json.writeStringField("table", WriteWorkload.describe());
      json.writeEndObject();

      writeSingle(json, result.single());
      writeConcurrent(json, result.concurrent());
      json.writeArrayFieldStart("freshness");
      for (Freshness freshness : result.freshness()) {
        writeFreshness(json, freshness);
      }
      json.writeEndArray();
      writeBaseline(json, result.baseline());

      WriteReport report = new WriteReport(result);
      json.writeObjectFieldStart("ratios");
      json.writeNumberField("insert", report.insertRatio());
      json.writeNumberField("update", report.updateRatio());
      json.writeEndObject();
      json.writeArrayFieldStart("goals");
      for (WriteReport.Check check : report.checks()) {
        json.writeStartObject();
        json.writeStringField("name", check.name());
        json.writeStringField("goal", check.goal());
        json.writeBooleanField("met", check.met());
        if (!check.why().isEmpty()) {
          json.writeStringField("why", check.why());
        }
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    }
  }

  private static void writeSingle(JsonGenerator json, Single single) throws IOException {
    json.writeObjectFieldStart("single_client");
    writeLatencies(json, "insert_ack", single.inserts());
    writeLatencies(json, "update_ack", single.updates());
    writeTally(json, single.results());
    json.writeEndObject();
  }

  private static void writeConcurrent(JsonGenerator json, Concurrent concurrent)
      throws IOException {
    json.writeObjectFieldStart("concurrent_clients");
    json.writeNumberField("clients", concurrent.clients());
    json.writeNumberField("writes", concurrent.writes());
    json.writeNumberField("seconds", concurrent.nanos() / 1e9);
    json.writeNumberField("writes_per_second", concurrent.writesPerSecond());
    writeLatencies(json, "ack", concurrent.latencies());
    writeTally(json, concurrent.results());
    json.writeEndObject();
  }

  /** One rate's run of the freshness scenario, as an object of the current array. */
  static void writeFreshness(JsonGenerator json, Freshness freshness) throws IOException {
    json.writeStartObject();
    json.writeNumberField("offered_rate", freshness.rate());
    json.writeNumberField("seconds", freshness.seconds());
    json.writeNumberField("senders", freshness.senders());
    json.writeNumberField("writes", freshness.writes());
    json.writeNumberField("achieved_rate", freshness.achievedRate());
    json.writeNumberField("visible", freshness.visible());
    json.writeNumberField("visible_before_ack", freshness.visibleBeforeAck());
    if (freshness.drainNanos() >= 0) {
      json.writeNumberField("drain_seconds", freshness.drainNanos() / 1e9);
      json.writeNumberField("applied_rate", freshness.appliedRate());
    }
    json.writeNumberField("visibility_events", freshness.visibilityEvents());
    json.writeNumberField("snapshots", freshness.snapshots());
    json.writeNumberField("watcher_poll_ms", freshness.pollMillis());
    if (freshness.freshness() != null) {
      writeLatencies(json, "ack_to_visible", freshness.freshness());
    }
    writeLatencies(json, "ack", freshness.acks());
    writeLatencies(json, "send_lag", freshness.lag());
    writeTally(json, freshness.results());
    json.writeEndObject();
  }

  private static void writeBaseline(JsonGenerator json, Baseline baseline) throws IOException {
    json.writeObjectFieldStart("iceberg_baseline");
    json.writeNumberField("warmups", baseline.warmups());
    writeLatencies(json, "append", baseline.appends());
    writeLatencies(json, "row_delta", baseline.rowDeltas());
    json.writeNumberField("snapshots", baseline.snapshots());
    json.writeNumberField("total_records", baseline.totalRecords());
    json.writeNumberField("equality_deletes", baseline.equalityDeletes());
    json.writeEndObject();
  }

  static void writeLatencies(JsonGenerator json, String name, Latencies latencies)
      throws IOException {
    json.writeObjectFieldStart(name);
    json.writeNumberField("count", latencies.count());
    json.writeNumberField("mean_ms", latencies.meanMillis());
    json.writeNumberField("p50_ms", latencies.p50Millis());
    json.writeNumberField("p90_ms", latencies.p90Millis());
    json.writeNumberField("p99_ms", latencies.p99Millis());
    json.writeNumberField("p999_ms", latencies.p999Millis());
    json.writeNumberField("max_ms", latencies.maxMillis());
    json.writeEndObject();
  }

  static void writeTally(JsonGenerator json, ResultTally tally) throws IOException {
    json.writeObjectFieldStart("results");
    json.writeNumberField("expected", tally.expected());
    json.writeNumberField("ok", tally.ok());
    json.writeNumberField("wrong_rows", tally.wrongRows());
    json.writeNumberField("aborted", tally.aborted());
    json.writeNumberField("missing", tally.missing());
    if (tally.firstProblem() != null) {
      json.writeStringField("first_problem", tally.firstProblem());
    }
    json.writeEndObject();
  }
}
