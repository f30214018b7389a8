package io.icecap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.icecap.bench.DeletesBenchmark.Figures;
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
 * The deletes benchmark at a tiny size: every query has a figure on both sides, with the same rows
 * on each (the benchmark fails otherwise), the deletes remove rows, and nothing is left behind.
 */
class DeletesBenchmarkTest {
  @TempDir Path work;

  @Test
  void everyQueryHasAFigureOnBothSides() throws Exception {
    Path json = work.resolve("out/deletes.json");
    DeletesOptions options =
        DeletesOptions.parse(
            List.of(
                "--rows",
                "20_000",
                "--partitions",
                "4",
                "--position-every",
                "50",
                "--equality-deletes",
                "200",
                "--repetitions",
                "2",
                "--warmups",
                "1",
                "--work",
                work.resolve("runs").toString(),
                "--json",
                json.toString()));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    DeletesBenchmark.Result result =
        new DeletesBenchmark(options, new PrintStream(err, true, StandardCharsets.UTF_8)).run();

    assertThat(result.dataFiles()).isEqualTo(4);
    assertThat(result.positionFiles()).isEqualTo(4);
    assertThat(result.positionDeletes()).isEqualTo(20_000 / 50);
    assertThat(result.equalityFiles()).isEqualTo(4);
    // each deleted position removes a row; an id deleted by equality may be one of them
    assertThat(result.liveRows())
        .isLessThanOrEqualTo(20_000 - result.positionDeletes())
        .isGreaterThanOrEqualTo(20_000 - result.positionDeletes() - 200);
    assertThat(result.queries())
        .extracting(Figures::name)
        .containsExactly("full aggregate", "filtered aggregate", "point lookup");
    for (Figures figures : result.queries()) {
      for (long[] side : List.of(figures.icecap(), figures.baseline())) {
        assertThat(side).hasSize(2);
        assertThat(java.util.Arrays.stream(side).min().orElseThrow()).isPositive();
      }
    }

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DeletesReport report = new DeletesReport(result);
    report.print(new PrintStream(out, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("full aggregate", "point lookup", "DuckDB by hand", "Goal: warm");
    report.writeJson(json);
    JsonNode document = new ObjectMapper().readTree(json.toFile());
    assertThat(document.get("benchmark").asText()).isEqualTo("deletes");
    assertThat(document.get("queries")).hasSize(3);
    assertThat(report.figures()).hasSize(3);

    try (Stream<Path> left = Files.list(work.resolve("runs"))) {
      assertThat(left).as("the run's directory is removed").isEmpty();
    }
  }
}
