package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import io.icecap.bench.ScalingResult.Backlog;
import io.icecap.bench.ScalingResult.Run;
import io.icecap.bench.ScalingResult.Share;
import io.icecap.bench.ScalingResult.WorkerCount;
import io.icecap.bench.WriteResult.Freshness;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A scaling benchmark run as one table for people; {@link ScalingJson} writes it for tools. */
final class ScalingReport implements Bench.Report {
  static final String SCENARIO = "5 scaling";

  private static final String ROW = "%-7s | %-25s | %-8s | %-34s | %-15s | %-9s | %-29s | %s%n";

  private final ScalingResult result;

  ScalingReport(ScalingResult result) {
    this.result = requireNonNull(result, "result is null");
  }

  @Override
  public void print(PrintStream out) {
    ScalingOptions options = result.options();
    Machine machine = result.machine();
    out.println(
        "Icecap benchmark: the write workload applied by " + workerCounts() + " worker processes");
    out.printf("machine   %s%n", machine.summary());
    out.printf(
        "software  Java %s; DuckDB %s; redis-server %s with appendonly %s, appendfsync %s%n",
        machine.java(),
        machine.duckdb(),
        result.redis().get("version"),
        result.redis().get("appendonly"),
        result.redis().get("appendfsync"));
    out.printf(
        "settings  workers %s, tables %d, clients %d, rate %,d/s for %d s (+ %d s warm-up), backlog"
            + " %,d writes, table rows %,d each, worker threads %d, repeat %d (median reported),"
            + " seed %d%n",
        workerCounts(),
        options.tables(),
        options.clients(),
        options.rate(),
        options.seconds(),
        options.warmupSeconds(),
        options.backlog(),
        options.tableRows(),
        options.workerThreads(),
        options.repeat(),
        options.seed());
    out.printf(
        "tables    %d, each: %s; Iceberg format v2; write i goes to table i %% %d, inserts and"
            + " updates alternating%n",
        options.tables(), WriteWorkload.describe(), options.tables());
    out.printf(
        "icecap    each worker an `icecap worker` process (WorkerProcess, a JVM of its own,"
            + " --threads %d, worker defaults otherwise) taking apply requests from the catalog's"
            + " queue in Redis; dispatcher debounce %d ms; sweepers after %d min%n",
        options.workerThreads(), result.debounceMillis(), ScalingBenchmark.SWEEP_STALE.toMinutes());
    out.println();
    out.printf(
        ROW,
        "workers",
        options.repeat() == 1 ? "backlog: applied writes/s" : "backlog: writes/s, median",
        "speed-up",
        String.format(
            "freshness at %,d/s offered%s",
            options.rate(), options.repeat() == 1 ? "" : ", median"),
        "sent; kept up",
        "snapshots",
        "writes applied by each worker",
        "checked");
    out.printf(
        ROW,
        "-".repeat(7),
        "-".repeat(25),
        "-".repeat(8),
        "-".repeat(34),
        "-".repeat(15),
        "-".repeat(9),
        "-".repeat(29),
        "-".repeat(7));
    for (WorkerCount count : result.counts()) {
      Run run = count.typical();
      Freshness freshness = run.freshness();
      Backlog backlog = run.backlog();
      out.printf(
          ROW,
          count.workers(),
          count.appliedPerSecond() > 0
              ? String.format(
                  "%,.0f/s (%.2f s)",
                  count.appliedPerSecond(), QueryBenchmark.Figures.median(count.drainNanos()) / 1e9)
              : "not all applied",
          String.format("%.2fx", speedUp(count)),
          Double.isNaN(count.freshnessP99Millis())
              ? "no write became visible"
              : String.format(
                  "p50 %.0f p99 %.0f max %.0f ms",
                  QueryBenchmark.Figures.median(count.freshnessP50Nanos()) / 1e6,
                  count.freshnessP99Millis(),
                  QueryBenchmark.Figures.median(count.freshnessMaxNanos()) / 1e6),
          String.format("%,.0f; %,.0f/s", freshness.achievedRate(), freshness.appliedRate()),
          String.format("%d + %d", freshness.snapshots(), backlog.snapshots()),
          spread(run.freshnessShares(), freshness.writes())
              + "; "
              + spread(backlog.shares(), backlog.writes()),
          count.verified() ? "yes" : "NO");
    }
    out.println();
    new ScalingNotes(result).print(out);
  }

