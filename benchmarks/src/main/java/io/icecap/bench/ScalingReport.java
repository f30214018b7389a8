package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import io.icecap.bench.ScalingResult.Backlog;
import io.icecap.bench.ScalingResult.Run;
import io.icecap.bench.ScalingResult.Share;
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
            + " %,d writes, table rows %,d each, worker threads %d, seed %d%n",
        workerCounts(),
        options.tables(),
        options.clients(),
        options.rate(),
        options.seconds(),
        options.warmupSeconds(),
        options.backlog(),
        options.tableRows(),
        options.workerThreads(),
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
        "backlog: applied writes/s",
        "speed-up",
        String.format("freshness at %,d/s offered", options.rate()),
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
    for (Run run : result.runs()) {
      Freshness freshness = run.freshness();
      Backlog backlog = run.backlog();
      out.printf(
          ROW,
          run.workers(),
          backlog.visible()
              ? String.format(
                  "%,.0f/s (%.2f s)", backlog.appliedPerSecond(), backlog.drainNanos() / 1e9)
              : "not all applied",
          String.format("%.2fx", speedUp(run)),
          freshness.freshness() == null
              ? "no write became visible"
              : String.format(
                  "p50 %.0f p99 %.0f max %.0f ms",
                  freshness.freshness().p50Millis(),
                  freshness.freshness().p99Millis(),
                  freshness.freshness().maxMillis()),
          String.format("%,.0f; %,.0f/s", freshness.achievedRate(), freshness.appliedRate()),
          String.format("%d + %d", freshness.snapshots(), backlog.snapshots()),
          spread(run.freshnessShares(), freshness.writes())
              + "; "
              + spread(backlog.shares(), backlog.writes()),
          run.verified() ? "yes" : "NO");
    }
    out.println();
    new ScalingNotes(result).print(out);
  }

  /** The worker counts as the report prints them: {@code 1/2/4}. */
  String workerCounts() {
    return String.join(
        "/", result.options().workers().stream().map(count -> Integer.toString(count)).toList());
  }

  /** The run's backlog throughput over the baseline run's (the 1-worker run). */
  double speedUp(Run run) {
    double baseline = result.baseline().backlog().appliedPerSecond();
    return baseline == 0 ? Double.NaN : run.backlog().appliedPerSecond() / baseline;
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
   * Per worker count: the backlog's applied writes/s and the freshness p99, beside the 1-worker
   * run's (the ratio of the first is the speed-up).
   */
  @Override
  public List<Figure> figures() {
    Run baseline = result.baseline();
    String baselineName = workers(baseline.workers());
    List<Figure> figures = new ArrayList<>();
    for (Run run : result.runs()) {
      String measure = "applied writes/s, " + workers(run.workers());
      double applied = run.backlog().appliedPerSecond();
      figures.add(
          run.workers() == baseline.workers()
              ? Figure.of(SCENARIO, measure, "writes/s", applied)
              : Figure.versus(
                  SCENARIO,
                  measure,
                  "writes/s",
                  applied,
                  baseline.backlog().appliedPerSecond(),
                  baselineName));
    }
    for (Run run : result.runs()) {
      String measure =
          String.format(
              "freshness p99 at %,d/s, %s", result.options().rate(), workers(run.workers()));
      double p99 = p99Millis(run.freshness());
      figures.add(
          run.workers() == baseline.workers()
              ? Figure.of(SCENARIO, measure, "ms", p99)
              : Figure.versus(
                  SCENARIO, measure, "ms", p99, p99Millis(baseline.freshness()), baselineName));
    }
    return figures;
  }

  /** A run whose writes were not all visible, applied once and read back as written fails. */
  @Override
  public List<String> failures() {
    List<String> failures = new ArrayList<>();
    for (Run run : result.runs()) {
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

  private static double p99Millis(Freshness freshness) {
    return freshness.freshness() == null ? Double.NaN : freshness.freshness().p99Millis();
  }
}
