package io.icecap.bench;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The benchmarks' command line: {@code Bench <benchmark> [options]}. The result table goes to
 * standard output, progress to standard error.
 */
public final class Bench {
  private static final String USAGE =
      String.join(
          System.lineSeparator(),
          "Usage: Bench <benchmark> [options]",
          "",
          "  replication   DuckDB -> Parquet + metrics and Parquet -> DuckDB, beside raw DuckDB COPY",
          "  write         single-row write acknowledgement, freshness and apply throughput, beside"
              + " one Iceberg commit per write",
          "  query         query latency cold and warm (point lookup, filtered aggregate, join),"
              + " beside DuckDB on the same Parquet files from local disk",
          "",
          "Every number accepts _ and , separators (10_000_000, 10,000,000).",
          "",
          "Options of replication:",
          "  --rows N          rows in the partition (default 10,000,000)",
          "  --repetitions R   measured repetitions, the median is reported (default 3)",
          "  --warmups W       unmeasured repetitions first (default 1)",
          "",
          "Options of write:",
          "  --writes N            single-row writes of each kind (INSERT, UPDATE) from one client,"
              + " after N/10 warm-up (default 5,000)",
          "  --clients C           concurrent client threads, also the freshness senders (default 4)",
          "  --rate R              offered writes per second in the freshness scenario (default"
              + " 1,000)",
          "  --seconds D           how long that rate is offered (default 10)",
          "  --apply-rows K        buffered updates applied by one worker call (default 20,000)",
          "  --baseline-commits M  Iceberg commits of each kind in the baseline (default 200)",
          "  --table-rows T        rows in each table before the writes (default 100,000)",
          "",
          "Options of query:",
          "  --rows N          rows of the orders table (default 10,000,000)",
          "  --partitions P    its partitions, ranges of ids (default 16)",
          "  --customers C     rows of the customers table (default 1,000,000)",
          "  --repetitions R   measured runs of each query on each side, the median is reported"
              + " (default 7)",
          "  --warmups W       unmeasured runs first (default 2)",
          "",
          "Options of all:",
          "  --seed S          seed of the generated data (default 42)",
          "  --work DIR        directory for the run's files, removed afterwards (default: the"
              + " system temp directory)",
          "  --json FILE       also write the results as JSON to FILE");

  private Bench() {}

  /** Runs a benchmark and exits with status 2 on a usage error, 1 on a failure. */
  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * Runs the benchmark named by the first argument.
   *
   * @return 0 on success, 2 on a usage error (the usage is printed), 1 when the benchmark failed
   */
  static int run(String[] args, PrintStream out, PrintStream err) {
    List<String> arguments = Arrays.asList(args);
    if (arguments.isEmpty() || List.of("-h", "--help", "help").contains(arguments.get(0))) {
      (arguments.isEmpty() ? err : out).println(USAGE);
      return arguments.isEmpty() ? 2 : 0;
    }
    String benchmark = arguments.get(0);
    List<String> options = arguments.subList(1, arguments.size());
    return switch (benchmark) {
      case "replication" -> replication(options, out, err);
      case "write" -> write(options, out, err);
      case "query" -> query(options, out, err);
      default -> {
        err.printf("Unknown benchmark '%s'%n%s%n", benchmark, USAGE);
        yield 2;
      }
    };
  }

  private static int replication(List<String> arguments, PrintStream out, PrintStream err) {
    ReplicationOptions options;
    try {
      options = ReplicationOptions.parse(arguments);
    } catch (IllegalArgumentException e) {
      err.printf("%s%n%n%s%n", e.getMessage(), USAGE);
      return 2;
    }
    try {
      ReplicationResult result = new ReplicationBenchmark(options, err).run();
      ReplicationReport report = new ReplicationReport(result);
      report.print(out);
      if (options.json() != null) {
        report.writeJson(options.json());
        err.printf("Wrote %s%n", options.json());
      }
      return 0;
    } catch (Exception e) {
      err.printf("The replication benchmark failed: %s%n", e);
      e.printStackTrace(err);
      return 1;
    }
  }

  private static int query(List<String> arguments, PrintStream out, PrintStream err) {
    QueryOptions options;
    try {
      options = QueryOptions.parse(arguments);
    } catch (IllegalArgumentException e) {
      err.printf("%s%n%n%s%n", e.getMessage(), USAGE);
      return 2;
    }
    try {
      QueryReport report = new QueryReport(new QueryBenchmark(options, err).run());
      report.print(out);
      if (options.json() != null) {
        report.writeJson(options.json());
        err.printf("Wrote %s%n", options.json());
      }
      return 0;
    } catch (Exception e) {
      err.printf("The query benchmark failed: %s%n", e);
      e.printStackTrace(err);
      return 1;
    }
  }

  private static int write(List<String> arguments, PrintStream out, PrintStream err) {
    WriteOptions options;
    try {
      options = WriteOptions.parse(arguments);
    } catch (IllegalArgumentException e) {
      err.printf("%s%n%n%s%n", e.getMessage(), USAGE);
      return 2;
    }
    try {
      WriteResult result = new WriteBenchmark(options, err).run();
      new WriteReport(result).print(out);
      if (options.json() != null) {
        new WriteJson(result).write(options.json());
        err.printf("Wrote %s%n", options.json());
      }
      return 0;
    } catch (Exception e) {
      err.printf("The write benchmark failed: %s%n", e);
      e.printStackTrace(err);
      return 1;
    }
  }
}
