package io.icecap.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The settings of one scaling benchmark run.
 *
 * @param workers the worker counts measured, one after the other in this order; each is a fleet of
 *     that many {@code icecap worker} processes
 * @param tables tables written, each partitioned into {@value WriteWorkload#PARTITIONS}; write
 *     {@code i} goes to table {@code i % tables}
 * @param clients client threads sending the writes
 * @param rate writes per second offered, over all tables, in the freshness phase
 * @param seconds how long the freshness phase offers that rate
 * @param warmupSeconds how long the same rate is offered, unmeasured, before it (0: no warm-up)
 * @param backlog writes buffered in the logs (no worker asked to apply them) and then applied by
 *     the workers together, spread evenly over the tables
 * @param tableRows rows each table holds before the writes
 * @param workerThreads tables one worker process applies at once ({@code --threads} of {@code
 *     icecap worker})
 * @param repeat how many times each worker count is run, each with a fresh Redis, warehouse and
 *     fleet and the same seeded writes; the figures are the medians
 * @param seed the seed of the ids and values written
 * @param work the directory under which the run's own directory is created (and removed)
 * @param json where to write the results as JSON, or null
 */
record ScalingOptions(
    List<Integer> workers,
    int tables,
    int clients,
    int rate,
    int seconds,
    int warmupSeconds,
    int backlog,
    int tableRows,
    int workerThreads,
    int repeat,
    long seed,
    Path work,
    Path json) {
  static final List<Integer> WORKERS_DEFAULT = List.of(1, 2, 4);
  static final int TABLES_DEFAULT = 4;
  static final int CLIENTS_DEFAULT = 4;
  static final int RATE_DEFAULT = 1_000;
  static final int SECONDS_DEFAULT = 20;
  static final int WARMUP_SECONDS_DEFAULT = 5;
  static final int BACKLOG_DEFAULT = 40_000;
  static final int TABLE_ROWS_DEFAULT = 100_000;
  static final int WORKER_THREADS_DEFAULT = 1;
  static final int REPEAT_DEFAULT = 3;
  static final long SEED_DEFAULT = 42;

  /** The option lines of the usage text. */
  static final List<String> OPTION_LINES =
      List.of(
          "  --workers W1/W2/...   worker process counts, each measured in turn (default 1/2/4)",
          "  --tables T            tables written, 8 partitions each (default 4)",
          "  --clients C           client threads sending the writes (default 4)",
          "  --rate R              writes per second offered in the freshness phase (default"
              + " 1,000)",
          "  --seconds D           how long that rate is offered (default 20)",
          "  --warmup-seconds S    the same rate offered unmeasured first, 0 for none (default 5)",
          "  --backlog K           writes buffered, then applied by the workers together (default"
              + " 40,000)",
          "  --table-rows N        rows in each table before the writes (default 100,000)",
          "  --worker-threads J    tables one worker process applies at once (default 1)",
          "  --repeat N            runs of each worker count, the median is reported (default 3)");

  ScalingOptions {
    workers = List.copyOf(workers);
    if (workers.isEmpty()) {
      throw new IllegalArgumentException("Invalid --workers: at least one worker count is needed");
    }
    for (int count : workers) {
      positive("--workers", count);
    }
    positive("--tables", tables);
    positive("--clients", clients);
    positive("--rate", rate);
    positive("--seconds", seconds);
    if (warmupSeconds < 0) {
      throw new IllegalArgumentException(
          "Invalid --warmup-seconds " + warmupSeconds + ": must not be negative");
    }
    positive("--backlog", backlog);
    positive("--table-rows", tableRows);
    positive("--worker-threads", workerThreads);
    Options.requireRepeat(repeat);
    if (backlog < tables) {
      throw new IllegalArgumentException(
          "Invalid --backlog " + backlog + ": needs at least one write per table (" + tables + ")");
    }
    if (work == null) {
      throw new IllegalArgumentException("work is null");
    }
  }

  /** The defaults, with the work directory in the system's temp directory. */
  static ScalingOptions defaults() {
    return new ScalingOptions(
        WORKERS_DEFAULT,
        TABLES_DEFAULT,
        CLIENTS_DEFAULT,
        RATE_DEFAULT,
        SECONDS_DEFAULT,
        WARMUP_SECONDS_DEFAULT,
        BACKLOG_DEFAULT,
        TABLE_ROWS_DEFAULT,
        WORKER_THREADS_DEFAULT,
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
  static ScalingOptions parse(List<String> args) {
    ScalingOptions o = defaults();
    for (Map.Entry<String, String> option : Options.pairs(args)) {
      String name = option.getKey();
      String value = option.getValue();
      o =
          switch (name) {
            case "--workers" -> o.with(name, Options.positiveList(name, value));
            case "--repeat" -> o.with(name, Options.repeat(name, value));
            case "--seed" -> o.withSeed(Options.number(name, value));
            case "--work" -> o.withWork(Path.of(value));
            case "--json" -> o.withJson(Path.of(value));
            case "--tables",
                "--clients",
                "--rate",
                "--seconds",
                "--warmup-seconds",
                "--backlog",
                "--table-rows",
                "--worker-threads" ->
                o.with(name, integer(name, value));
            default -> throw new IllegalArgumentException("Unknown option " + name);
          };
    }
    return o;
  }

  /** Writes offered in the freshness phase. */
  int freshnessWrites() {
    return Math.multiplyExact(rate, seconds);
  }

  /** Writes offered in the warm-up. */
  int warmupWrites() {
    return Math.multiplyExact(rate, warmupSeconds);
  }

  /** The same options with the worker counts changed. */
  ScalingOptions with(String name, List<Integer> value) {
    if (!name.equals("--workers")) {
      throw new IllegalArgumentException("Not a list option: " + name);
    }
    return new ScalingOptions(
        value,
        tables,
        clients,
        rate,
        seconds,
        warmupSeconds,
        backlog,
        tableRows,
        workerThreads,
        repeat,
        seed,
        work,
        json);
  }

  /** The same options with one whole-number option changed, named as on the command line. */
  ScalingOptions with(String name, int value) {
    return new ScalingOptions(
        workers,
        name.equals("--tables") ? value : tables,
        name.equals("--clients") ? value : clients,
        name.equals("--rate") ? value : rate,
        name.equals("--seconds") ? value : seconds,
        name.equals("--warmup-seconds") ? value : warmupSeconds,
        name.equals("--backlog") ? value : backlog,
        name.equals("--table-rows") ? value : tableRows,
        name.equals("--worker-threads") ? value : workerThreads,
        name.equals("--repeat") ? value : repeat,
        seed,
        work,
        json);
  }

  ScalingOptions withSeed(long value) {
    return new ScalingOptions(
        workers,
        tables,
        clients,
        rate,
        seconds,
        warmupSeconds,
        backlog,
        tableRows,
        workerThreads,
        repeat,
        value,
        work,
        json);
  }

  ScalingOptions withWork(Path value) {
    return new ScalingOptions(
        workers,
        tables,
        clients,
        rate,
        seconds,
        warmupSeconds,
        backlog,
        tableRows,
        workerThreads,
        repeat,
        seed,
        value,
        json);
  }

  ScalingOptions withJson(Path value) {
    return new ScalingOptions(
        workers,
        tables,
        clients,
        rate,
        seconds,
        warmupSeconds,
        backlog,
        tableRows,
        workerThreads,
        repeat,
        seed,
        work,
        value);
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
