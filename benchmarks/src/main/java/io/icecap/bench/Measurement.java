package io.icecap.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The wall-clock times of the measured repetitions of one side of a scenario, and the rows and
 * Parquet bytes each repetition moved.
 *
 * @param nanos the time of every measured repetition, in run order
 * @param rows rows moved by one repetition
 * @param bytes Parquet bytes written (export) or read (import) by one repetition
 */
record Measurement(List<Long> nanos, long rows, long bytes) {
  Measurement {
    nanos = List.copyOf(nanos);
    if (nanos.isEmpty()) {
      throw new IllegalArgumentException("A measurement needs at least one repetition");
    }
  }

  /** The median time in seconds (the mean of the middle two for an even count). */
  double medianSeconds() {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    int middle = sorted.size() / 2;
    double median =
        sorted.size() % 2 == 1
            ? sorted.get(middle)
            : (sorted.get(middle - 1) + (double) sorted.get(middle)) / 2;
    return median / 1e9;
  }

  /** Every repetition's time in seconds. */
  List<Double> seconds() {
    return nanos.stream().map(n -> n / 1e9).toList();
  }

  double rowsPerSecond() {
    return rows / medianSeconds();
  }

  /** Parquet megabytes (10^6 bytes) per second. */
  double megabytesPerSecond() {
    return bytes / 1e6 / medianSeconds();
  }
}
