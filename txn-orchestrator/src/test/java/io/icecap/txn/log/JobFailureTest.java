package io.icecap.txn.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A failing table is tried again after 1 s, then 2, 4, ... up to 60 s between tries. */
class JobFailureTest {
  private static final Instant AT = Instant.parse("2026-11-20T10:00:00Z");

  private static JobFailure failed(int times) {
    return new JobFailure(AT, "w-1", "no space left on device", times);
  }

  @Test
  void theRetryDelayDoublesWithEachFailureInARowUpToAMinute() {
    assertThat(failed(1).retryDelay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(failed(2).retryDelay()).isEqualTo(Duration.ofSeconds(2));
    assertThat(failed(6).retryDelay()).isEqualTo(Duration.ofSeconds(32));
    assertThat(failed(7).retryDelay()).isEqualTo(Duration.ofSeconds(60));
    assertThat(failed(1_000).retryDelay()).isEqualTo(Duration.ofSeconds(60));
    assertThat(failed(3).retryAt()).isEqualTo(AT.plusSeconds(4));
  }

  @Test
  void aFailureCountsAtLeastOnce() {
    assertThatThrownBy(() -> failed(0)).hasMessageContaining("failures must be at least 1");
  }
}
