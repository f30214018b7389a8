package io.icecap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * The cold-start benchmark at a tiny size, on the Lambda package {@code worker-function} built
 * before this module: every phase has a figure, and nothing is left behind.
 */
class ColdStartBenchmarkTest {
  @TempDir Path work;

  @Test
  void everyPhaseHasAFigure() throws Exception {
    Path json = work.resolve("coldstart.json");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ColdStartBenchmark.Options options =
        ColdStartBenchmark.Options.parse(
            List.of(
                "--writes", "5",
                "--repetitions", "1",
                "--warmups", "0",
                "--work", work.resolve("runs").toString(),
                "--json", json.toString()));
    ColdStartBenchmark.Result result =
        new ColdStartBenchmark(options, new PrintStream(err, true, StandardCharsets.UTF_8)).run();

    assertThat(result.unzippedBytes()).isBetween(1L, 250_000_000L);
    assertThat(result.cold()).hasSize(1);
    assertThat(result.cold().get(0).total()).isPositive();
    assertThat(result.cold().get(0).invoke()).isPositive();
    assertThat(result.warmInvoke()).hasSize(1);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ColdStartBenchmark.Report report = new ColdStartBenchmark.Report(result);
    report.print(new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("cold: first invocation", "warm: invocation (baseline)", "MB unzipped");
    report.writeJson(json);
    JsonNode document = new ObjectMapper().readTree(json.toFile());
    assertThat(document.get("benchmark").asText()).isEqualTo("coldstart");
    assertThat(document.get("median_ms").get("cold_total").asLong()).isPositive();
    assertThat(document.get("settings").get("package_unzipped_bytes").asLong()).isPositive();
    try (Stream<Path> left = Files.list(work.resolve("runs"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void badOptionsAreRefusedWithTheUsage() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertThat(Bench.run(new String[] {"coldstart", "--writes", "0"}, stream, stream)).isEqualTo(2);
    assertThat(Bench.run(new String[] {"coldstart", "--writes"}, stream, stream)).isEqualTo(2);
    assertThat(Bench.run(new String[] {"coldstart", "--bogus", "1"}, stream, stream)).isEqualTo(2);
    assertThat(
            Bench.run(
                new String[] {"coldstart", "--package", work.resolve("none.zip").toString()},
                stream,
                stream))
        .isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains(
            "--writes and --repetitions must be positive",
            "Option --writes needs a value",
            "Unknown option --bogus",
            "Usage: Bench");
  }
}