  /** The worker counts as the report prints them: {@code 1/2/4}. */
  String workerCounts() {
    return String.join(
        "/", result.options().workers().stream().map(count -> Integer.toString(count)).toList());
  }

  /** A worker count's median backlog throughput over the baseline's (1 worker). */
  double speedUp(WorkerCount count) {
    return speedUp(count.appliedPerSecond());
  }

  /** A backlog throughput over the baseline worker count's median one. */
  double speedUp(double appliedPerSecond) {
    double baseline = result.baseline().appliedPerSecond();
    return baseline == 0 ? Double.NaN : appliedPerSecond / baseline;
  }

  /** What share of {@code writes} each worker applied, in worker order: {@code 52/48%}. */
  static String spread(Map<String, Share> shares, long writes) {
    if (shares.isEmpty() || writes == 0) {
      return "-";
    }
    List<String> parts = new ArrayList<>();
    for (Share share : shares.values()) {
      parts.add(String.format("%.0f", 100.0 * share.writes() / writes));
    }
    return String.join("/", parts) + "%";
  }

  @Override
  public void writeJson(Path file) throws IOException {
    new ScalingJson(result, this).write(file);
  }

  /**
   * Per worker count: the backlog's applied writes/s and the freshness p99, medians of the
   * repetitions, beside the 1-worker count's (the ratio of the first is the speed-up).
   */
  @Override
  public List<Figure> figures() {
    WorkerCount baseline = result.baseline();
    String baselineName = workers(baseline.workers());
    List<Figure> figures = new ArrayList<>();
    for (WorkerCount count : result.counts()) {
      String measure = "applied writes/s, " + workers(count.workers());
      double applied = count.appliedPerSecond();
      figures.add(
          count.workers() == baseline.workers()
              ? Figure.of(SCENARIO, measure, "writes/s", applied)
              : Figure.versus(
                  SCENARIO,
                  measure,
                  "writes/s",
                  applied,
                  baseline.appliedPerSecond(),
                  baselineName));
    }
    for (WorkerCount count : result.counts()) {
      String measure =
          String.format(
              "freshness p99 at %,d/s, %s", result.options().rate(), workers(count.workers()));
      double p99 = count.freshnessP99Millis();
      figures.add(
          count.workers() == baseline.workers()
              ? Figure.of(SCENARIO, measure, "ms", p99)
              : Figure.versus(
                  SCENARIO, measure, "ms", p99, baseline.freshnessP99Millis(), baselineName));
    }
    return figures;
  }

  /** A run whose writes were not all visible, applied once and read back as written fails. */
  @Override
  public List<String> failures() {
    List<String> failures = new ArrayList<>();
    for (Run run : result.counts().stream().flatMap(count -> count.runs().stream()).toList()) {
      if (!run.verified()) {
        failures.add(
            String.format(
                "%s: %s; freshness results %s, %,d of %,d visible; backlog results %s%s%s",
                workers(run.workers()),
                run.verification().describe(),
                run.freshness().results().describe(),
                run.freshness().visible(),
                run.freshness().writes(),
                run.backlog().results().describe(),
                run.backlog().visible() ? "" : ", not all visible",
                run.exited().isEmpty() ? "" : "; worker processes exited: " + run.exited()));
      }
    }
    return failures;
  }

  static String workers(int count) {
    return count + (count == 1 ? " worker" : " workers");
  }
}
