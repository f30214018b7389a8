package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import io.icecap.bench.ApplyResult.Repeated;
import io.icecap.bench.ApplyResult.Run;
import io.icecap.bench.ApplyScenario.Round;
import io.icecap.bench.CheckpointParts.Parts;
import io.icecap.bench.CopyOnWriteBaseline.Result;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** An apply run as tables for people; {@link ApplyJson} writes it for tools. */
final class ApplyReport implements Bench.Report {
  /** Updates one worker applies in place per second: the goal is at least this. */
  static final double GOAL_ROWS_PER_SECOND = 100_000;

  static final String BASELINE = "copy-on-write, Iceberg API";

  private static final String ROW = "%-34s | %-34s | %-34s | %-6s | %-18s | %s%n";
  private static final String CURVE =
      "%12s | %9s | %9s | %9s | %9s | %9s | %6s | %9s | %9s | %9s | %9s | %9s%n";

  private final ApplyResult result;

  ApplyReport(ApplyResult result) {
    this.result = requireNonNull(result, "result is null");
  }

  @Override
  public void print(PrintStream out) {
    ApplyOptions options = result.options();
    Machine machine = result.machine();
    Repeated table = result.table();
    Run typical = table.typical();
    out.println(
        "Icecap benchmark: buffered single-row updates applied in place, beside copy-on-write");
    out.printf("machine   %s%n", machine.summary());
    out.printf(
        "software  Java %s; DuckDB %s, %d threads%n",
        machine.java(), machine.duckdb(), machine.duckdbThreads());
    out.printf(
        "settings  scenario 3: %,d rows in %d partitions (truncate(%,d, id)), %,d updates;"
            + " scenario 5: %,d updates into one partition of %s rows; templates take turns every"
            + " %,d updates; repeat %d (median reported); seed %d%n",
        options.rows(),
        options.partitions(),
        options.partitionWidth(),
        options.updates(),
        options.curveUpdates(),
        String.join(" / ", options.curveRows().stream().map(n -> String.format("%,d", n)).toList()),
        options.block(),
        options.repeat(),
        options.seed());
    out.printf(
        "table     %s; Iceberg format v2; Redis catalog, warehouse on S3Proxy (loopback)%n",
        ApplyWorkload.describe());
    out.println(
        "updates   UPDATE t SET qty = qty + ? WHERE id = ?  and  UPDATE t SET amount = ?,"
            + " updated_at = ? WHERE id = ?  (random ids, with replacement)");
    out.printf(
        "icecap    one Worker.applyUntil call, one checkpoint for all the updates, %d partition"
            + " threads; cache primed by a first round (no fetch in the figures)%n",
        typical.copyOnWrite().threads());
    out.printf(
        "baseline  copy-on-write with the Iceberg Java API: IcebergGenerics reader, Parquet"
            + " GenericFileWriterFactory writer, one OverwriteFiles; %d threads%n",
        typical.copyOnWrite().threads());
    out.println();
    out.printf(
        "Scenario 3: %,d updates over %d partitions of a %,d-row table (%.1f MB of Parquet); %s%n%n",
        typical.updates(),
        typical.partitions(),
        typical.rows(),
        typical.parquetBytes() / 1e6,
        medians(table));
    out.printf(ROW, "measure", "Icecap", "baseline: copy-on-write rewrite", "ratio", "goal", "met");
    out.printf(
        ROW,
        "-".repeat(34),
        "-".repeat(34),
        "-".repeat(34),
        "-".repeat(6),
        "-".repeat(18),
        "-".repeat(3));
    out.printf(
        ROW,
        "apply in place",
        rate(table.inPlaceRate(), table.inPlaceNanos()),
        "",
        "",
        goal(),
        inPlaceMet(table) ? "yes" : "NO");
    out.printf(
        ROW,
        "apply + checkpoint (whole call)",
        rate(table.icecapRate(), table.icecapNanos()),
        rate(table.copyOnWriteRate(), table.copyOnWriteNanos()),
        String.format("%.2fx", table.icecapRate() / table.copyOnWriteRate()),
        "-",
        "-");
    out.println();
    Round icecap = typical.icecap();
    Result cow = typical.copyOnWrite();
    Notes.print(
        out,
        "icecap",
        String.format(
            "%splan %.3f s, apply %.3f s, write replicas %.3f s, commit %.3f s; %d checkpoint%s;"
                + " DuckDB replicas %.1f MB, Parquet written %.1f MB. %s",
            table.count() == 1 ? "" : "the repetition with the median whole call: ",
            icecap.planNanos() / 1e9,
            icecap.applyNanos() / 1e9,
            icecap.writeNanos() / 1e9,
            icecap.commitNanos() / 1e9,
            icecap.checkpoints(),
            icecap.checkpoints() == 1 ? "" : "s",
            typical.replicas().duckdbBytes() / 1e6,
            typical.writtenParquetBytes() / 1e6,
            typical.icecapCheck().describe()));
    Notes.print(
        out,
        "baseline",
        String.format(
            "rewrite %.3f s (read %d files, %.1f MB; wrote %d, %.1f MB; %,d rows), commit %.3f s. %s",
            cow.rewriteNanos() / 1e9,
            cow.filesRead(),
            cow.bytesRead() / 1e6,
            cow.filesWritten(),
            cow.bytesWritten() / 1e6,
            cow.rows(),
            cow.commitNanos() / 1e9,
            typical.copyOnWriteCheck().describe()));
    Notes.print(
        out,
        "not timed",
        String.format(
            "loading the table %.1f s; the worker's first round (every partition imported from"
                + " Parquet and checkpointed) %.1f s; submitting the updates %.1f s.",
            typical.loadNanos() / 1e9, typical.cold().nanos() / 1e9, typical.submitNanos() / 1e9));
    Notes.print(out, "samples", samples(table));
    out.println();
    out.printf(
        "Scenario 5: %,d updates into one partition, by its size (seconds; MB of 10^6 bytes); %s%n%n",
        options.curveUpdates(), medians(result.curve().get(0)));
    out.printf(
        CURVE,
        "rows",
        "apply",
        "write",
        "commit",
        "Icecap",
        "cow",
        "ratio",
        "DuckDB MB",
        "Parquet",
        "fetch",
        "export",
        "upload db");
    out.printf(
        CURVE,
        "-".repeat(12),
        "-".repeat(9),
        "-".repeat(9),
        "-".repeat(9),
        "-".repeat(9),
        "-".repeat(9),
        "-".repeat(6),
        "-".repeat(9),
        "-".repeat(9),
        "-".repeat(9),
        "-".repeat(9),
        "-".repeat(9));
    for (Repeated repeated : result.curve()) {
      Run point = repeated.typical();
      Parts parts = point.parts();
      out.printf(
          CURVE,
          String.format("%,d", point.rows()),
          seconds(point.icecap().applyNanos()),
          seconds(point.icecap().writeNanos()),
          seconds(point.icecap().commitNanos()),
          seconds(QueryBenchmark.Figures.median(repeated.icecapNanos())),
          seconds(QueryBenchmark.Figures.median(repeated.copyOnWriteNanos())),
          String.format("%.2fx", repeated.timeRatio()),
          String.format("%.1f", point.replicas().duckdbBytes() / 1e6),
          String.format("%.1f", point.writtenParquetBytes() / 1e6),
          seconds(parts.fetchNanos()),
          seconds(parts.exportNanos()),
          seconds(parts.uploadNanos()));
    }
    out.println();
    Notes.print(
        out,
        "columns",
        "apply: the records run in the replica (in place); write: DuckDB commit and CHECKPOINT,"
            + " Parquet export with metrics, both uploads; commit: the Iceberg commit with the"
            + " results published in Redis; Icecap: the whole worker call; cow: the copy-on-write"
            + " rewrite and commit (both medians); ratio: Icecap / cow (below 1, Icecap took less"
            + " time). apply, write, commit and the rest are of the repetition with the median"
            + " Icecap time. Done again on their own after the run:"
            + " fetch (download the DuckDB replica and open it, what a worker without the"
            + " partition cached pays first), export (Parquet with metrics, uploaded; DuckDB with"
            + " 1 thread as the worker runs it), upload db (the DuckDB replica file).");
    for (Repeated repeated : result.curve()) {
      Notes.print(
          out, String.format("%s rows", compact(repeated.first().rows())), samples(repeated));
    }
    Notes.print(
        out,
        "checks",
        "both sides of every table read back with Iceberg's reader: row count, sum(qty) against"
            + " the increments, every updated row's qty, amount and updated_at (a run that differs"
            + " fails). Every figure is the median of the repetitions, each on tables loaded afresh"
            + " from the same rows with the same updates (the first worker round again each time);"
            + " every repetition's times are in the JSON. One machine: read ratios within the"
            + " run, not absolute times across runs.");
  }

