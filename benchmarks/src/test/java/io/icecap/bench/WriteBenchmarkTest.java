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
            .withRates(List.of(20, 50))
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

    assertThat(result.freshness()).extracting(Freshness::rate).containsExactly(20, 50);
    for (Freshness freshness : result.freshness()) {
      int writes = freshness.rate();
      assertThat(freshness.writes()).isEqualTo(writes);
      assertThat(freshness.visible()).as("every write became visible").isEqualTo(writes);
      assertThat(freshness.results().allOk()).as(freshness.results().describe()).isTrue();
      assertThat(freshness.freshness().p50Nanos()).isPositive();
      assertThat(freshness.achievedRate()).isPositive().isLessThan(writes * 1.2);
      assertThat(freshness.snapshots()).isPositive();
      assertThat(freshness.drainNanos()).isNotNegative();
      assertThat(freshness.appliedRate()).isPositive().isFinite();
      assertThat(freshness.pollMillis()).isPositive();
    }

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
        .containsPattern("(?m)^freshness, 20 writes/s offered +\\| p50 .*\\| - +\\| -$")
        .containsPattern("(?m)^freshness, 50 writes/s offered +\\| p50 .*\\| - +\\| -$")
        .containsPattern("(?m)^goals +[0-7] of 7 met in this run")
        .contains("not measured at 1,000/s (rates offered: 20/50)");
    assertThat(report.checks()).hasSize(7);
    assertThat(report.figures())
        .filteredOn(figure -> figure.scenario().equals("2 freshness"))
        .extracting(Figure::measure)
        .containsExactly("p99 at 20/s", "p99 at 50/s");
    assertThat(report.figures())
        .filteredOn(figure -> figure.scenario().equals("2 freshness"))
        .allSatisfy(figure -> assertThat(figure.goal()).isEmpty());

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
    assertThat(options.rates()).containsExactly(100, 1_000);
    assertThat(options.seconds()).isEqualTo(10);
    assertThat(options.baselineCommits()).isEqualTo(200);
    assertThat(options.json()).isNull();
    assertThat(WriteOptions.parse(List.of("--table-rows", "20_000", "--rates", "2,000")))
        .extracting(WriteOptions::tableRows, WriteOptions::rates)
        .containsExactly(20_000, List.of(2_000));
    assertThat(WriteOptions.parse(List.of("--rates", "1_000/100/2,500")).rates())
        .containsExactly(1_000, 100, 2_500);
    assertThat(options.freshnessWrites()).isEqualTo(11_000);
  }

  @Test
  void usageErrorsNameTheOption() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    PrintStream out = new PrintStream(new ByteArrayOutputStream());

    assertThat(Bench.run(new String[] {"write", "--writes", "0"}, out, errStream)).isEqualTo(2);
    assertThat(Bench.run(new String[] {"write", "--rows", "10"}, out, errStream)).isEqualTo(2);
    assertThat(Bench.run(new String[] {"write", "--rates"}, out, errStream)).isEqualTo(2);
    assertThat(Bench.run(new String[] {"write", "--rates", "100,1000"}, out, errStream))
        .isEqualTo(2);
    assertThat(Bench.run(new String[] {"write", "--rates", "100/"}, out, errStream)).isEqualTo(2);
    assertThat(Bench.run(new String[] {"write", "--rates", "100/0"}, out, errStream)).isEqualTo(2);
    assertThat(Bench.run(new String[] {"write", "--rates", "5/5"}, out, errStream)).isEqualTo(2);
    assertThat(Bench.run(new String[] {"write", "--rate", "10"}, out, errStream)).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains(
            "Invalid --writes 0: must be positive",
            "Unknown option --rows",
            "Option --rates needs a value",
            "Invalid --rates 100/: expected numbers separated by /",
            "Invalid --rates 100,1000: separate the numbers with / (such as 100/1000)",
            "Invalid --rates 100/0: 0 must be a positive whole number",
            "Invalid --rates 5/5: 5 is given twice",
            "Unknown option --rate: give the freshness scenario's rates as --rates");
  }
}
