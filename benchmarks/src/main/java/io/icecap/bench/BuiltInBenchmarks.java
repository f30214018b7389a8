package io.icecap.bench;

import io.icecap.bench.BenchmarkCommand.Size;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/** The benchmarks of this module, as {@link Bench} runs them. */
final class BuiltInBenchmarks {
  private BuiltInBenchmarks() {}

  /** Runs a benchmark with its parsed options, reporting progress; returns its report. */
  @FunctionalInterface
  private interface Runner<O> {
    Bench.Report run(O options, PrintStream progress) throws Exception;
  }

  /**
   * replication, write, apply, query, deletes, scaling, age, compaction and coldstart, in the order
   * {@code all} runs them.
   */
  static List<BenchmarkCommand> all() {
    return List.of(
        command(
            "replication",
            "DuckDB -> Parquet + metrics and Parquet -> DuckDB, beside raw DuckDB COPY",
            List.of(
                "  --rows N          rows in the partition (default 10,000,000)",
                "  --repetitions R   measured repetitions, the median is reported (default 3)",
                "  --warmups W       unmeasured repetitions first (default 1)"),
            size ->
                size == Size.SMOKE
                    ? List.of("--rows", "20000", "--repetitions", "1", "--warmups", "1")
                    : List.of(),
            true,
            ReplicationOptions::parse,
            ReplicationOptions::json,
            (options, progress) ->
                new ReplicationReport(new ReplicationBenchmark(options, progress).run())),
        command(
            "write",
            "single-row write acknowledgement and freshness, beside one Iceberg commit per write",
            List.of(
                "  --writes N            single-row writes of each kind (INSERT, UPDATE) from one"
                    + " client, after N/10 warm-up (default 5,000)",
                "  --clients C           concurrent client threads, also the freshness senders"
                    + " (default 4)",
                "  --rates R1/R2/...     offered writes per second in the freshness scenario,"
                    + " each measured in turn (default 100/1000)",
                "  --seconds D           how long each rate is offered (default 10)",
                "  --baseline-commits M  Iceberg commits of each kind in the baseline (default"
                    + " 200)",
                "  --table-rows T        rows in the table before the writes (default 100,000)"),
            size ->
                size == Size.SMOKE
                    ? List.of(
                        "--writes",
                        "200",
                        "--clients",
                        "2",
                        "--rates",
                        "50/100",
                        "--seconds",
                        "2",
                        "--baseline-commits",
                        "20",
                        "--table-rows",
                        "10000")
                    : List.of(),
            true,
            WriteOptions::parse,
            WriteOptions::json,
            (options, progress) -> new WriteReport(new WriteBenchmark(options, progress).run())),
        command(
            "apply",
            "buffered single-row updates applied in place by one worker, and the checkpoint cost"
                + " by partition size, beside a copy-on-write rewrite with the Iceberg Java API",
            List.of(
                "  --rows N          rows of the scenario-3 table (default 10,000,000)",
                "  --partitions P    its partitions, ranges of ids (default 16)",
                "  --updates U       single-row updates spread over them (default 100,000)",
                "  --block B         consecutive updates of one template before the other's turn"
                    + " (default 1,000)",
                "  --curve-rows L    partition sizes of the scaling curve, comma-separated, k and M"
                    + " allowed (default 10k,100k,1M,10M)",
                "  --curve-updates C updates into each curve partition (default 1,000)",
                "  --repeat N        measurements of each table, each on a fresh copy, the median"
                    + " is reported (default 3)"),
            size ->
                size == Size.SMOKE
                    ? List.of(
                        "--rows",
                        "200000",
                        "--partitions",
                        "4",
                        "--updates",
                        "5000",
                        "--curve-rows",
                        "10k,50k",
                        "--repeat",
                        "1")
                    : List.of(),
            true,
            ApplyOptions::parse,
            ApplyOptions::json,
            (options, progress) -> new ApplyReport(new ApplyBenchmark(options, progress).run())),
        command(
            "query",
            "query latency cold and warm (point lookup, filtered aggregate, join), beside DuckDB"
                + " on the same Parquet files from local disk",
            List.of(
                "  --rows N          rows of the orders table (default 10,000,000)",
                "  --partitions P    its partitions, ranges of ids (default 16)",
                "  --customers C     rows of the customers table (default 1,000,000)",
                "  --repetitions R   measured runs of each query on each side, the median is"
                    + " reported (default 7)",
                "  --warmups W       unmeasured runs first (default 2)"),
            size ->
                size == Size.SMOKE
                    ? List.of(
                        "--rows",
                        "20000",
                        "--partitions",
                        "4",
                        "--customers",
                        "1000",
                        "--repetitions",
                        "1",
                        "--warmups",
                        "1")
                    : List.of(),
            true,
            QueryOptions::parse,
            QueryOptions::json,
            (options, progress) -> new QueryReport(new QueryBenchmark(options, progress).run())),
        command(
            "deletes",
            "warm queries on a table with position and equality delete files, beside DuckDB on"
                + " the same files with the deletes applied by hand",
            List.of(
                "  --rows N              rows of the orders table (default 10,000,000)",
                "  --partitions P        its partitions, ranges of ids (default 16)",
                "  --position-every K    one row in K of every data file deleted by position"
                    + " (default 100)",
                "  --equality-deletes E  ids deleted by equality deletes (default 10,000)",
                "  --repetitions R       measured runs of each query on each side, the median is"
                    + " reported (default 7)",
                "  --warmups W           unmeasured runs first (default 2)"),
            size ->
                size == Size.SMOKE
                    ? List.of(
                        "--rows",
                        "20000",
                        "--partitions",
                        "4",
                        "--equality-deletes",
                        "100",
                        "--repetitions",
                        "1",
                        "--warmups",
                        "1")
                    : List.of(),
            true,
            DeletesOptions::parse,
            DeletesOptions::json,
            (options, progress) ->
                new DeletesReport(new DeletesBenchmark(options, progress).run())),
        command(
            "scaling",
            "the write workload over several tables applied by 1, 2 and 4 icecap worker"
                + " processes: applied writes/s and freshness, beside 1 worker",
            ScalingOptions.OPTION_LINES,
            size ->
                size == Size.SMOKE
                    ? List.of(
                        "--workers",
                        "1/2",
                        "--tables",
                        "1",
                        "--clients",
                        "1",
                        "--rate",
                        "50",
                        "--seconds",
                        "1",
                        "--warmup-seconds",
                        "0",
                        "--backlog",
                        "100",
                        "--table-rows",
                        "100",
                        "--repeat",
                        "1")
                    : List.of(),
            true,
            ScalingOptions::parse,
            ScalingOptions::json,
            (options, progress) ->
                new ScalingReport(new ScalingBenchmark(options, progress).run())),
        command(
            "age",
            "a table as it ages: awaited single-row INSERTs with automatic maintenance, write"
                + " time and storage sampled, beside the same table at a tenth of the writes",
            List.of(
                "  --writes N        awaited single-row INSERTs, one after the other (default"
                    + " 10,000)",
                "  --every K         a sample after every K writes (default 250)",
                "  --max-snapshot-age-ms A  the table's history.expire.max-snapshot-age-ms"
                    + " (default 60,000)",
                "  --buckets B       the table's partitions, bucket(B, id) (default 4)",
                "  --csv FILE        also write the samples as CSV"),
            size ->
                size == Size.SMOKE
                    ? List.of("--writes", "40", "--every", "10", "--max-snapshot-age-ms", "5000")
                    : List.of(),
            true,
            AgeOptions::parse,
            AgeOptions::json,
            (options, progress) -> {
              AgeReport report = new AgeReport(new AgeBenchmark(options, progress).run());
              if (options.csv() != null) {
                report.writeCsv(options.csv());
                progress.printf("Wrote %s%n", options.csv());
              }
              return report;
            }),
        command(
            "compaction",
            "many small files compacted by Icecap, beside a rewrite by hand with the Iceberg Java"
                + " API of an identical table",
            List.of(
                "  --appends A       appends that fill each table, one commit each (default 200)",
                "  --rows-per-append R  rows of each append (default 5,000)",
                "  --partitions P    the tables' partitions, part = id % P (default 4)",
                "  --target-file-size B  write.target-file-size-bytes of both tables (default"
                    + " 134,217,728)"),
            size ->
                size == Size.SMOKE
                    ? List.of("--appends", "6", "--rows-per-append", "400", "--partitions", "2")
                    : List.of(),
            true,
            CompactionOptions::parse,
            CompactionOptions::json,
            (options, progress) ->
                new CompactionReport(new CompactionBenchmark(options, progress).run())),
        command(
            "coldstart",
            "the Lambda package's size and the worker function's cold start in a fresh JVM,"
                + " beside a warm invocation",
            List.of(
                "  --writes N        pending single-row inserts each job applies (default 100)",
                "  --repetitions R   measured runs of each side, the median is reported (default"
                    + " 5)",
                "  --warmups W       unmeasured runs first (default 1)",
                "  --package ZIP     the Lambda package (default: the one for this machine's"
                    + " architecture in worker-function/target)"),
            size ->
                size == Size.SMOKE
                    ? List.of("--writes", "5", "--repetitions", "1", "--warmups", "0")
                    : List.of(),
            false,
            ColdStartBenchmark.Options::parse,
            ColdStartBenchmark.Options::json,
            (options, progress) ->
                new ColdStartBenchmark.Report(new ColdStartBenchmark(options, progress).run())));
  }

  private static <O> BenchmarkCommand command(
      String name,
      String summary,
      List<String> optionLines,
      Function<Size, List<String>> sizes,
      boolean seeded,
      Function<List<String>, O> parse,
      Function<O, Path> json,
      Runner<O> runner) {
    return new BenchmarkCommand() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String summary() {
        return summary;
      }

      @Override
      public List<String> optionLines() {
        return optionLines;
      }

      @Override
      public List<String> options(Size size) {
        return sizes.apply(size);
      }

      @Override
      public boolean seeded() {
        return seeded;
      }

      @Override
      public Prepared parse(List<String> arguments) {
        O options = parse.apply(arguments);
        return new Prepared() {
          @Override
          public Bench.Report run(PrintStream progress) throws Exception {
            return runner.run(options, progress);
          }

          @Override
          public Path json() {
            return json.apply(options);
          }
        };
      }
    };
  }
}
