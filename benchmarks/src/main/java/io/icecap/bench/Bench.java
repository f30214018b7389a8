package io.icecap.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The benchmarks' command line: {@code Bench <benchmark> [options]}. The result table goes to
 * standard output, progress to standard error.
 */
public final class Bench {
  private Bench() {}

  /** Runs a benchmark and exits with status 2 on a usage error, 1 on a failure. */
  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * The benchmarks that can be run: the built-in ones, then those found on the class path with
   * {@link ServiceLoader}.
   */
  static List<BenchmarkCommand> commands() {
    List<BenchmarkCommand> commands = new ArrayList<>(BuiltInBenchmarks.all());
    ServiceLoader.load(BenchmarkCommand.class).forEach(commands::add);
    return List.copyOf(commands);
  }

  /** The usage text of these benchmarks. */
  static String usage(List<BenchmarkCommand> commands) {
    List<String> lines = new ArrayList<>();
    lines.add("Usage: Bench <benchmark> [options]");
    lines.add("       Bench all [--size smoke|full] [--seed S] [--work DIR] [--json FILE]");
    lines.add("");
    for (BenchmarkCommand command : commands) {
      lines.add(String.format("  %-13s %s", command.name(), command.summary()));
    }
    lines.add(
        String.format(
            "  %-13s %s", "all", "every benchmark above at one size, and one table of them all"));
    lines.add("");
    lines.add("Every number accepts _ and , separators (10_000_000, 10,000,000).");
    for (BenchmarkCommand command : commands) {
      lines.add("");
      lines.add("Options of " + command.name() + ":");
      lines.addAll(command.optionLines());
    }
    lines.add("");
    lines.add("Options of every benchmark:");
    lines.add("  --seed S          seed of the generated data (default 42; not coldstart)");
    lines.add(
        "  --work DIR        directory for the run's files, removed afterwards (default: the"
            + " system temp directory)");
    lines.add("  --json FILE       also write the results as JSON to FILE");
    lines.add("");
    lines.add("Options of all:");
    lines.addAll(AllBenchmarks.OPTION_LINES);
    return String.join(System.lineSeparator(), lines);
  }

  /**
   * Runs the benchmark named by the first argument.
   *
   * @return 0 on success, 2 on a usage error (the usage is printed), 1 when the benchmark failed
   */
  static int run(String[] args, PrintStream out, PrintStream err) {
    List<BenchmarkCommand> commands = commands();
    String usage = usage(commands);
    List<String> arguments = Arrays.asList(args);
    if (arguments.isEmpty() || List.of("-h", "--help", "help").contains(arguments.get(0))) {
      (arguments.isEmpty() ? err : out).println(usage);
      return arguments.isEmpty() ? 2 : 0;
    }
    String name = arguments.get(0);
    List<String> options = arguments.subList(1, arguments.size());
    BenchmarkCommand command =
        name.equals("all")
            ? new AllBenchmarks(commands)
            : commands.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    if (command == null) {
      err.printf("Unknown benchmark '%s'%n%n%s%n", name, usage);
      return 2;
    }
    BenchmarkCommand.Prepared prepared;
    try {
      prepared = command.parse(options);
    } catch (IllegalArgumentException e) {
      err.printf("%s%n%n%s%n", e.getMessage(), usage);
      return 2;
    }
    try {
      Report report = prepared.run(err);
      report.print(out);
      Path file = prepared.json();
      if (file != null) {
        report.writeJson(file);
        err.printf("Wrote %s%n", file);
      }
      return report.failures().isEmpty() ? 0 : 1;
    } catch (Exception e) {
      err.printf("The %s benchmark failed: %s%n", name, e);
      e.printStackTrace(err);
      return 1;
    }
  }

  /** A run's results, as the table people read and as JSON. */
  public interface Report {
    void print(PrintStream out);

    void writeJson(Path file) throws IOException;

    /** The run's headline figures, for the summary table and chart of {@code all}. */
    List<Figure> figures();

    /** What failed in the run, when it went on after a failure; the run then ends with status 1. */
    default List<String> failures() {
      return List.of();
    }
  }
}
