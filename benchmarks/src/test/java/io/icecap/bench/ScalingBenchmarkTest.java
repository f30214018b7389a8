package io.icecap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.icecap.bench.ScalingResult.Run;
import io.icecap.bench.ScalingResult.WorkerCount;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scaling benchmark at a tiny size, with one and two {@code icecap worker} processes: every
 * acknowledged write is applied once and read back as written, every figure exists, nothing is left
 * behind.
 */
class ScalingBenchmarkTest {
  @TempDir Path work;

  @Test
  void everyWorkerCountAppliesEveryWriteOnce() throws Exception {
    Path json = work.resolve("out/scaling.json");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ScalingOptions options =
        ScalingOptions.parse(
            List.of(
                "--workers", "1/2",
                "--tables", "2",
                "--clients", "2",
                "--rate", "60",
                "--seconds", "1",
                "--warmup-seconds", "0",
                "--backlog", "200",
                "--table-rows", "500",
                "--repeat", "2",
                "--seed", "7",
                "--work", work.resolve("runs").toString()));
    ScalingResult result =
        new ScalingBenchmark(options, new PrintStream(err, true, StandardCharsets.UTF_8)).run();

    assertThat(result.counts()).extracting(WorkerCount::workers).containsExactly(1, 2);
    for (WorkerCount count : result.counts()) {
      assertThat(count.repetitions()).isEqualTo(2);
      assertThat(count.runs()).extracting(Run::workers).containsOnly(count.workers());
      assertThat(count.runs()).contains(count.typical());
      assertThat(count.drainNanos()).hasSize(2).contains(count.typical().backlog().drainNanos());
      assertThat(count.appliedPerSecond()).isPositive().isFinite();
      assertThat(count.freshnessP99Millis()).isPositive().isFinite();
    }
    for (Run run : result.counts().stream().flatMap(count -> count.runs().stream()).toList()) {
      assertThat(run.verified()).as(new ScalingReport(result).failures().toString()).isTrue();
      assertThat(run.exited()).isEmpty();
      // 2 tables of 500 seeded rows; every other write of the freshness phase and backlog inserts
      assertThat(run.verification().expectedRows()).isEqualTo(1_000 + (60 + 200) / 2);
      assertThat(run.verification().rowsRead()).isEqualTo(run.verification().expectedRows());
      assertThat(run.freshness().writes()).isEqualTo(60);
      assertThat(run.freshness().freshness().p99Nanos()).isPositive();
      assertThat(run.backlog().results().ok()).isEqualTo(200);
      assertThat(run.backlog().appliedPerSecond()).isPositive().isFinite();
      assertThat(run.backlog().snapshots()).isPositive();
      assertThat(run.backlog().shares().keySet())
          .isSubsetOf(List.of("worker-0", "worker-1").subList(0, run.workers()));
      assertThat(run.backlog().snapshotsWhileBuffering())
          .as("snapshots committed while the backlog was buffered")
          .isZero();
      assertThat(run.backlog().shares().values().stream().mapToLong(s -> s.writes()).sum())
          .as("the backlog's writes, applied by the workers once the requests were queued")
          .isEqualTo(200);
    }

    ScalingReport report = new ScalingReport(result);
    assertThat(report.failures()).isEmpty();
    assertThat(report.figures())
        .allSatisfy(figure -> assertThat(figure.scenario()).isEqualTo("5 scaling"))
        .extracting(Figure::measure)
        .containsExactly(
            "applied writes/s, 1 worker",
            "applied writes/s, 2 workers",
            "freshness p99 at 60/s, 1 worker",
            "freshness p99 at 60/s, 2 workers");
    assertThat(report.figures().get(1).baselineName()).isEqualTo("1 worker");
    assertThat(report.figures().get(1).ratio()).isPresent();

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    report.print(new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("appendonly yes, appendfsync always", "workers 1/2, tables 2", "seed 7")
        .contains("repeat 2 (median reported)", "each worker count was run 2 times")
        .containsPattern("(?m)^2 workers +2 repetitions: backlog [0-9.]+ / [0-9.]+ s")
        .containsPattern("(?m)^1 +\\| [0-9,]+/s \\([0-9.]+ s\\) +\\| 1\\.00x +\\| p50 ")
        .containsPattern("(?m)^2 +\\| [0-9,]+/s \\([0-9.]+ s\\) +\\| [0-9.]+x +\\| p50 .*\\| yes$")
        .contains("all as written");

    report.writeJson(json);
    JsonNode document = new ObjectMapper().readTree(json.toFile());
    assertThat(document.get("benchmark").asText()).isEqualTo("scaling");
    assertThat(document.get("settings").get("repeat").asInt()).isEqualTo(2);
    assertThat(document.get("worker_counts")).hasSize(2);
    JsonNode counted = document.get("worker_counts").get(1);
    assertThat(counted.get("workers").asInt()).isEqualTo(2);
    assertThat(counted.get("repetitions").asInt()).isEqualTo(2);
    assertThat(counted.get("applied_per_second").asDouble())
        .isEqualTo(result.counts().get(1).appliedPerSecond());
    assertThat(counted.get("backlog_drain").get("nanos")).hasSize(2);
    assertThat(counted.get("freshness_p99").get("nanos")).hasSize(2);
    assertThat(counted.get("runs")).hasSize(2);
    JsonNode two = counted.get("runs").get(1);
    assertThat(two.get("verified").asBoolean()).isTrue();
    assertThat(two.get("backlog").get("applied_per_second").asDouble()).isPositive();
    assertThat(two.get("freshness").get("ack_to_visible").get("p99_ms").asDouble()).isPositive();
    assertThat(two.get("read_back").get("missing").asLong()).isZero();
    try (Stream<Path> left = Files.list(work.resolve("runs"))) {
      assertThat(left).as("files left in the work directory").isEmpty();
    }
  }

  @Test
  void optionsDefaultToTheStatedSizes() {
    ScalingOptions options = ScalingOptions.parse(List.of());
    assertThat(options.workers()).containsExactly(1, 2, 4);
    assertThat(options.tables()).isEqualTo(4);
    assertThat(options.rate()).isEqualTo(1_000);
    assertThat(options.seconds()).isEqualTo(20);
    assertThat(options.backlog()).isEqualTo(40_000);
    assertThat(options.tableRows()).isEqualTo(100_000);
    assertThat(options.workerThreads()).isEqualTo(1);
    assertThat(options.repeat()).isEqualTo(3);
    assertThat(options.json()).isNull();
    ScalingOptions parsed =
        ScalingOptions.parse(List.of("--workers", "4/1", "--backlog", "10_000", "--rate", "2,000"));
    assertThat(parsed.workers()).containsExactly(4, 1);
    assertThat(parsed.backlog()).isEqualTo(10_000);
    assertThat(parsed.rate()).isEqualTo(2_000);
  }

  @Test
  void badOptionsAreRefusedWithTheOptionNamed() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(err, true, StandardCharsets.UTF_8);
    PrintStream out = new PrintStream(new ByteArrayOutputStream());
    assertThat(Bench.run(new String[] {"scaling", "--workers", "1,2"}, out, stream)).isEqualTo(2);
    assertThat(Bench.run(new String[] {"scaling", "--workers", "0/1"}, out, stream)).isEqualTo(2);
    assertThat(Bench.run(new String[] {"scaling", "--workers", "2/2"}, out, stream)).isEqualTo(2);
    assertThat(Bench.run(new String[] {"scaling", "--tables", "0"}, out, stream)).isEqualTo(2);
    assertThat(Bench.run(new String[] {"scaling", "--tables", "4", "--backlog", "3"}, out, stream))
        .isEqualTo(2);
    assertThat(Bench.run(new String[] {"scaling", "--warmup-seconds", "-1"}, out, stream))
        .isEqualTo(2);
    assertThat(Bench.run(new String[] {"scaling", "--rate"}, out, stream)).isEqualTo(2);
    assertThat(Bench.run(new String[] {"scaling", "--bogus", "1"}, out, stream)).isEqualTo(2);
    for (String repeat : List.of("0", "-1", "twice", "1.5")) {
      assertThat(Bench.run(new String[] {"scaling", "--repeat", repeat}, out, stream))
          .as("--repeat " + repeat)
          .isEqualTo(2);
    }
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains(
            "Invalid --workers 1,2: separate the numbers with /",
            "Invalid --workers 0/1: 0 must be a positive whole number",
            "Invalid --workers 2/2: 2 is given twice",
            "Invalid --tables 0: must be positive",
            "Invalid --backlog 3: needs at least one write per table (4)",
            "Invalid --warmup-seconds -1: must not be negative",
            "Option --rate needs a value",
            "Unknown option --bogus",
            "Invalid --repeat 0: expected a whole number of 1 or more, such as 3",
            "Invalid --repeat -1: expected a whole number of 1 or more, such as 3",
            "Invalid --repeat twice: expected a whole number",
            "Invalid --repeat 1.5: expected a whole number",
            "Usage: Bench");
  }
}