  @Override
  public void writeJson(Path file) throws IOException {
    new ApplyJson(result).write(file);
  }

  @Override
  public List<Figure> figures() {
    Repeated table = result.table();
    String updates =
        String.format(
            "%s updates/%d parts", compact(table.first().updates()), table.first().partitions());
    List<Figure> figures = new ArrayList<>();
    figures.add(
        Figure.of("3 apply", updates + ": in place", "rows/s", table.inPlaceRate())
            .withGoal(goal(), inPlaceMet(table)));
    figures.add(
        Figure.versus(
            "3 apply",
            updates + ": + checkpoint",
            "rows/s",
            table.icecapRate(),
            table.copyOnWriteRate(),
            BASELINE));
    for (Repeated point : result.curve()) {
      figures.add(
          Figure.versus(
              "5 scaling",
              String.format(
                  "%s updates, %s-row partition",
                  compact(point.first().updates()), compact(point.first().rows())),
              "ms",
              QueryBenchmark.Figures.median(point.icecapNanos()) / 1e6,
              QueryBenchmark.Figures.median(point.copyOnWriteNanos()) / 1e6,
              BASELINE));
    }
    return figures;
  }

  /** A count in few characters: 600, 5k, 12.5k, 10M. */
  static String compact(long n) {
    if (n >= 1_000_000 && n % 100_000 == 0) {
      return trim(n / 1e6) + "M";
    }
    if (n >= 1_000 && n % 100 == 0) {
      return trim(n / 1e3) + "k";
    }
    return String.format("%,d", n);
  }

