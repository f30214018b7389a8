package io.icecap.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.icecap.bench.BenchmarkCommand.Size;
import io.icecap.bench.QueryBenchmark.Figures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark benchmark at its smoke size: Spark reaches Icecap's catalog, both sides update the same
 * table and answer the same queries alike (the run fails otherwise), every figure is there, and
 * {@code Bench} finds the command on the class path.
 */
class SparkBenchmarkTest {
  @TempDir Path work;

  @Test
  void sparkAndIcecapUpdateAndQueryTheSameTables() throws Exception {
    Path json = work.resolve("out/spark.json");
    List<String> arguments = new ArrayList<>(new SparkCommand().options(Size.SMOKE));
    arguments.addAll(
        List.of(
            "--seed", "7", "--work", work.resolve("runs").toString(), "--json", json.toString()));
    SparkOptions options = SparkOptions.parse(arguments);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    SparkBenchmark.Result result =
        new SparkBenchmark(options, new PrintStream(err, true, StandardCharsets.UTF_8)).run();

    assertThat(result.spark()).startsWith("4.0.");
    assertThat(result.updateMode()).isEqualTo("copy-on-write");
    assertThat(result.orderFiles()).isEqualTo(4);
    SparkUpdates.Figures updates = result.updates();
    for (long[] side : List.of(updates.spark(), updates.icecapAck(), updates.icecapVisible())) {
      assertThat(side).hasSize(options.updates());
      assertThat(Arrays.stream(side).min().orElseThrow()).isPositive();
    }
    // copy-on-write: Spark's UPDATE of one row rewrites its partition's file of 5,000 rows
    assertThat(updates.sparkRowsWritten()).isEqualTo(5_000);
    // merge-on-read on the copy: one position delete and the changed row
    SparkUpdates.MergeOnRead mergeOnRead = result.mergeOnRead();
    assertThat(mergeOnRead.spark()).hasSize(options.updates());
    assertThat(Arrays.stream(mergeOnRead.spark()).min().orElseThrow()).isPositive();
    assertThat(mergeOnRead.positionDeletesWritten()).isEqualTo(1);
    assertThat(mergeOnRead.rowsWritten()).isEqualTo(1);
    assertThat(updates.icecapRowsWritten()).isEqualTo(5_000);
    assertThat(result.queries())
        .extracting(Figures::name)
        .containsExactly("point lookup", "filtered aggregate", "join");
    for (Figures query : result.queries()) {
      for (long[] side : List.of(query.cold(), query.warm(), query.baseline())) {
        assertThat(side).hasSize(1);
        assertThat(side[0]).isPositive();
      }
      assertThat(query.rows()).isPositive();
    }
    // what was verified: the updated rows, each query on every side, the whole table
    assertThat(result.checks()).hasSize(6);
    assertThat(result.checks().get(0)).contains("Icecap and Spark read every one as last written");
    assertThat(result.checks().get(1))
        .contains("updated merge-on-read in bench.orders_mor", "Spark reads every one as written");
    assertThat(result.checks().get(5)).contains("Icecap = Spark = generated data");

    SparkReport report = new SparkReport(result);
    assertThat(report.figures())
        .allSatisfy(figure -> assertThat(figure.scenario()).isEqualTo("6 spark"))
        .extracting(Figure::measure)
        .containsExactly(
            "UPDATE ack",
            "UPDATE visible in a snapshot",
            "UPDATE ack vs merge-on-read",
            "UPDATE visible vs merge-on-read",
            "point lookup warm",
            "point lookup cold",
            "filtered aggregate warm",
            "filtered aggregate cold",
            "join warm",
            "join cold");
    assertThat(report.figures()).allSatisfy(figure -> assertThat(figure.baseline()).isPresent());
    assertThat(report.figures().get(1).baselineName()).isEqualTo("Spark SQL UPDATE (CoW)");
    assertThat(report.figures().get(3).baselineName()).isEqualTo("Spark SQL UPDATE (MoR)");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    report.print(new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("single-row UPDATE", "copy-on-write", "Spark SQL", "Checked:")
        .contains("bench.orders_mor: the same rows, write.update.mode merge-on-read")
        .containsPattern("(?m)^  Spark merge-on-read +\\| +[0-9.]+ ms \\|");
    report.writeJson(json);
    JsonNode document = new ObjectMapper().readTree(json.toFile());
    assertThat(document.get("benchmark").asText()).isEqualTo("spark");
    assertThat(document.get("updates").get("icecap_visible").get("nanos"))
        .hasSize(options.updates());
    assertThat(document.get("queries")).hasSize(3);
    assertThat(document.get("updates").get("merge_on_read").get("spark").get("nanos"))
        .hasSize(options.updates());
    assertThat(
            document.get("updates").get("merge_on_read").get("position_deletes_written").asLong())
        .isEqualTo(1);
    assertThat(document.get("checks")).hasSize(6);

    try (Stream<Path> left = Files.list(work.resolve("runs"))) {
      assertThat(left).as("the run's directory is removed").isEmpty();
    }
  }

  @Test
  void benchFindsTheCommandOnTheClassPath() {
    assertThat(Bench.commands()).extracting(BenchmarkCommand::name).contains("spark");
    // all takes it, at both sizes
    new AllBenchmarks(Bench.commands()).parse(List.of("--size", "smoke", "--only", "spark"));
    new AllBenchmarks(Bench.commands()).parse(List.of("--size", "full", "--only", "spark"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(Bench.run(new String[] {"help"}, new PrintStream(out), new PrintStream(sink())))
        .isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("Options of spark:", "--updates U");
  }

  @Test
  void badOptionsSayWhatIsWrong() {
    assertThatThrownBy(() -> SparkOptions.parse(List.of("--updates")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--updates needs a value");
    assertThatThrownBy(() -> SparkOptions.parse(List.of("--updates", "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--updates must be positive");
    assertThatThrownBy(() -> SparkOptions.parse(List.of("--rows", "ten")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid --rows ten");
    assertThatThrownBy(() -> SparkOptions.parse(List.of("--rows", "3", "--partitions", "4")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--rows 3 must be at least --partitions 4");
    assertThatThrownBy(() -> SparkOptions.parse(List.of("--partitons", "4")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown option --partitons of spark");

    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertThat(
            Bench.run(
                new String[] {"spark", "--warmups", "-1"},
                System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8)))
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--warmups not negative");
  }

  private static ByteArrayOutputStream sink() {
    return new ByteArrayOutputStream();
  }
}
