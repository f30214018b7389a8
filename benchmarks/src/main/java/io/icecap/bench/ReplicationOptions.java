package io.icecap.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The settings of one replication benchmark run.
 *
 * @param rows rows in the generated partition
 * @param repetitions measured repetitions of every scenario; the median is reported
 * @param warmups unmeasured repetitions run first
 * @param seed the seed of the generated data
 * @param work the directory under which the run's own directory is created (and removed)
 * @param json where to write the results as JSON, or null
 */
record ReplicationOptions(
    long rows, int repetitions, int warmups, long seed, Path work, Path json) {
  static final long ROWS_DEFAULT = 10_000_000;
  static final int REPETITIONS_DEFAULT = 3;
  static final int WARMUPS_DEFAULT = 1;
  static final long SEED_DEFAULT = 42;

  ReplicationOptions {
    if (rows <= 0) {
      throw new IllegalArgumentException("Invalid --rows " + rows + ": must be positive");
    }
    if (repetitions <= 0) {
      throw new IllegalArgumentException(
          "Invalid --repetitions " + repetitions + ": must be positive");
    }
    if (warmups < 0) {
      throw new IllegalArgumentException("Invalid --warmups " + warmups + ": must be 0 or more");
    }
    if (work == null) {
      throw new IllegalArgumentException("work is null");
    }
  }

  /** The defaults, with the work directory in the system's temp directory. */
  static ReplicationOptions defaults() {
    return new ReplicationOptions(
        ROWS_DEFAULT,
        REPETITIONS_DEFAULT,
        WARMUPS_DEFAULT,
        SEED_DEFAULT,
        Path.of(System.getProperty("java.io.tmpdir")),
        null);
  }

  /**
   * Reads {@code --name value} options over the defaults.
   *
   * @throws IllegalArgumentException naming the option that is unknown, lacks a value or is not a
   *     number
   */
  static ReplicationOptions parse(List<String> args) {
    ReplicationOptions options = defaults();
    for (Map.Entry<String, String> option : Options.pairs(args)) {
      String name = option.getKey();
      String value = option.getValue();
      options =
          switch (name) {
            case "--rows" -> options.withRows(Options.number(name, value));
            case "--repetitions" ->
                options.withRepetitions(Math.toIntExact(Options.number(name, value)));
            case "--warmups" -> options.withWarmups(Math.toIntExact(Options.number(name, value)));
            case "--seed" -> options.withSeed(Options.number(name, value));
            case "--work" -> options.withWork(Path.of(value));
            case "--json" -> options.withJson(Path.of(value));
            default -> throw new IllegalArgumentException("Unknown option " + name);
          };
    }
    return options;
  }

  ReplicationOptions withRows(long value) {
    return new ReplicationOptions(value, repetitions, warmups, seed, work, json);
  }

  ReplicationOptions withRepetitions(int value) {
    return new ReplicationOptions(rows, value, warmups, seed, work, json);
  }

  ReplicationOptions withWarmups(int value) {
    return new ReplicationOptions(rows, repetitions, value, seed, work, json);
  }

  ReplicationOptions withSeed(long value) {
    return new ReplicationOptions(rows, repetitions, warmups, value, work, json);
  }

  ReplicationOptions withWork(Path value) {
    return new ReplicationOptions(rows, repetitions, warmups, seed, value, json);
  }

  ReplicationOptions withJson(Path value) {
    return new ReplicationOptions(rows, repetitions, warmups, seed, work, value);
  }
}
