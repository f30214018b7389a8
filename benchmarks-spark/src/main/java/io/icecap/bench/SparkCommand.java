package io.icecap.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code Bench spark}: Spark SQL beside Icecap on the same tables. Found by {@link Bench} through
 * {@link java.util.ServiceLoader} when this module is on the class path (the {@code spark} Maven
 * profile), so {@code Bench all} runs it too.
 */
public final class SparkCommand implements BenchmarkCommand {
  /** The options of the smoke size: a run of about half a minute, Spark's start included. */
  static final List<String> SMOKE =
      List.of(
          "--rows",
          "20000",
          "--partitions",
          "4",
          "--customers",
          "1000",
          "--updates",
          "1",
          "--repetitions",
          "1",
          "--warmups",
          "0");

  /** For {@link java.util.ServiceLoader}. */
  public SparkCommand() {}

  @Override
  public String name() {
    return "spark";
  }

  @Override
  public String summary() {
    return "single-row UPDATE and the query benchmark's queries through Spark SQL (local[2],"
        + " Iceberg runtime, Icecap's catalog), beside Icecap on the same tables";
  }

  @Override
  public List<String> optionLines() {
    return List.of(
        "  --rows N          rows of the orders table (default 10,000,000)",
        "  --partitions P    its partitions, ranges of ids (default 16)",
        "  --customers C     rows of the customers table (default 1,000,000)",
        "  --updates U       measured single-row UPDATEs on each side (default 10)",
        "  --repetitions R   measured runs of each query on each side, the median is reported"
            + " (default 7)",
        "  --warmups W       unmeasured runs of each query and unmeasured UPDATEs first (default"
            + " 2)");
  }

  @Override
  public List<String> options(Size size) {
    return size == Size.SMOKE ? SMOKE : List.of();
  }

  @Override
  public Prepared parse(List<String> arguments) {
    SparkOptions options = SparkOptions.parse(arguments);
    return new Prepared() {
      @Override
      public Bench.Report run(PrintStream progress) throws Exception {
        return new SparkReport(new SparkBenchmark(options, progress).run());
      }

      @Override
      public Path json() {
        return options.json();
      }
    };
  }
}
