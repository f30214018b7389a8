package io.icecap.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The settings of one run of the table-age benchmark.
 *
 * @param writes awaited single-row INSERTs, one after the other
 * @param every a sample of the table is taken after every this many writes
 * @param maxSnapshotAgeMs the table's {@code history.expire.max-snapshot-age-ms}
 * @param buckets the table's partitions, {@code bucket(buckets, id)}
 * @param seed the seed of the values written
 * @param work the directory under which the run's own directory is created (and removed)
 * @param json where to write the results (every sample) as JSON, or null
 * @param csv where to write the samples as CSV, or null
 */
record AgeOptions(
    int writes,
    int every,
    long maxSnapshotAgeMs,
    int buckets,
    long seed,
    Path work,
    Path json,
    Path csv) {
  AgeOptions {
    if (every <= 0 || writes < 2 * every) {
      throw new IllegalArgumentException(
          "--every must be positive and --writes at least twice --every (got --writes "
              + writes
              + ", --every "
              + every
              + ")");
    }
    if (maxSnapshotAgeMs <= 0) {
      throw new IllegalArgumentException(
          "--max-snapshot-age-ms must be positive, got " + maxSnapshotAgeMs);
    }
    if (buckets <= 0) {
      throw new IllegalArgumentException("--buckets must be positive, got " + buckets);
    }
    if (work == null) {
      throw new IllegalArgumentException("work is null");
    }
  }

  static AgeOptions defaults() {
    return new AgeOptions(
        10_000, 250, 60_000, 4, 42, Path.of(System.getProperty("java.io.tmpdir")), null, null);
  }

  /**
   * Reads {@code --name value} options over the defaults.
   *
   * @throws IllegalArgumentException naming the option that is unknown, lacks a value or is not a
   *     number, or when the values do not fit together
   */
  static AgeOptions parse(List<String> args) {
    AgeOptions d = defaults();
    long writes = d.writes;
    long every = d.every;
    long maxAge = d.maxSnapshotAgeMs;
    long buckets = d.buckets;
    long seed = d.seed;
    Path work = d.work;
    Path json = d.json;
    Path csv = d.csv;
    for (Map.Entry<String, String> option : Options.pairs(args)) {
      String name = option.getKey();
      String value = option.getValue();
      switch (name) {
        case "--writes" -> writes = Options.number(name, value);
        case "--every" -> every = Options.number(name, value);
        case "--max-snapshot-age-ms" -> maxAge = Options.number(name, value);
        case "--buckets" -> buckets = Options.number(name, value);
        case "--seed" -> seed = Options.number(name, value);
        case "--work" -> work = Path.of(value);
        case "--json" -> json = Path.of(value);
        case "--csv" -> csv = Path.of(value);
        default -> throw new IllegalArgumentException("Unknown option " + name);
      }
    }
    return new AgeOptions(
        integer("--writes", writes),
        integer("--every", every),
        maxAge,
        integer("--buckets", buckets),
        seed,
        work,
        json,
        csv);
  }

  /** The write whose sample is the baseline: the first sample at or after a tenth of the writes. */
  int baselineWrite() {
    int tenth = Math.max(every, writes / 10);
    return (tenth + every - 1) / every * every;
  }

  private static int integer(String name, long number) {
    if (number > Integer.MAX_VALUE || number < Integer.MIN_VALUE) {
      throw new IllegalArgumentException("Invalid " + name + " " + number + ": too large");
    }
    return (int) number;
  }
}
