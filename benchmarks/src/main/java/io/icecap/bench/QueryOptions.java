package io.icecap.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The settings of one query benchmark run.
 *
 * @param rows rows of the orders table
 * @param partitions the orders table's partitions (ranges of ids, {@code truncate(rows /
 *     partitions, id)})
 * @param customers rows of the customers table the join reads
 * @param repetitions measured runs of each query on each side; the median is reported
 * @param warmups unmeasured runs of each query on each side first
 * @param seed the seed of the generated data and of the looked-up ids
 * @param work the directory under which the run's own directory is created (and removed)
 * @param json where to write the results as JSON, or null
 */
record QueryOptions(
    long rows,
    int partitions,
    int customers,
    int repetitions,
    int warmups,
    long seed,
    Path work,
    Path json) {
  static final long ROWS_DEFAULT = 10_000_000;
  static final int PARTITIONS_DEFAULT = 16;
  static final int CUSTOMERS_DEFAULT = 1_000_000;
  static final int REPETITIONS_DEFAULT = 7;
  static final int WARMUPS_DEFAULT = 2;
  static final long SEED_DEFAULT = 42;

  QueryOptions {
    if (rows < partitions) {
      throw new IllegalArgumentException(
          "--rows " + rows + " must be at least --partitions " + partitions);
    }
    if (partitions <= 0 || customers <= 0 || repetitions <= 0 || warmups < 0) {
      throw new IllegalArgumentException(
          "--partitions, --customers and --repetitions must be positive, --warmups not negative");
    }
    if (work == null) {
      throw new IllegalArgumentException("work is null");
    }
  }

  static QueryOptions defaults() {
    return new QueryOptions(
        ROWS_DEFAULT,
        PARTITIONS_DEFAULT,
        CUSTOMERS_DEFAULT,
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
  static QueryOptions parse(List<String> args) {
    QueryOptions o = defaults();
    for (Map.Entry<String, String> option : Options.pairs(args)) {
      String name = option.getKey();
      String value = option.getValue();
      o =
          switch (name) {
            case "--rows" -> o.with(Options.number(name, value), o.partitions, o.customers);
            case "--partitions" -> o.with(o.rows, integer(name, value), o.customers);
            case "--customers" -> o.with(o.rows, o.partitions, integer(name, value));
            case "--repetitions" -> o.withRuns(integer(name, value), o.warmups);
            case "--warmups" -> o.withRuns(o.repetitions, integer(name, value));
            case "--seed" -> o.withSeed(Options.number(name, value));
            case "--work" -> o.withWork(Path.of(value));
            case "--json" -> o.withJson(Path.of(value));
            default -> throw new IllegalArgumentException("Unknown option " + name);
          };
    }
    return o;
  }

  /** The width of one partition's id range. */
  long partitionWidth() {
    return (rows + partitions - 1) / partitions;
  }

  QueryOptions with(long rows, int partitions, int customers) {
    return new QueryOptions(rows, partitions, customers, repetitions, warmups, seed, work, json);
  }

  QueryOptions withRuns(int repetitions, int warmups) {
    return new QueryOptions(rows, partitions, customers, repetitions, warmups, seed, work, json);
  }

  QueryOptions withSeed(long seed) {
    return new QueryOptions(rows, partitions, customers, repetitions, warmups, seed, work, json);
  }

  QueryOptions withJson(Path json) {
    return new QueryOptions(rows, partitions, customers, repetitions, warmups, seed, work, json);
  }

  QueryOptions withWork(Path work) {
    return new QueryOptions(rows, partitions, customers, repetitions, warmups, seed, work, json);
  }

  private static int integer(String name, String value) {
    long number = Options.number(name, value);
    if (number > Integer.MAX_VALUE || number < Integer.MIN_VALUE) {
      throw new IllegalArgumentException("Invalid " + name + " " + value + ": too large");
    }
    return (int) number;
  }
}
