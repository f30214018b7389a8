package io.icecap.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * A benchmark {@link Bench} can run by name, alone or as one of {@code all}. The built-in ones are
 * listed in {@link Bench}; others (the Spark benchmark of the {@code spark} profile) are found on
 * the class path with {@link java.util.ServiceLoader}.
 */
public interface BenchmarkCommand {
  /** The sizes {@code all} runs every benchmark at. */
  enum Size {
    /** About a minute for all benchmarks together: keeps them working, measures nothing. */
    SMOKE,
    /** The sizes the performance targets are stated for. */
    FULL
  }

  /** The name it is run by, e.g. {@code "write"}. */
  String name();

  /** One line saying what it measures and beside what. */
  String summary();

  /** Its options, one per line, each as {@code " --name VALUE meaning (default D)"}. */
  List<String> optionLines();

  /**
   * The options {@code all} runs it with at a size; {@code all} adds {@code --work}, and {@code
   * --seed} when it is {@link #seeded}.
   */
  List<String> options(Size size);

  /** Whether it generates data from a seed and takes {@code --seed}. */
  default boolean seeded() {
    return true;
  }

  /**
   * Parses its options.
   *
   * @throws IllegalArgumentException when an option is unknown or malformed; the message says which
   *     and what is expected
   */
  Prepared parse(List<String> arguments);

  /** A benchmark with its options parsed, ready to run. */
  interface Prepared {
    /**
     * Runs it, reporting progress.
     *
     * @throws Exception when the benchmark failed (a check of its results included)
     */
    Bench.Report run(PrintStream progress) throws Exception;

    /** Where {@code --json} asked for its results to be written, or null. */
    Path json();
  }
}
