package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.testing.RedisServerExtension;
import io.icecap.testing.TestingJvmFleet;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The worker-process fixture: start, kill, stop and the failures it reports. */
class WorkerFleetIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  @TempDir Path warehouse;
  @TempDir Path work;

  @Test
  void startsWorkersEachWithItsIdAndWorkDirectoryAndKillsThemOnClose() {
    Map<String, String> options =
        Map.of("catalog", "test", "uri", REDIS.server().uri(), "warehouse", warehouse.toString());
    TestingJvmFleet fleet = WorkerFleet.start(2, options, work);
    try {
      assertThat(fleet.ids()).containsExactly("worker-0", "worker-1");
      assertThat(fleet.output(1)).contains(WorkerProcess.readyLine("worker-1"));
      assertThat(work.resolve("worker-0")).isDirectory();
      assertThat(fleet.kill(0)).as("killed by SIGKILL").isEqualTo(137);
      assertThat(fleet.isAlive(1)).isTrue();
    } finally {
      fleet.close();
    }
    assertThat(fleet.isAlive(1)).isFalse();
    assertThat(fleet.exited()).hasSize(2).last().asString().startsWith("worker-1 (exit 137)");
  }

  @Test
  void catalogPropertiesGoOnePerArgument() {
    assertThat(
            WorkerProcess.arguments("w", work, Map.of("uri", "redis://x", "property", "a=1\nb=2")))
        .startsWith("--id=w", "--work-dir=" + work)
        .containsExactlyInAnyOrder(
            "--id=w", "--work-dir=" + work, "--uri=redis://x", "--property=a=1", "--property=b=2");
  }

  @Test
  void aWorkerThatExitsBeforeItIsReadyFailsTheStartWithWhatItPrinted() {
    Map<String, String> options = Map.of("warehouse", warehouse.toString());
    assertThatThrownBy(() -> WorkerFleet.start(1, options, work))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Child JVM worker-0 exited with code 1 before it could become ready")
        .hasMessageContaining("Missing option --uri=...");
  }

  @Test
  void eachWorkerHasItsOwnIdAndWorkDirectory() {
    assertThatThrownBy(() -> WorkerFleet.start(2, Map.of("id", "same"), work))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--id is each worker's own");
  }
}
