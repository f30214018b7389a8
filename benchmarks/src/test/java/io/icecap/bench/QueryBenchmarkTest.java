package io.icecap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.icecap.bench.QueryBenchmark.Figures;
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
 * The query benchmark at a tiny size: every query produces a figure on every side, with the same
 * rows on each (the benchmark fails otherwise), and nothing is left behind.
 */
class QueryBenchmarkTest {
  @TempDir Path work;

  @Test
  void everyQueryHasAFigureOnEverySide() throws Exception {
    Path json = work.resolve("out/query.json");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    QueryOptions options =
        QueryOptions.parse(
            List.of(
                "--rows",
                "20_000",
                "--partitions",
                "4",
                "--customers",
                "1,000",
                "--repetitions",
                "2",
                "--warmups",
                "1",
                "--seed",
                "7",
                "--work",
                work.resolve("runs").toString(),
                "--json",
                json.toString()));
    QueryBenchmark.Result result =
        new QueryBenchmark(options, new PrintStream(err, true, StandardCharsets.UTF_8)).run();

    assertThat(result.orderFiles()).isEqualTo(4);
    assertThat(result.orderBytes()).isPositive();
    assertThat(result.queries())
        .extracting(Figures::name)
        .containsExactly("point lookup", "filtered aggregate", "join");
    for (Figures figures : result.queries()) {
      for (long[] side : List.of(figures.cold(), figures.warm(), figures.baseline())) {
        assertThat(side).hasSize(2);
        assertThat(java.util.Arrays.stream(side).min().orElseThrow()).isPositive();
      }
      assertThat(figures.rows()).isPositive();
    }
    // pruning: the point lookup fetches its partition's file only, the aggregate every file
    assertThat(result.queries().get(0).filesFetchedCold()).isEqualTo(1);
    assertThat(result.queries().get(1).filesFetchedCold()).isEqualTo(4);
    assertThat(result.queries().get(2).filesFetchedCold()).isEqualTo(2);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    QueryReport report = new QueryReport(result);
    report.print(new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("point lookup", "filtered aggregate", "join", "warm ratio", "Goal: warm");
    report.writeJson(json);
    JsonNode document = new ObjectMapper().readTree(json.toFile());
    assertThat(document.get("benchmark").asText()).isEqualTo("query");
    assertThat(document.get("queries")).hasSize(3);
    assertThat(document.get("queries").get(0).get("icecap_warm").get("median_nanos").asLong())
        .isPositive();

    try (Stream<Path> left = Files.list(work.resolve("runs"))) {
      assertThat(left).as("the run's directory is removed").isEmpty();
    }
  }

  @Test
  void badOptionsSayWhatIsWrong() {
    assertThat(Bench.run(new String[] {"query", "--rows"}, System.out, new PrintStream(sink())))
        .isEqualTo(2);
    assertThat(
            Bench.run(
                new String[] {"query", "--partitions", "0"}, System.out, new PrintStream(sink())))
        .isEqualTo(2);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertThat(
            Bench.run(
                new String[] {"query", "--rows", "ten"},
                System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8)))
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("Invalid --rows ten");
  }

  private static ByteArrayOutputStream sink() {
    return new ByteArrayOutputStream();
  }
}
