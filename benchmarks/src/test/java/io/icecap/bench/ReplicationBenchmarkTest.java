package io.icecap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.icecap.bench.ReplicationResult.Scenario;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replication benchmark at a tiny size: every scenario measures something, nothing is left. */
class ReplicationBenchmarkTest {
  @TempDir Path work;

  @Test
  void everyScenarioProducesPositiveFigures() throws Exception {
    ReplicationOptions options =
        ReplicationOptions.defaults().withRows(2_000).withRepetitions(1).withWarmups(0);
    ReplicationResult result =
        new ReplicationBenchmark(
                options.withWork(work), new PrintStream(new ByteArrayOutputStream()))
            .run();

    assertThat(result.icecapFiles()).isEqualTo(1);
    assertThat(result.sourceBytes()).isPositive();
    for (Scenario scenario : List.of(result.export(), result.importing())) {
      for (Measurement measurement : List.of(scenario.icecap(), scenario.baseline())) {
        assertThat(measurement.nanos()).as(scenario.name()).hasSize(1);
        assertThat(measurement.rows()).as(scenario.name()).isEqualTo(2_000);
        assertThat(measurement.bytes()).as(scenario.name()).isPositive();
        assertThat(measurement.medianSeconds()).as(scenario.name()).isPositive();
        assertThat(measurement.rowsPerSecond()).as(scenario.name()).isPositive();
        assertThat(measurement.megabytesPerSecond()).as(scenario.name()).isPositive();
      }
      assertThat(scenario.ratio()).as(scenario.name()).isPositive().isFinite();
    }
    try (Stream<Path> left = Files.list(work)) {
      assertThat(left).as("files left in the work directory").isEmpty();
    }
  }

  @Test
  void commandPrintsOneTableAndWritesJson() throws IOException {
    Path json = work.resolve("out/result.json");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Bench.run(
            new String[] {
              "replication",
              "--rows",
              "1_000",
              "--repetitions",
              "1",
              "--warmups",
              "0",
              "--seed",
              "7",
              "--work",
              work.resolve("runs").toString(),
              "--json",
              json.toString()
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    String table = out.toString(StandardCharsets.UTF_8);
    assertThat(table)
        .contains("rows 1,000, repetitions 1", "seed 7", "DuckDB v")
        .containsPattern("(?m)^export DuckDB -> Parquet \\+ metrics +\\|.*\\| [0-9.]+x$")
        .containsPattern("(?m)^import Parquet -> DuckDB +\\|.*\\| [0-9.]+x$");

    List<String> fields = new ArrayList<>();
    try (JsonParser parser = new JsonFactory().createParser(json.toFile())) {
      while (parser.nextToken() != null) {
        if (parser.currentToken() == JsonToken.FIELD_NAME) {
          fields.add(parser.currentName());
        }
      }
    }
    assertThat(fields).contains("machine", "settings", "scenarios", "ratio", "median_seconds");
  }

  @Test
  void usageErrorsNameTheOption() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    PrintStream out = new PrintStream(new ByteArrayOutputStream());

    assertThat(Bench.run(new String[] {"replication", "--rows", "ten"}, out, errStream))
        .isEqualTo(2);
    assertThat(Bench.run(new String[] {"replication", "--speed", "1"}, out, errStream))
        .isEqualTo(2);
    assertThat(Bench.run(new String[] {"nosuch"}, out, errStream)).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("Invalid --rows ten", "Unknown option --speed", "Unknown benchmark 'nosuch'");
  }

  @Test
  void optionsDefaultToTenMillionRowsThreeRepetitionsOneWarmup() {
    ReplicationOptions options = ReplicationOptions.parse(List.of());
    assertThat(options.rows()).isEqualTo(10_000_000);
    assertThat(options.repetitions()).isEqualTo(3);
    assertThat(options.warmups()).isEqualTo(1);
    assertThat(options.json()).isNull();
    assertThat(ReplicationOptions.parse(List.of("--rows", "10,000")).rows()).isEqualTo(10_000);
  }
}