  private static String trim(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }

  static String goal() {
    return String.format(">= %,.0f rows/s", GOAL_ROWS_PER_SECOND);
  }

  /**
   * Whether the median repetition applied the updates in place at the goal's rate, every update of
   * every repetition verified.
   */
  static boolean inPlaceMet(Repeated table) {
    return table.verified() && table.inPlaceRate() >= GOAL_ROWS_PER_SECOND;
  }

  private static String rate(double rate, long[] nanos) {
    return String.format("%,.0f rows/s (%.3f s)", rate, QueryBenchmark.Figures.median(nanos) / 1e9);
  }

  /** How many repetitions made the figures. */
  private static String medians(Repeated repeated) {
    return repeated.count() == 1
        ? "1 repetition"
        : String.format("medians of %d repetitions", repeated.count());
  }

  /** Every repetition's times, Icecap's whole call and the rewrite, in run order. */
  private static String samples(Repeated repeated) {
    return String.format(
        "%s: Icecap (in place / whole call) %s s; copy-on-write %s s",
        medians(repeated),
        String.join(
            ", ",
            repeated.runs().stream()
                .map(
                    run ->
                        seconds(run.icecap().applyNanos()) + " / " + seconds(run.icecap().nanos()))
                .toList()),
        String.join(
            ", ",
            repeated.runs().stream().map(run -> seconds(run.copyOnWrite().nanos())).toList()));
  }

  private static String seconds(long nanos) {
    return String.format("%.3f", nanos / 1e9);
  }
}
