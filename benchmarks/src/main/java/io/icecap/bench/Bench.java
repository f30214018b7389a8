package io.icecap.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

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
          "  coldstart     the Lambda package's size and the worker function's cold start in a"
              + " fresh JVM, beside a warm invocation",
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
          "  --rates R1/R2/...     offered writes per second in the freshness scenario, each"
              + " measured in turn (default 100/1000)",
          "  --seconds D           how long each rate is offered (default 10)",
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
          "Options of coldstart:",
          "  --writes N        pending single-row inserts each job applies (default 100)",
          "  --repetitions R   measured runs of each side, the median is reported (default 5)",
          "  --warmups W       unmeasured runs first (default 1)",
          "  --package ZIP     the Lambda package (default: the one for this machine's"
              + " architecture in worker-function/target)",
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
      case "coldstart" -> coldStart(options, out, err);
      default -> {
        err.printf("Unknown benchmark '%s'%n%s%n", benchmark, USAGE);
        yield 2;
      }
    };
  }

  /** A run's results, as the table people read and as JSON. */
  interface Report {
    void print(PrintStream out);

    void writeJson(Path file) throws IOException;

    /** The run's headline figures, for the summary table and chart of {@code all}. */
    List<Figure> figures();
  }

  /** Runs a benchmark with its options, reporting progress; returns its report. */
  @FunctionalInterface
  private interface Benchmark<O> {
    Report run(O options, PrintStream progress) throws Exception;
  }

  private static int replication(List<String> arguments, PrintStream out, PrintStream err) {
    return run(
        "replication",
        arguments,
        ReplicationOptions::parse,
        ReplicationOptions::json,
        (options, progress) ->
            new ReplicationReport(new ReplicationBenchmark(options, progress).run()),
        out,
        err);
  }

  private static int query(List<String> arguments, PrintStream out, PrintStream err) {
    return run(
        "query",
        arguments,
        QueryOptions::parse,
        QueryOptions::json,
        (options, progress) -> new QueryReport(new QueryBenchmark(options, progress).run()),
        out,
        err);
  }

  private static int coldStart(List<String> arguments, PrintStream out, PrintStream err) {
    return run(
        "coldstart",
        arguments,
        ColdStartBenchmark.Options::parse,
        ColdStartBenchmark.Options::json,
        (options, progress) ->
            new ColdStartBenchmark.Report(new ColdStartBenchmark(options, progress).run()),
        out,
        err);
  }

  private static int write(List<String> arguments, PrintStream out, PrintStream err) {
    return run(
        "write",
        arguments,
        WriteOptions::parse,
        WriteOptions::json,
        (options, progress) -> {
          WriteResult result = new WriteBenchmark(options, progress).run();
          return new Report() {
            @Override
            public void print(PrintStream out) {
              new WriteReport(result).print(out);
            }

            @Override
            public void writeJson(Path file) throws IOException {
              new WriteJson(result).write(file);
            }

            @Override
            public List<Figure> figures() {
              return new WriteReport(result).figures();
            }
          };
        },
        out,
        err);
  }

  /**
   * Parses the options (status 2 with the usage when they are wrong), runs the benchmark, prints
   * its table and writes its JSON when asked (status 1 when it fails).
   */
  private static <O> int run(
      String name,
      List<String> arguments,
      Function<List<String>, O> parse,
      Function<O, Path> json,
      Benchmark<O> benchmark,
      PrintStream out,
      PrintStream err) {
    O options;
    try {
      options = parse.apply(arguments);
    } catch (IllegalArgumentException e) {
      err.printf("%s%n%n%s%n", e.getMessage(), USAGE);
      return 2;
    }
    try {
      Report report = benchmark.run(options, err);
      report.print(out);
      Path file = json.apply(options);
      if (file != null) {
        report.writeJson(file);
        err.printf("Wrote %s%n", file);
      }
      return 0;
    } catch (Exception e) {
      err.printf("The %s benchmark failed: %s%n", name, e);
      e.printStackTrace(err);
      return 1;
    }
  }
}
