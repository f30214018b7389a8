package io.icecap.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The settings of one run of the compaction benchmark.
 *
 * @param appends appends that fill each table, one Iceberg commit each
 * @param rowsPerAppend rows of each append, spread over every partition
 * @param partitions the tables' partitions ({@code part = id % partitions}, identity)
 * @param targetFileSizeBytes both tables' {@code write.target-file-size-bytes}
 * @param seed the seed of the generated rows
 * @param work the directory under which the run's own directory is created (and removed)
 * @param json where to write the results as JSON, or null
 */
record CompactionOptions(
    int appends,
    int rowsPerAppend,
    int partitions,
    long targetFileSizeBytes,
    long seed,
    Path work,
    Path json) {
  CompactionOptions {
    if (appends < 2) {
      throw new IllegalArgumentException(
          "--appends must be at least 2 (one file per partition has nothing to compact), got "
              + appends);
    }
    if (partitions <= 0 || rowsPerAppend < partitions) {
      throw new IllegalArgumentException(
          "--partitions must be positive and at most --rows-per-append (got --partitions "
              + partitions
              + ", --rows-per-append "
              + rowsPerAppend
              + ")");
    }
    if (targetFileSizeBytes <= 0) {
      throw new IllegalArgumentException(
          "--target-file-size must be positive, got " + targetFileSizeBytes);
    }
    if (work == null) {
      throw new IllegalArgumentException("work is null");
    }
  }

  static CompactionOptions defaults() {
    return new CompactionOptions(
        200, 5_000, 4, 128L << 20, 42, Path.of(System.getProperty("java.io.tmpdir")), null);
  }

  /**
   * Reads {@code --name value} options over the defaults.
   *
   * @throws IllegalArgumentException naming the option that is unknown, lacks a value or is not a
   *     number, or when the values do not fit together
   */
  static CompactionOptions parse(List<String> args) {
    CompactionOptions d = defaults();
    long appends = d.appends;
    long rows = d.rowsPerAppend;
    long partitions = d.partitions;
    long target = d.targetFileSizeBytes;
    long seed = d.seed;
    Path work = d.work;
    Path json = d.json;
    for (Map.Entry<String, String> option : Options.pairs(args)) {
      String name = option.getKey();
      String value = option.getValue();
      switch (name) {
        case "--appends" -> appends = Options.number(name, value);
        case "--rows-per-append" -> rows = Options.number(name, value);
        case "--partitions" -> partitions = Options.number(name, value);
        case "--target-file-size" -> target = Options.number(name, value);
        case "--seed" -> seed = Options.number(name, value);
        case "--work" -> work = Path.of(value);
        case "--json" -> json = Path.of(value);
        default -> throw new IllegalArgumentException("Unknown option " + name);
      }
    }
    return new CompactionOptions(
        integer("--appends", appends),
        integer("--rows-per-append", rows),
        integer("--partitions", partitions),
        target,
        seed,
        work,
        json);
  }

  /** Rows in each table. */
  long rows() {
    return (long) appends * rowsPerAppend;
  }

  private static int integer(String name, long number) {
    if (number > Integer.MAX_VALUE || number < Integer.MIN_VALUE) {
      throw new IllegalArgumentException("Invalid " + name + " " + number + ": too large");
    }
    return (int) number;
  }
}
