package io.icecap.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The settings of one run of the deletes benchmark.
 *
 * @param rows rows of the orders table
 * @param partitions its partitions (ranges of ids, {@code truncate(rows / partitions, id)})
 * @param positionEvery one row in this many is deleted by position, in every data file
 * @param equalityDeletes ids deleted by equality deletes, spread over the partitions
 * @param repetitions measured runs of each query on each side; the median is reported
 * @param warmups unmeasured runs of each query on each side first
 * @param seed the seed of the generated data and of the deleted ids
 * @param work the directory under which the run's own directory is created (and removed)
 * @param json where to write the results as JSON, or null
 */
record DeletesOptions(
    long rows,
    int partitions,
    int positionEvery,
    int equalityDeletes,
    int repetitions,
    int warmups,
    long seed,
    Path work,
    Path json) {
  DeletesOptions {
    if (rows < partitions || partitions <= 0) {
      throw new IllegalArgumentException(
          "--partitions must be positive and at most --rows, got " + partitions);
    }
    if (positionEvery <= 1 || equalityDeletes < 0 || equalityDeletes > rows) {
      throw new IllegalArgumentException(
          "--position-every must be above 1, --equality-deletes between 0 and --rows");
    }
    if (repetitions <= 0 || warmups < 0) {
      throw new IllegalArgumentException("--repetitions must be positive, --warmups not negative");
    }
    if (work == null) {
      throw new IllegalArgumentException("work is null");
    }
  }

  static DeletesOptions defaults() {
    return new DeletesOptions(
        10_000_000, 16, 100, 10_000, 7, 2, 42, Path.of(System.getProperty("java.io.tmpdir")), null);
  }

  /**
   * Reads {@code --name value} options over the defaults.
   *
   * @throws IllegalArgumentException naming the option that is unknown, lacks a value or is not a
   *     number
   */
  static DeletesOptions parse(List<String> args) {
    DeletesOptions o = defaults();
    for (Map.Entry<String, String> option : Options.pairs(args)) {
      String name = option.getKey();
      String value = option.getValue();
      long n = name.equals("--work") || name.equals("--json") ? 0 : Options.number(name, value);
      o =
          switch (name) {
            case "--rows" ->
                new DeletesOptions(
                    n,
                    o.partitions,
                    o.positionEvery,
                    o.equalityDeletes,
                    o.repetitions,
                    o.warmups,
                    o.seed,
                    o.work,
                    o.json);
            case "--partitions" ->
                new DeletesOptions(
                    o.rows,
                    integer(name, n),
                    o.positionEvery,
                    o.equalityDeletes,
                    o.repetitions,
                    o.warmups,
                    o.seed,
                    o.work,
                    o.json);
            case "--position-every" ->
                new DeletesOptions(
                    o.rows,
                    o.partitions,
                    integer(name, n),
                    o.equalityDeletes,
                    o.repetitions,
                    o.warmups,
                    o.seed,
                    o.work,
                    o.json);
            case "--equality-deletes" ->
                new DeletesOptions(
                    o.rows,
                    o.partitions,
                    o.positionEvery,
                    integer(name, n),
                    o.repetitions,
                    o.warmups,
                    o.seed,
                    o.work,
                    o.json);
            case "--repetitions" ->
                new DeletesOptions(
                    o.rows,
                    o.partitions,
                    o.positionEvery,
                    o.equalityDeletes,
                    integer(name, n),
                    o.warmups,
                    o.seed,
                    o.work,
                    o.json);
            case "--warmups" ->
                new DeletesOptions(
                    o.rows,
                    o.partitions,
                    o.positionEvery,
                    o.equalityDeletes,
                    o.repetitions,
                    integer(name, n),
                    o.seed,
                    o.work,
                    o.json);
            case "--seed" ->
                new DeletesOptions(
                    o.rows,
                    o.partitions,
                    o.positionEvery,
                    o.equalityDeletes,
                    o.repetitions,
                    o.warmups,
                    n,
                    o.work,
                    o.json);
            case "--work" ->
                new DeletesOptions(
                    o.rows,
                    o.partitions,
                    o.positionEvery,
                    o.equalityDeletes,
                    o.repetitions,
                    o.warmups,
                    o.seed,
                    Path.of(value),
                    o.json);
            case "--json" ->
                new DeletesOptions(
                    o.rows,
                    o.partitions,
                    o.positionEvery,
                    o.equalityDeletes,
                    o.repetitions,
                    o.warmups,
                    o.seed,
                    o.work,
                    Path.of(value));
            default -> throw new IllegalArgumentException("Unknown option " + name);
          };
    }
    return o;
  }

  /** The width of one partition's id range. */
  long partitionWidth() {
    return (rows + partitions - 1) / partitions;
  }

  private static int integer(String name, long number) {
    if (number > Integer.MAX_VALUE || number < Integer.MIN_VALUE) {
      throw new IllegalArgumentException("Invalid " + name + " " + number + ": too large");
    }
    return (int) number;
  }
}
