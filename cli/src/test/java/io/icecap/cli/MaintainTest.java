package io.icecap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.worker.maintenance.MaintenanceProgress;
import io.icecap.worker.maintenance.MaintenanceReport;
import io.icecap.worker.maintenance.MaintenanceTask;
import io.icecap.worker.maintenance.TaskReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;

/** What {@code icecap maintain} prints: its progress and its summary. */
class MaintainTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void onATerminalProgressRewritesOneLine() {
    Maintain.Progress progress = Maintain.progress(true, stream);
    progress.progress(MaintenanceTask.COMPACT, "rewriting partitions", 0, 4);
    progress.progress(MaintenanceTask.COMPACT, "rewriting partitions", 4, 4);
    progress.progress(MaintenanceTask.ORPHANS, "listing files", 1234, -1);
    progress.end();
    String text = text();
    assertThat(text)
        .startsWith("\rcompact  rewriting partitions: 0/4 [                    ]   0%")
        .contains("\rcompact  rewriting partitions: 4/4 [####################] 100%")
        .contains("\rorphans  listing files: 1234")
        .endsWith(System.lineSeparator());
    assertThat(text.chars().filter(c -> c == '\n').count()).as("one line, rewritten").isEqualTo(1);
  }

  @Test
  void elsewhereProgressIsALinePerStep() {
    MaintenanceProgress progress = Maintain.progress(false, stream);
    for (int done = 0; done <= 100; done++) {
      progress.progress(MaintenanceTask.EXPIRE, "deleting files", done, 100);
    }
    progress.progress(MaintenanceTask.ORPHANS, "listing files", 5, -1);
    progress.progress(MaintenanceTask.ORPHANS, "listing files", 9, -1);
    assertThat(text().lines())
        .containsExactly(
            "expire: deleting files (100)",
            "expire: deleting files done, 100/100",
            "orphans: listing files");
    assertThat(text()).doesNotContain("\r");
  }

  @Test
  void theSummaryHasARowPerTaskTotalsAndADryRunsFilesCapped() {
    List<String> files =
        IntStream.range(0, 60).mapToObj(i -> "s3://b/t/data/f" + i + ".parquet").toList();
    MaintenanceReport report =
        new MaintenanceReport(
            TableIdentifier.of("m", "t"),
            true,
            List.of(
                new TaskReport(
                    MaintenanceTask.COMPACT,
                    0,
                    12,
                    1200,
                    2,
                    1000,
                    3,
                    List.of(),
                    Duration.ofMillis(1500)),
                new TaskReport(
                    MaintenanceTask.EXPIRE, 7, 70, 7000, 0, 0, 0, files, Duration.ofMillis(200))),
            Duration.ofMillis(1800));
    new Maintain(null, stream, stream, false).print(report);
    String text = text();
    assertThat(text)
        .contains("Dry run of the maintenance of m.t in 1.8 s")
        .containsPattern("compact +\\| +0 \\| +12 \\| +1200 \\| +2 \\| +1000 \\| +3 \\| 1.5 s")
        .containsPattern("expire +\\| +7 \\| +70 \\| +7000 \\| +0 \\| +0 \\| +0 \\| 0.2 s")
        .containsPattern("total +\\| +7 \\| +82 \\| +8200 \\| +2 \\| +1000 \\| +3 \\| 1.8 s")
        .contains("Nothing was changed. Files the run would remove:")
        .contains("  expire  s3://b/t/data/f49.parquet")
        .doesNotContain("f50.parquet")
        .contains("… and 32 more");
  }
}
