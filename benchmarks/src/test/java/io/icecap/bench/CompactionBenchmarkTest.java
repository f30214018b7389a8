package io.icecap.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.icecap.bench.CompactionBenchmark.Side;
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
 * The compaction benchmark at a tiny size: both sides compact the same small files into one file
 * per partition and keep every row.
 */
class CompactionBenchmarkTest {
  @TempDir Path work;

  @Test
  void bothSidesCompactEveryPartitionAndKeepTheRows() throws Exception {
    Path json = work.resolve("out/compaction.json");
    CompactionOptions options =
        CompactionOptions.parse(
            List.of(
                "--appends",
                "6",
                "--rows-per-append",
                "400",
                "--partitions",
                "2",
                "--work",
                work.resolve("runs").toString(),
                "--json",
                json.toString()));
    CompactionBenchmark.Result result =
        new CompactionBenchmark(
                options, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
            .run();

    assertThat(result.expected().rows()).isEqualTo(2_400);
    for (Side side : List.of(result.icecap(), result.iceberg())) {
      assertThat(side.filesBefore()).as(side.name()).isEqualTo(12);
      assertThat(side.filesAfter()).as(side.name()).isEqualTo(2);
      assertThat(side.partitions()).as(side.name()).isEqualTo(2);
      assertThat(side.digest()).as(side.name()).isEqualTo(result.expected());
      assertThat(side.nanos()).isPositive();
      assertThat(side.filesWritten()).as(side.name()).isGreaterThanOrEqualTo(2);
      assertThat(side.bytesWritten()).as(side.name()).isGreaterThanOrEqualTo(side.bytesAfter());
    }
    assertThat(result.iceberg().filesWritten()).isEqualTo(2);

    CompactionReport report = new CompactionReport(result);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    report.print(new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("Icecap", "Iceberg Java API", "Every table holds the 2,400 rows it held before");
    report.writeJson(json);
    JsonNode document = new ObjectMapper().readTree(json.toFile());
    assertThat(document.get("benchmark").asText()).isEqualTo("compaction");
    assertThat(document.get("sides")).hasSize(2);
    assertThat(report.figures()).hasSize(2);

    try (Stream<Path> left = Files.list(work.resolve("runs"))) {
      assertThat(left).as("the run's directory is removed").isEmpty();
    }
  }

  @Test
  void badOptionsAreRefused() {
    for (List<String> args :
        List.of(
            List.of("--appends", "1"),
            List.of("--partitions", "0"),
            List.of("--rows-per-append", "3", "--partitions", "4"),
            List.of("--target-file-size", "0"),
            List.of("--appends", "lots"),
            List.of("--bogus", "1"))) {
      assertThatThrownBy(() -> CompactionOptions.parse(args))
          .as(String.join(" ", args))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
