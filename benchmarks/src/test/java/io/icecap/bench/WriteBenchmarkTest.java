package io.icecap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.icecap.bench.WriteResult.Baseline;
import io.icecap.bench.WriteResult.Concurrent;
import io.icecap.bench.WriteResult.Freshness;
import io.icecap.bench.WriteResult.Single;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write benchmark at a tiny size: every scenario measures writes that were applied, the table
 * says whether each goal was met, nothing is left behind.
 */
class WriteBenchmarkTest {
  @TempDir Path work;

  @Test
  void everyScenarioMeasuresAppliedWrites() throws Exception {
    Path json = work.resolve("out/write.json");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream progress = new PrintStream(err, true, StandardCharsets.UTF_8);
    WriteOptions options =
        WriteOptions.defaults()
            .withWrites(50)
            .withClients(1)
            .withRate(50)
            .withSeconds(1)
            .withBaselineCommits(5)
            .withTableRows(1_000)
            .withSeed(7)
            .withWork(work.resolve("runs"));
    WriteResult result = new WriteBenchmark(options, progress).run();

    Single single = result.single();
    for (Latencies acks : List.of(single.inserts(), single.updates())) {
      assertThat(acks.count()).isEqualTo(50);
      assertThat(acks.p50Nanos()).isPositive().isLessThanOrEqualTo(acks.p99Nanos());
      assertThat(acks.p99Nanos()).isLessThanOrEqualTo(acks.maxNanos());
      assertThat(acks.meanNanos()).isPositive();
    }
    assertThat(single.results().ok()).isEqualTo(100);

    Concurrent concurrent = result.concurrent();
    assertThat(concurrent.writes()).isEqualTo(100);
    assertThat(concurrent.writesPerSecond()).isPositive().isFinite();
    assertThat(concurrent.results().allOk()).as(concurrent.results().describe()).isTrue();

    Freshness freshness = result.freshness();
    assertThat(freshness.writes()).isEqualTo(50);
    assertThat(freshness.visible()).as("every write became visible").isEqualTo(50);
    assertThat(freshness.results().allOk()).as(freshness.results().describe()).isTrue();
    assertThat(freshness.freshness().p50Nanos()).isPositive();
    assertThat(freshness.achievedRate()).isPositive().isLessThan(60);
    assertThat(freshness.snapshots()).isPositive();
    assertThat(freshness.drainNanos()).isNotNegative();
    assertThat(freshness.appliedRate()).isPositive().isFinite();

    Baseline baseline = result.baseline();
    int commits = 2 * (5 + options.baselineWarmups());
    assertThat(baseline.appends().count()).isEqualTo(5);
    assertThat(baseline.rowDeltas().p50Nanos()).isPositive();
    assertThat(baseline.snapshots()).isEqualTo(commits);
    assertThat(baseline.totalRecords()).isEqualTo(commits);
    assertThat(baseline.equalityDeletes()).isEqualTo(commits / 2);

    assertThat(result.redis()).containsEntry("appendonly", "yes");
    assertThat(result.redis()).containsEntry("appendfsync", "always");

    WriteReport report = new WriteReport(result);
    report.print(new PrintStream(out, true, StandardCharsets.UTF_8));
    String table = out.toString(StandardCharsets.UTF_8);
    assertThat(table)
        .contains("appendonly yes, appendfsync always", "writes 50 of each kind", "seed 7")
        .containsPattern(
            "(?m)^INSERT 1 row, 1 client: ack +\\| p50 [0-9.]+ p99 .*\\| [0-9.]+x +\\|")
        .containsPattern("(?m)^UPDATE 1 row, 1 client: ack +\\|.*row delta p50 [0-9.]+")
        .containsPattern("(?m)^freshness, 50 writes/s offered +\\|.*\\| NO$")
        .containsPattern("(?m)^goals +[0-7] of 7 met in this run")
        .contains("offered 50/s, below the goal's rate");
    assertThat(report.checks()).hasSize(7);

    new WriteJson(result).write(json);
    List<String> fields = new ArrayList<>();
    try (JsonParser parser = new JsonFactory().createParser(json.toFile())) {
      while (parser.nextToken() != null) {
        if (parser.currentToken() == JsonToken.FIELD_NAME) {
          fields.add(parser.currentName());
        }
      }
    }
    assertThat(fields)
        .contains("single_client", "freshness", "iceberg_baseline", "goals", "p99_ms")
        .doesNotContain("apply");
    try (Stream<Path> left = Files.list(work.resolve("runs"))) {
      assertThat(left).as("files left in the work directory").isEmpty();
    }
  }

  @Test
  void optionsDefaultToTheStatedSizes() {
    WriteOptions options = WriteOptions.parse(List.of());
    assertThat(options.writes()).isEqualTo(5_000);
    assertThat(options.clients()).isEqualTo(4);
    assertThat(options.rate()).isEqualTo(1_000);
    assertThat(options.seconds()).isEqualTo(10);
    assertThat(options.baselineCommits()).isEqualTo(200);
    assertThat(options.json()).isNull();
    assertThat(WriteOptions.parse(List.of("--table-rows", "20_000", "--rate", "2,000")))
        .extracting(WriteOptions::tableRows, WriteOptions::rate)
        .containsExactly(20_000, 2_000);
  }

  @Test
  void usageErrorsNameTheOption() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    PrintStream out = new PrintStream(new ByteArrayOutputStream());

    assertThat(Bench.run(new String[] {"write", "--writes", "0"}, out, errStream)).isEqualTo(2);
    assertThat(Bench.run(new String[] {"write", "--rows", "10"}, out, errStream)).isEqualTo(2);
    assertThat(Bench.run(new String[] {"write", "--rate"}, out, errStream)).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains(
            "Invalid --writes 0: must be positive",
            "Unknown option --rows",
            "Option --rate needs a value");
  }
}
