package io.icecap.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The settings of one write benchmark run.
 *
 * @param writes measured single-row writes of each kind (INSERT and UPDATE) from one client; the
 *     concurrent clients then submit as many of each kind between them
 * @param clients concurrent client threads for the throughput and freshness scenarios
 * @param rates the offered rates of the freshness scenario, writes per second, measured one after
 *     the other in this order
 * @param seconds how long the freshness scenario offers each rate
 * @param baselineCommits measured commits of each kind through the Iceberg Java API
 * @param tableRows rows the Icecap table holds before the writes (the rows the updates change)
 * @param seed the seed of the ids and values written
 * @param work the directory under which the run's own directory is created (and removed)
 * @param json where to write the results as JSON, or null
 */
record WriteOptions(
    int writes,
    int clients,
    List<Integer> rates,
    int seconds,
    int baselineCommits,
    int tableRows,
    long seed,
    Path work,
    Path json) {
  static final int WRITES_DEFAULT = 5_000;
  static final int CLIENTS_DEFAULT = 4;
  static final List<Integer> RATES_DEFAULT = List.of(100, 1_000);
  static final int SECONDS_DEFAULT = 10;
  static final int BASELINE_COMMITS_DEFAULT = 200;
  static final int TABLE_ROWS_DEFAULT = 100_000;
  static final long SEED_DEFAULT = 42;

  WriteOptions {
    positive("--writes", writes);
    positive("--clients", clients);
    rates = List.copyOf(rates);
    if (rates.isEmpty()) {
      throw new IllegalArgumentException("Invalid --rates: at least one rate is needed");
    }
    for (int rate : rates) {
      positive("--rates", rate);
    }
    positive("--seconds", seconds);
    positive("--baseline-commits", baselineCommits);
    positive("--table-rows", tableRows);
    if (work == null) {
      throw new IllegalArgumentException("work is null");
    }
  }

  /** The defaults, with the work directory in the system's temp directory. */
  static WriteOptions defaults() {
    return new WriteOptions(
        WRITES_DEFAULT,
        CLIENTS_DEFAULT,
        RATES_DEFAULT,
        SECONDS_DEFAULT,
        BASELINE_COMMITS_DEFAULT,
        TABLE_ROWS_DEFAULT,
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
  static WriteOptions parse(List<String> args) {
    WriteOptions o = defaults();
    for (Map.Entry<String, String> option : Options.pairs(args)) {
      String name = option.getKey();
      String value = option.getValue();
      o =
          switch (name) {
            case "--writes" -> o.withWrites(integer(name, value));
            case "--clients" -> o.withClients(integer(name, value));
            case "--rates" -> o.withRates(Options.positiveList(name, value));
            case "--rate" ->
                throw new IllegalArgumentException(
                    "Unknown option --rate: give the freshness scenario's rates as --rates, such as"
                        + " --rates 100/1000");
            case "--seconds" -> o.withSeconds(integer(name, value));
            case "--baseline-commits" -> o.withBaselineCommits(integer(name, value));
            case "--table-rows" -> o.withTableRows(integer(name, value));
            case "--seed" -> o.withSeed(Options.number(name, value));
            case "--work" -> o.withWork(Path.of(value));
            case "--json" -> o.withJson(Path.of(value));
            default -> throw new IllegalArgumentException("Unknown option " + name);
          };
    }
    return o;
  }

  /** Writes of each kind the single client sends, unmeasured, before the measured ones. */
  int warmups() {
    return Math.max(20, writes / 10);
  }

  /** Writes the freshness scenario offers in all, over every rate. */
  int freshnessWrites() {
    int writes = 0;
    for (int rate : rates) {
      writes = Math.addExact(writes, Math.multiplyExact(rate, seconds));
    }
    return writes;
  }

  /** Unmeasured baseline commits of each kind before the measured ones. */
  int baselineWarmups() {
    return Math.max(2, baselineCommits / 10);
  }

  WriteOptions withWrites(int value) {
    return new WriteOptions(
        value, clients, rates, seconds, baselineCommits, tableRows, seed, work, json);
  }

  WriteOptions withClients(int value) {
    return new WriteOptions(
        writes, value, rates, seconds, baselineCommits, tableRows, seed, work, json);
  }

  WriteOptions withRates(List<Integer> value) {
    return new WriteOptions(
        writes, clients, value, seconds, baselineCommits, tableRows, seed, work, json);
  }

  WriteOptions withSeconds(int value) {
    return new WriteOptions(
        writes, clients, rates, value, baselineCommits, tableRows, seed, work, json);
  }

  WriteOptions withBaselineCommits(int value) {
    return new WriteOptions(writes, clients, rates, seconds, value, tableRows, seed, work, json);
  }

  WriteOptions withTableRows(int value) {
    return new WriteOptions(
        writes, clients, rates, seconds, baselineCommits, value, seed, work, json);
  }

  WriteOptions withSeed(long value) {
    return new WriteOptions(
        writes, clients, rates, seconds, baselineCommits, tableRows, value, work, json);
  }

  WriteOptions withWork(Path value) {
    return new WriteOptions(
        writes, clients, rates, seconds, baselineCommits, tableRows, seed, value, json);
  }

  WriteOptions withJson(Path value) {
    return new WriteOptions(
        writes, clients, rates, seconds, baselineCommits, tableRows, seed, work, value);
  }

  private static int integer(String name, String value) {
    long number = Options.number(name, value);
    if (number > Integer.MAX_VALUE || number < Integer.MIN_VALUE) {
      throw new IllegalArgumentException("Invalid " + name + " " + value + ": too large");
    }
    return (int) number;
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException("Invalid " + name + " " + value + ": must be positive");
    }
  }
}
