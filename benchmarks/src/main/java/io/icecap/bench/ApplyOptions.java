package io.icecap.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The settings of one apply benchmark run.
 *
 * @param rows rows of the scenario-3 table
 * @param partitions its partitions (ranges of ids, {@code truncate(rows / partitions, id)})
 * @param updates single-row updates applied to it, spread over all partitions
 * @param block consecutive updates of one statement template before the other template's turn
 * @param curveRows the partition sizes of the scaling curve, one single-partition table each
 * @param curveUpdates single-row updates applied to each curve table
 * @param repeat how many times each table is measured, each time loaded afresh from the same data
 *     with the same updates; the figures are the medians
 * @param seed the seed of the generated data and of the updates
 * @param work the directory under which the run's own directory is created (and removed)
 * @param json where to write the results as JSON, or null
 */
record ApplyOptions(
    long rows,
    int partitions,
    int updates,
    int block,
    List<Long> curveRows,
    int curveUpdates,
    int repeat,
    long seed,
    Path work,
    Path json) {
  static final long ROWS_DEFAULT = 10_000_000;
  static final int PARTITIONS_DEFAULT = 16;
  static final int UPDATES_DEFAULT = 100_000;
  static final int BLOCK_DEFAULT = 1_000;
  static final List<Long> CURVE_ROWS_DEFAULT = List.of(10_000L, 100_000L, 1_000_000L, 10_000_000L);
  static final int CURVE_UPDATES_DEFAULT = 1_000;
  static final int REPEAT_DEFAULT = 3;
  static final long SEED_DEFAULT = 42;

  ApplyOptions {
    if (partitions <= 0) {
      throw new IllegalArgumentException(
          "Invalid --partitions " + partitions + ": must be positive");
    }
    if (rows < partitions) {
      throw new IllegalArgumentException(
          "Invalid --rows " + rows + ": must be at least --partitions " + partitions);
    }
    if ((rows + partitions - 1) / partitions > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "Invalid --rows " + rows + ": a partition holds at most " + Integer.MAX_VALUE + " rows");
    }
    if (updates <= 0) {
      throw new IllegalArgumentException("Invalid --updates " + updates + ": must be positive");
    }
    if (block <= 0) {
      throw new IllegalArgumentException("Invalid --block " + block + ": must be positive");
    }
    if (curveUpdates <= 0) {
      throw new IllegalArgumentException(
          "Invalid --curve-updates " + curveUpdates + ": must be positive");
    }
    Options.requireRepeat(repeat);
    curveRows = List.copyOf(curveRows);
    for (long size : curveRows) {
      if (size <= 0 || size > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "Invalid --curve-rows " + size + ": each size must be between 1 and 2,147,483,647");
      }
    }
    if (work == null) {
      throw new IllegalArgumentException("work is null");
    }
  }

  /** The defaults: the sizes the issue names. */
  static ApplyOptions defaults() {
    return new ApplyOptions(
        ROWS_DEFAULT,
        PARTITIONS_DEFAULT,
        UPDATES_DEFAULT,
        BLOCK_DEFAULT,
        CURVE_ROWS_DEFAULT,
        CURVE_UPDATES_DEFAULT,
        REPEAT_DEFAULT,
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
  static ApplyOptions parse(List<String> args) {
    ApplyOptions o = defaults();
    for (Map.Entry<String, String> option : Options.pairs(args)) {
      String name = option.getKey();
      String value = option.getValue();
      o =
          switch (name) {
            case "--rows" -> o.withTable(Options.number(name, value), o.partitions, o.updates);
            case "--partitions" -> o.withTable(o.rows, integer(name, value), o.updates);
            case "--updates" -> o.withTable(o.rows, o.partitions, integer(name, value));
            case "--block" -> o.withBlock(integer(name, value));
            case "--curve-rows" -> o.withCurve(sizes(name, value), o.curveUpdates);
            case "--curve-updates" -> o.withCurve(o.curveRows, integer(name, value));
            case "--repeat" -> o.withRepeat(Options.repeat(name, value));
            case "--seed" -> o.withSeed(Options.number(name, value));
            case "--work" -> o.withWork(Path.of(value));
            case "--json" -> o.withJson(Path.of(value));
            default -> throw new IllegalArgumentException("Unknown option " + name);
          };
    }
    return o;
  }

  /** The width of one partition's id range in the scenario-3 table. */
  long partitionWidth() {
    return (rows + partitions - 1) / partitions;
  }

  /** Rows the generated source must hold: the scenario-3 table and the largest curve table. */
  long sourceRows() {
    long rows = this.rows;
    for (long size : curveRows) {
      rows = Math.max(rows, size);
    }
    return rows;
  }

  ApplyOptions withTable(long rows, int partitions, int updates) {
    return new ApplyOptions(
        rows, partitions, updates, block, curveRows, curveUpdates, repeat, seed, work, json);
  }

  ApplyOptions withBlock(int block) {
    return new ApplyOptions(
        rows, partitions, updates, block, curveRows, curveUpdates, repeat, seed, work, json);
  }

  ApplyOptions withCurve(List<Long> curveRows, int curveUpdates) {
    return new ApplyOptions(
        rows, partitions, updates, block, curveRows, curveUpdates, repeat, seed, work, json);
  }

  ApplyOptions withRepeat(int repeat) {
    return new ApplyOptions(
        rows, partitions, updates, block, curveRows, curveUpdates, repeat, seed, work, json);
  }

  ApplyOptions withSeed(long seed) {
    return new ApplyOptions(
        rows, partitions, updates, block, curveRows, curveUpdates, repeat, seed, work, json);
  }

  ApplyOptions withWork(Path work) {
    return new ApplyOptions(
        rows, partitions, updates, block, curveRows, curveUpdates, repeat, seed, work, json);
  }

  ApplyOptions withJson(Path json) {
    return new ApplyOptions(
        rows, partitions, updates, block, curveRows, curveUpdates, repeat, seed, work, json);
  }

  /**
   * A comma-separated list of sizes, each a whole number with {@code _} separators or a suffix
   * {@code k} (thousand) or {@code M} (million): {@code 10k,100_000,1M}.
   */
  private static List<Long> sizes(String name, String value) {
    List<Long> sizes = new ArrayList<>();
    for (String part : value.split(",")) {
      String size = part.strip();
      if (size.isEmpty()) {
        throw new IllegalArgumentException(
            "Invalid " + name + " " + value + ": expected sizes separated by commas");
      }
      long unit = 1;
      if (size.endsWith("k") || size.endsWith("K")) {
        unit = 1_000;
      } else if (size.endsWith("M") || size.endsWith("m")) {
        unit = 1_000_000;
      }
      if (unit != 1) {
        size = size.substring(0, size.length() - 1);
      }
      sizes.add(Options.number(name, size) * unit);
    }
    return sizes;
  }

  private static int integer(String name, String value) {
    long number = Options.number(name, value);
    if (number > Integer.MAX_VALUE || number < Integer.MIN_VALUE) {
      throw new IllegalArgumentException("Invalid " + name + " " + value + ": too large");
    }
    return (int) number;
  }
}
