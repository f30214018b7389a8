package io.icecap.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.icecap.bench.ApplyResult.Repeated;
import io.icecap.bench.ApplyResult.Run;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The apply benchmark at a tiny size: both sides apply every update and read back as the updates
 * say, every figure exists, nothing is left behind. No timing is asserted.
 */
class ApplyBenchmarkTest {
  @TempDir Path work;

  @Test
  void bothSidesApplyEveryUpdateAndEveryFigureExists() throws Exception {
    Path json = work.resolve("out/apply.json");
    ApplyOptions options =
        ApplyOptions.parse(
            List.of(
                "--rows",
                "20_000",
                "--partitions",
                "2",
                "--updates",
                "600",
                "--block",
                "100",
                "--curve-rows",
                "5k,10_000",
                "--curve-updates",
                "200",
                "--repeat",
                "2",
                "--seed",
                "7",
                "--work",
                work.resolve("runs").toString()));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ApplyResult result =
        new ApplyBenchmark(options, new PrintStream(err, true, StandardCharsets.UTF_8)).run();

    Repeated repeated = result.table();
    assertThat(repeated.count()).isEqualTo(2);
    assertThat(repeated.verified()).isTrue();
    assertThat(repeated.runs())
        .extracting(Run::table)
        .containsExactly("bench.apply_1", "bench.apply_2");
    assertThat(repeated.runs().get(1).icecapCheck())
        .as("every repetition does the same work")
        .isEqualTo(repeated.runs().get(0).icecapCheck());
    assertThat(repeated.runs()).contains(repeated.typical());
    assertThat(repeated.icecapNanos()).hasSize(2);
    assertThat(LongStream.of(repeated.icecapNanos()).min().orElseThrow()).isPositive();
    for (Run table : repeated.runs()) {
      assertVerifiedScenario3(table);
    }

    assertThat(result.curve()).extracting(r -> r.first().rows()).containsExactly(5_000L, 10_000L);
    for (Repeated curve : result.curve()) {
      assertThat(curve.runs()).hasSize(2);
      for (Run point : curve.runs()) {
        assertThat(point.verified()).isTrue();
        assertThat(point.partitions()).isEqualTo(1);
        assertThat(point.results().ok()).isEqualTo(200);
        assertThat(point.parts().fetchNanos()).isPositive();
        assertThat(point.parts().exportNanos()).isPositive();
        assertThat(point.parts().parquetBytes()).isPositive();
        assertThat(point.parts().duckdbBytes()).isEqualTo(point.replicas().duckdbBytes());
      }
    }

    ApplyReport report = new ApplyReport(result);
    List<Figure> figures = report.figures();
    assertThat(figures)
        .extracting(Figure::scenario)
        .containsExactly("3 apply", "3 apply", "5 scaling", "5 scaling");
    assertThat(figures)
        .extracting(Figure::measure)
        .containsExactly(
            "600 updates/2 parts: in place",
            "600 updates/2 parts: + checkpoint",
            "200 updates, 5k-row partition",
            "200 updates, 10k-row partition");
    assertThat(figures.get(0).met()).isPresent();
    assertThat(figures.get(1).ratio()).isPresent();
    assertThat(figures.get(1).icecap()).isEqualTo(repeated.icecapRate());
    for (Figure figure : figures) {
      assertThat(figure.icecap()).as(figure.measure()).isPositive().isFinite();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    report.print(new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("Scenario 3: 600 updates over 2 partitions of a 20,000-row table")
        .contains("repeat 2 (median reported)")
        .contains("medians of 2 repetitions")
        .containsPattern(
            "(?m)^samples +medians of 2 repetitions: Icecap \\(in place / whole call\\)")
        .containsPattern("(?m)^apply in place +\\| [0-9,]+ rows/s")
        .containsPattern("(?m)^apply \\+ checkpoint \\(whole call\\) +\\| [0-9,]+ rows/s.*x ")
        .containsPattern("(?m)^ +5,000 \\| ")
        .containsPattern("(?m)^ +10,000 \\| ")
        .doesNotContain("FAILED");

    report.writeJson(json);
    JsonNode document = new ObjectMapper().readTree(json.toFile());
    assertThat(document.get("benchmark").asText()).isEqualTo("apply");
    assertThat(document.get("settings").get("repeat").asInt()).isEqualTo(2);
    JsonNode scenario3 = document.get("scenario_3");
    assertThat(scenario3.get("verified").asBoolean()).isTrue();
    assertThat(scenario3.get("repetitions").asInt()).isEqualTo(2);
    assertThat(scenario3.get("icecap").get("nanos")).hasSize(2);
    assertThat(scenario3.get("copy_on_write").get("median_nanos").asLong()).isPositive();
    assertThat(scenario3.get("runs")).hasSize(2);
    assertThat(scenario3.get("runs").get(1).get("icecap").get("apply_seconds").asDouble())
        .isPositive();
    assertThat(document.get("scenario_5")).hasSize(2);
    assertThat(document.get("scenario_5").get(0).get("runs")).hasSize(2);
    assertThat(document.get("goal").has("met")).isTrue();

    try (Stream<Path> left = Files.list(work.resolve("runs"))) {
      assertThat(left).as("the run's directory is removed").isEmpty();
    }
  }

  private static void assertVerifiedScenario3(Run table) {
    assertThat(table.verified()).isTrue();
    assertThat(table.results().ok()).isEqualTo(600);
    assertThat(table.icecapCheck().keys()).isPositive().isLessThanOrEqualTo(600);
    assertThat(table.icecapCheck().qtyAdded()).isBetween(300L, 2_700L);
    assertThat(table.icecapCheck().qtyObserved()).isEqualTo(table.icecapCheck().qtyAdded());
    assertThat(table.copyOnWriteCheck().qtyObserved()).isEqualTo(table.icecapCheck().qtyAdded());
    assertThat(table.icecap().checkpoints()).isEqualTo(1);
    assertThat(table.icecap().applyNanos()).isPositive();
    assertThat(table.icecap().writeNanos()).isPositive();
    assertThat(table.icecap().commitNanos()).isPositive();
    assertThat(table.cold().checkpoints()).isEqualTo(1);
    assertThat(table.replicas().partitions()).isEqualTo(2);
    assertThat(table.replicas().rows()).isEqualTo(20_000);
    assertThat(table.replicas().duckdbBytes()).isPositive();
    assertThat(table.copyOnWrite().partitions()).isEqualTo(2);
    assertThat(table.copyOnWrite().rows()).isEqualTo(20_000);
    assertThat(table.parts()).isNull();
  }

  @Test
  void countsAreCompactInFigureNames() {
    assertThat(ApplyReport.compact(600)).isEqualTo("600");
    assertThat(ApplyReport.compact(5_000)).isEqualTo("5k");
    assertThat(ApplyReport.compact(12_500)).isEqualTo("12.5k");
    assertThat(ApplyReport.compact(10_000_000)).isEqualTo("10M");
    assertThat(ApplyReport.compact(1_234)).isEqualTo("1,234");
  }

  @Test
  void optionsDefaultToTheIssuesSizes() {
    ApplyOptions options = ApplyOptions.parse(List.of());
    assertThat(options.rows()).isEqualTo(10_000_000);
    assertThat(options.partitions()).isEqualTo(16);
    assertThat(options.updates()).isEqualTo(100_000);
    assertThat(options.curveRows()).containsExactly(10_000L, 100_000L, 1_000_000L, 10_000_000L);
    assertThat(options.curveUpdates()).isEqualTo(1_000);
    assertThat(options.repeat()).isEqualTo(3);
    assertThat(options.partitionWidth()).isEqualTo(625_000);
    assertThat(ApplyOptions.parse(List.of("--curve-rows", "10k, 2M,300_000")).curveRows())
        .containsExactly(10_000L, 2_000_000L, 300_000L);
  }

  @Test
  void badOptionsNameTheOption() {
    assertThatThrownBy(() -> ApplyOptions.parse(List.of("--updates", "0")))
        .hasMessageContaining("Invalid --updates 0: must be positive");
    assertThatThrownBy(() -> ApplyOptions.parse(List.of("--curve-rows", "10k,,1M")))
        .hasMessageContaining("Invalid --curve-rows 10k,,1M");
    assertThatThrownBy(() -> ApplyOptions.parse(List.of("--curve-rows", "ten")))
        .hasMessageContaining("Invalid --curve-rows ten");
    assertThatThrownBy(() -> ApplyOptions.parse(List.of("--rows", "10")))
        .hasMessageContaining("Invalid --rows 10: must be at least --partitions 16");
    for (String repeat : List.of("0", "-2")) {
      assertThatThrownBy(() -> ApplyOptions.parse(List.of("--repeat", repeat)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(
              "Invalid --repeat " + repeat + ": expected a whole number of 1 or more, such as 3");
    }
    assertThatThrownBy(() -> ApplyOptions.parse(List.of("--repeat", "three")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid --repeat three: expected a whole number");
    assertThatThrownBy(() -> ApplyOptions.parse(List.of("--repeat")))
        .hasMessage("Option --repeat needs a value");
    assertThatThrownBy(() -> ApplyOptions.parse(List.of("--block")))
        .hasMessageContaining("Option --block needs a value");
    assertThatThrownBy(() -> ApplyOptions.parse(List.of("--apply-rows", "5")))
        .hasMessageContaining("Unknown option --apply-rows");

    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Bench.run(
            new String[] {"apply", "--partitions", "0"},
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("Invalid --partitions 0: must be positive", "Options of apply:");
  }
}
