package io.icecap.bench;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The compaction benchmark with this module on the class path: Spark's rewrite_data_files compacts
 * a third copy of the table, beside Icecap and the Iceberg Java API, and keeps its rows.
 */
class SparkCompactionTest {
  @TempDir Path work;

  @Test
  void sparkCompactsAThirdCopyOfTheTable() throws Exception {
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
                work.resolve("runs").toString()));
    CompactionBenchmark.Result result =
        new CompactionBenchmark(
                options, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
            .run();

    assertThat(result.others()).extracting(Side::name).containsExactly("Spark rewrite_data_files");
    Side spark = result.others().get(0);
    assertThat(spark.filesBefore()).isEqualTo(12);
    // six files per partition: at least rewrite_data_files' five input files, so both rewritten
    assertThat(spark.filesAfter()).isEqualTo(2);
    assertThat(spark.filesWritten()).isEqualTo(2);
    assertThat(spark.digest()).isEqualTo(result.expected());
    assertThat(new CompactionReport(result).figures()).hasSize(4);

    try (Stream<Path> left = Files.list(work.resolve("runs"))) {
      assertThat(left).as("the run's directory is removed").isEmpty();
    }
  }
}
