package io.icecap.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.icecap.bench.AgeBenchmark.Sample;
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
 * The table-age benchmark at a tiny size: a sample after every few writes, each with the table's
 * files, bytes, snapshots and metadata, every write in the table at the end, and nothing left
 * behind.
 */
class AgeBenchmarkTest {
  @TempDir Path work;

  @Test
  void everySampleMeasuresTheTable() throws Exception {
    Path json = work.resolve("out/age.json");
    Path csv = work.resolve("out/age.csv");
    AgeOptions options =
        AgeOptions.parse(
            List.of(
                "--writes",
                "20",
                "--every",
                "5",
                "--max-snapshot-age-ms",
                "2_000",
                "--work",
                work.resolve("runs").toString(),
                "--json",
                json.toString(),
                "--csv",
                csv.toString()));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    AgeBenchmark.Result result =
        new AgeBenchmark(options, new PrintStream(err, true, StandardCharsets.UTF_8)).run();

    assertThat(result.rows()).isEqualTo(20);
    assertThat(result.samples()).extracting(Sample::writes).containsExactly(5, 10, 15, 20);
    assertThat(result.baseline().writes()).isEqualTo(5);
    for (Sample sample : result.samples()) {
      TableFootprint footprint = sample.footprint();
      assertThat(sample.writeP50Nanos()).isPositive().isLessThanOrEqualTo(sample.writeMaxNanos());
      assertThat(footprint.liveFiles()).isBetween(1L, 4L);
      assertThat(footprint.liveBytes()).isPositive().isLessThan(footprint.bytes());
      assertThat(footprint.metadataFiles()).isPositive().isLessThan(footprint.files());
      assertThat(footprint.snapshots()).isPositive();
      assertThat(footprint.metadataJsonBytes())
          .isPositive()
          .isLessThanOrEqualTo(footprint.versionBytes());
      assertThat(footprint.versionBytes()).isLessThan(footprint.metadataBytes());
      assertThat(footprint.versionFiles()).isPositive().isLessThan(footprint.metadataFiles());
    }
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("writes 5/20 after", "writes 20/20 after", "metadata.json");

    AgeReport report = new AgeReport(result);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    report.print(new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("write p50 at 20 / at 5", "files at the end", "metadata.json at the end");
    report.writeJson(json);
    JsonNode document = new ObjectMapper().readTree(json.toFile());
    assertThat(document.get("benchmark").asText()).isEqualTo("age");
    assertThat(document.get("samples")).hasSize(4);
    assertThat(document.get("samples").get(3).get("writes").asInt()).isEqualTo(20);
    report.writeCsv(csv);
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines).hasSize(5);
    assertThat(lines.get(0)).startsWith("writes,elapsed_s,write_p50_ms,");
    assertThat(lines.get(4)).startsWith("20,");
    assertThat(report.figures()).hasSize(4);

    try (Stream<Path> left = Files.list(work.resolve("runs"))) {
      assertThat(left).as("the run's directory is removed").isEmpty();
    }
  }

  @Test
  void badOptionsAreRefused() {
    for (List<String> args :
        List.of(
            List.of("--every", "0"),
            List.of("--writes", "5", "--every", "5"),
            List.of("--max-snapshot-age-ms", "0"),
            List.of("--buckets", "-1"),
            List.of("--writes", "many"),
            List.of("--writes"),
            List.of("--bogus", "1"))) {
      assertThatThrownBy(() -> AgeOptions.parse(args))
          .as(String.join(" ", args))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void theBaselineIsTheSampleAtATenthOfTheWrites() {
    assertThat(AgeOptions.parse(List.of()).baselineWrite()).isEqualTo(1_000);
    assertThat(AgeOptions.parse(List.of("--writes", "2000")).baselineWrite()).isEqualTo(250);
    assertThat(AgeOptions.parse(List.of("--writes", "3000", "--every", "100")).baselineWrite())
        .isEqualTo(300);
  }
}
