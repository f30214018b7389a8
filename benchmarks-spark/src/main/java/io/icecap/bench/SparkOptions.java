package io.icecap.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The settings of one Spark benchmark run.
 *
 * @param rows rows of the orders table
 * @param partitions the orders table's partitions (ranges of ids, as in the query benchmark)
 * @param customers rows of the customers table the join reads
 * @param updates measured single-row UPDATEs on each side
 * @param repetitions measured runs of each query on each side; the median is reported
 * @param warmups unmeasured runs of each query, and unmeasured UPDATEs, on each side first
 * @param seed the seed of the generated data, the looked-up and the updated ids
 * @param work the directory under which the run's own directory is created (and removed)
 * @param json where to write the results as JSON, or null
 */
record SparkOptions(
    long rows,
    int partitions,
    int customers,
    int updates,
    int repetitions,
    int warmups,
    long seed,
    Path work,
    Path json) {
  static final int UPDATES_DEFAULT = 10;

  SparkOptions {
    if (updates <= 0) {
      throw new IllegalArgumentException("--updates must be positive, got " + updates);
    }
    // the query benchmark's checks of rows, partitions, customers and runs
    query(rows, partitions, customers, repetitions, warmups, seed, work);
  }

  static SparkOptions defaults() {
    QueryOptions query = QueryOptions.defaults();
    return new SparkOptions(
        query.rows(),
        query.partitions(),
        query.customers(),
        UPDATES_DEFAULT,
        query.repetitions(),
        query.warmups(),
        query.seed(),
        query.work(),
        null);
  }

  /**
   * Reads {@code --name value} options over the defaults.
   *
   * @throws IllegalArgumentException naming the option that is unknown, lacks a value or is not a
   *     number
   */
  static SparkOptions parse(List<String> args) {
    SparkOptions d = defaults();
    long rows = d.rows;
    int partitions = d.partitions;
    int customers = d.customers;
    int updates = d.updates;
    int repetitions = d.repetitions;
    int warmups = d.warmups;
    long seed = d.seed;
    Path work = d.work;
    Path json = d.json;
    for (Map.Entry<String, String> option : Options.pairs(args)) {
      String name = option.getKey();
      String value = option.getValue();
      switch (name) {
        case "--rows" -> rows = Options.number(name, value);
        case "--partitions" -> partitions = integer(name, value);
        case "--customers" -> customers = integer(name, value);
        case "--updates" -> updates = integer(name, value);
        case "--repetitions" -> repetitions = integer(name, value);
        case "--warmups" -> warmups = integer(name, value);
        case "--seed" -> seed = Options.number(name, value);
        case "--work" -> work = Path.of(value);
        case "--json" -> json = Path.of(value);
        default -> throw new IllegalArgumentException("Unknown option " + name + " of spark");
      }
    }
    return new SparkOptions(
        rows, partitions, customers, updates, repetitions, warmups, seed, work, json);
  }

  /** The query benchmark's settings for the same tables and queries. */
  QueryOptions query() {
    return query(rows, partitions, customers, repetitions, warmups, seed, work);
  }

  /** The width of one partition's id range. */
  long partitionWidth() {
    return query().partitionWidth();
  }

  private static QueryOptions query(
      long rows,
      int partitions,
      int customers,
      int repetitions,
      int warmups,
      long seed,
      Path work) {
    return new QueryOptions(rows, partitions, customers, repetitions, warmups, seed, work, null);
  }

  private static int integer(String name, String value) {
    long number = Options.number(name, value);
    if (number > Integer.MAX_VALUE || number < Integer.MIN_VALUE) {
      throw new IllegalArgumentException("Invalid " + name + " " + value + ": too large");
    }
    return (int) number;
  }
}
