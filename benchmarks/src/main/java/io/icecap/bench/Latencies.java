package io.icecap.bench;

import java.util.Arrays;

/**
 * The distribution of a set of measured times: nearest-rank percentiles of the sorted samples.
 *
 * @param count how many samples
 * @param meanNanos their mean
 * @param p50Nanos the median
 * @param p90Nanos the 90th percentile
 * @param p99Nanos the 99th percentile
 * @param p999Nanos the 99.9th percentile
 * @param maxNanos the largest
 */
record Latencies(
    int count,
    double meanNanos,
    long p50Nanos,
    long p90Nanos,
    long p99Nanos,
    long p999Nanos,
    long maxNanos) {
  Latencies {
    if (count <= 0) {
      throw new IllegalArgumentException("A distribution needs at least one sample");
    }
  }

  /** The distribution of {@code nanos}, which is not changed. */
  static Latencies of(long[] nanos) {
    if (nanos.length == 0) {
      throw new IllegalArgumentException("A distribution needs at least one sample");
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    double sum = 0;
    for (long n : sorted) {
      sum += n;
    }
    return new Latencies(
        sorted.length,
        sum / sorted.length,
        rank(sorted, 0.50),
        rank(sorted, 0.90),
        rank(sorted, 0.99),
        rank(sorted, 0.999),
        sorted[sorted.length - 1]);
  }

  /** The nearest-rank percentile: the smallest sample at or above {@code fraction} of them. */
  private static long rank(long[] sorted, double fraction) {
    int index = (int) Math.ceil(fraction * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  double meanMillis() {
    return meanNanos / 1e6;
  }

  double p50Millis() {
    return p50Nanos / 1e6;
  }

  double p90Millis() {
    return p90Nanos / 1e6;
  }

  double p99Millis() {
    return p99Nanos / 1e6;
  }

  double p999Millis() {
    return p999Nanos / 1e6;
  }

  double maxMillis() {
    return maxNanos / 1e6;
  }
}
