package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkerOptionsTest {
  private static final String URI = "--uri=redis://127.0.0.1:6390";
  private static final String WAREHOUSE = "--warehouse=/tmp/warehouse";

  @Test
  void aWorkerProcessChecksForDueMaintenanceEveryTenSecondsUnlessToldOtherwise() {
    assertThat(WorkerOptions.parse(new String[] {URI, WAREHOUSE}).maintainEvery())
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(
            WorkerOptions.parse(new String[] {URI, WAREHOUSE, "--maintenance-ms=2500"})
                .maintainEvery())
        .isEqualTo(Duration.ofMillis(2500));
    assertThat(
            WorkerOptions.parse(new String[] {URI, WAREHOUSE, "--maintenance-ms=0"})
                .maintainEvery())
        .as("none")
        .isZero();
  }

  @Test
  void aMalformedMaintenanceIntervalIsRefusedWithItsName() {
    for (String value : new String[] {"-1", "ten", "", "1e4"}) {
      assertThatThrownBy(
              () -> WorkerOptions.parse(new String[] {URI, WAREHOUSE, "--maintenance-ms=" + value}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--maintenance-ms must be a whole number of at least 0")
          .hasMessageContaining("'" + value + "'");
    }
  }
}
