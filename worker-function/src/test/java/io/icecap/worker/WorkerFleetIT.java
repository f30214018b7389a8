package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.testing.RedisServerExtension;
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
  void startsWorkersThatAreKilledOneByOne() {
    Map<String, String> options =
        Map.of("catalog", "test", "uri", REDIS.server().uri(), "warehouse", warehouse.toString());
    WorkerFleet fleet = WorkerFleet.start(2, options, work);
    try {
      assertThat(fleet.size()).isEqualTo(2);
      assertThat(fleet.id(1)).isEqualTo("worker-1");
      assertThat(fleet.output(1)).contains(WorkerFleet.readyLine("worker-1"));
      assertThat(work.resolve("worker-0")).isDirectory();

      fleet.suspend(0);
      fleet.resume(0);
      assertThat(fleet.isAlive(0)).isTrue();

      assertThat(fleet.kill(0)).isEqualTo(137);
      assertThat(fleet.isAlive(0)).isFalse();
      assertThat(fleet.isAlive(1)).isTrue();
      assertThat(fleet.kill(0)).as("a dead worker's exit value").isEqualTo(137);
      assertThatThrownBy(() -> fleet.suspend(0)).hasMessageContaining("has exited");
    } finally {
      fleet.close();
    }
    assertThat(fleet.isAlive(1)).isFalse();
    fleet.close();
  }

  @Test
  void aWorkerThatExitsBeforeItIsReadyFailsTheStartWithWhatItPrinted() {
    Map<String, String> options = Map.of("warehouse", warehouse.toString());
    assertThatThrownBy(() -> WorkerFleet.start(1, options, work))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Worker process worker-0 exited with code 1 before it could become")
        .hasMessageContaining("Missing option --uri=...");
  }

  @Test
  void eachWorkerHasItsOwnIdAndWorkDirectory() {
    assertThatThrownBy(() -> WorkerFleet.start(2, Map.of("id", "same"), work))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--id is each worker's own");
  }
}
