package io.icecap.worker;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Pauses between retries that double from {@code first} up to {@code max}, each one drawn between
 * half and all of its nominal length, so that processes that failed together do not retry together.
 *
 * @param first the nominal pause after the first failure
 * @param max the longest nominal pause
 */
record Backoff(Duration first, Duration max) {
  Backoff {
    requireNonNull(first, "first is null");
    requireNonNull(max, "max is null");
    if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException(
          "A backoff needs 0 < first <= max, got first " + first + " and max " + max);
    }
  }

  /** The nominal pause after {@code failures} failures in a row (at least 1): no jitter. */
  Duration nominal(int failures) {
    if (failures < 1) {
      throw new IllegalArgumentException("failures must be at least 1, got " + failures);
    }
    Duration pause = first.multipliedBy(1L << Math.min(failures - 1, 30));
    return pause.compareTo(max) > 0 || pause.isNegative() ? max : pause;
  }

  /** The pause after {@code failures} failures in a row: between half and all of the nominal. */
  Duration pause(int failures) {
    long nanos = nominal(failures).toNanos();
    return Duration.ofNanos(nanos / 2 + ThreadLocalRandom.current().nextLong(nanos / 2 + 1));
  }
}
