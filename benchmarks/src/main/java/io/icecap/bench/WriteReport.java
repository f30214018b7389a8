package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import io.icecap.bench.WriteResult.Baseline;
import io.icecap.bench.WriteResult.Freshness;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A write benchmark run as one table for people; {@link WriteJson} writes it for tools. */
final class WriteReport implements Bench.Report {
  static final double ACK_P50_GOAL_MILLIS = 1;
  static final double ACK_P99_GOAL_MILLIS = 5;
  static final double BASELINE_RATIO_GOAL = 100;
  static final double FRESHNESS_P99_GOAL_MILLIS = 1_000;
  static final int FRESHNESS_GOAL_RATE = 1_000;

  /** The share of the offered rate a run must achieve for the freshness goal to count. */
  static final double RATE_TOLERANCE = 0.95;

  private static final String ROW = "%-35s | %-50s | %-33s | %-6s | %-33s | %s%n";

  /**
   * One goal's outcome.
   *
   * @param name what is checked
   * @param goal the goal, as printed
   * @param met whether this run met it
   * @param why a reason beside the figure when it is not met or does not apply, else empty
   */
  record Check(String name, String goal, boolean met, String why) {}

  private final WriteResult result;

  WriteReport(WriteResult result) {
    this.result = requireNonNull(result, "result is null");
  }

  /** Prints the header (machine, settings, data), the table and what its figures include. */
  @Override
  public void print(PrintStream out) {
    WriteOptions options = result.options();
    Machine machine = result.machine();
    WriteResult.Single single = result.single();
    WriteResult.Concurrent concurrent = result.concurrent();
    Baseline baseline = result.baseline();
    out.println("Icecap benchmark: single-row writes and freshness");
    out.printf("machine   %s%n", machine.summary());
    out.printf(
        "software  Java %s; DuckDB %s; redis-server %s with appendonly %s, appendfsync %s%n",
        machine.java(),
        machine.duckdb(),
        result.redis().get("version"),
        result.redis().get("appendonly"),
        result.redis().get("appendfsync"));
    out.printf(
        "settings  writes %,d of each kind (+ %,d warm-up), clients %d, rates %s writes/s for %d s"
            + " each, baseline commits %,d (+ %d warm-up), table rows %,d, seed %d%n",
        options.writes(),
        options.warmups(),
        options.clients(),
        rates(options.rates()),
        options.seconds(),
        options.baselineCommits(),
        options.baselineWarmups(),
        options.tableRows(),
        options.seed());
    out.printf("table     %s; Iceberg format v2%n", WriteWorkload.describe());
    out.printf(
        "icecap    one in-process worker (LocalInvoker, 1 thread) applying while clients write;"
            + " dispatcher debounce %d ms; worker defaults (checkpoint as soon as applied)%n",
        result.debounceMillis());
    out.println();
    out.printf(ROW, "measure", "Icecap", "baseline (Iceberg Java API)", "ratio", "goal", "met");
    out.printf(
        ROW,
        "-".repeat(35),
        "-".repeat(50),
        "-".repeat(33),
        "-".repeat(6),
        "-".repeat(33),
        "-".repeat(11));
    List<Check> checks = checks();
    out.printf(
        ROW,
        "INSERT 1 row, 1 client: ack",
        latencies(single.inserts()),
        "append    " + shortLatencies(baseline.appends()),
        ratio(insertRatio()),
        goalText(checks.subList(0, 3)),
        metText(checks.subList(0, 3)));
    out.printf(
        ROW,
        "UPDATE 1 row, 1 client: ack",
        latencies(single.updates()),
        "row delta " + shortLatencies(baseline.rowDeltas()),
        ratio(updateRatio()),
        goalText(checks.subList(3, 6)),
        metText(checks.subList(3, 6)));
    out.printf(
        ROW,
        concurrent.clients()
            + " client"
            + (concurrent.clients() == 1 ? "" : "s")
            + ": acknowledged writes",
        String.format(
            "%,.0f writes/s; p50 %.3f p99 %.3f ms",
            concurrent.writesPerSecond(),
            concurrent.latencies().p50Millis(),
            concurrent.latencies().p99Millis()),
        "",
        "",
        "-",
        "-");
    for (Freshness freshness : result.freshness()) {
      boolean goalRate = freshness.rate() == FRESHNESS_GOAL_RATE;
      out.printf(
          ROW,
          String.format("freshness, %,d writes/s offered", freshness.rate()),
          freshness.freshness() == null
              ? "no write became visible"
              : String.format(
                  "p50 %.0f p99 %.0f max %.0f ms; %,.0f/s achieved",
                  freshness.freshness().p50Millis(),
                  freshness.freshness().p99Millis(),
                  freshness.freshness().maxMillis(),
                  freshness.achievedRate()),
          "",
          "",
          goalRate ? goalText(checks.subList(6, 7)) : "-",
          goalRate ? metText(checks.subList(6, 7)) : "-");
    }
    out.println();
    long met = checks.stream().filter(Check::met).count();
    out.printf("goals     %d of %d met in this run", met, checks.size());
    List<String> missed = new ArrayList<>();
    for (Check check : checks) {
      if (!check.met()) {
        missed.add(check.name() + (check.why().isEmpty() ? "" : " (" + check.why() + ")"));
      }
    }
    out.println(missed.isEmpty() ? "" : "; not met: " + String.join(", ", missed));
    out.println();
    new WriteNotes(result).print(out);
  }

  /** Every goal and whether this run met it, in the order of the table. */
  List<Check> checks() {
    WriteResult.Single single = result.single();
    String singleWhy = single.results().allOk() ? "" : "writes not all applied as acknowledged";
    List<Check> checks = new ArrayList<>();
    for (String kind : List.of("INSERT", "UPDATE")) {
      Latencies acks = kind.equals("INSERT") ? single.inserts() : single.updates();
      double ratio = kind.equals("INSERT") ? insertRatio() : updateRatio();
      checks.add(
          new Check(
              kind + " ack p50",
              String.format("p50 <= %.0f ms", ACK_P50_GOAL_MILLIS),
              singleWhy.isEmpty() && acks.p50Millis() <= ACK_P50_GOAL_MILLIS,
              singleWhy));
      checks.add(
          new Check(
              kind + " ack p99",
              String.format("p99 <= %.0f ms", ACK_P99_GOAL_MILLIS),
              singleWhy.isEmpty() && acks.p99Millis() <= ACK_P99_GOAL_MILLIS,
              singleWhy));
      checks.add(
          new Check(
              kind + " baseline ratio",
              String.format(">= %.0fx", BASELINE_RATIO_GOAL),
              singleWhy.isEmpty() && ratio >= BASELINE_RATIO_GOAL,
              singleWhy));
    }
    checks.add(freshnessCheck(atGoalRate()));
    return checks;
  }

  /**
   * The freshness run the goal is checked on: the one offering {@value #FRESHNESS_GOAL_RATE}
   * writes/s, or null when no run did.
   */
  Freshness atGoalRate() {
    for (Freshness freshness : result.freshness()) {
      if (freshness.rate() == FRESHNESS_GOAL_RATE) {
        return freshness;
      }
    }
    return null;
  }

  private Check freshnessCheck(Freshness freshness) {
    String goal =
        String.format(
            "p99 <= %.0f s at %,d/s", FRESHNESS_P99_GOAL_MILLIS / 1000, FRESHNESS_GOAL_RATE);
    String why = "";
    if (freshness == null) {
      why =
          String.format(
              "not measured at %,d/s (rates offered: %s)",
              FRESHNESS_GOAL_RATE, rates(result.options().rates()));
    } else if (freshness.achievedRate() < RATE_TOLERANCE * FRESHNESS_GOAL_RATE) {
      why = String.format("achieved only %,.0f/s", freshness.achievedRate());
    } else if (freshness.visible() < freshness.writes()) {
      why =
          String.format("%,d of %,d writes never visible", freshness.visible(), freshness.writes());
    } else if (!freshness.results().allOk()) {
      why = "writes not all applied as acknowledged";
    }
    boolean met = why.isEmpty() && freshness.freshness().p99Millis() <= FRESHNESS_P99_GOAL_MILLIS;
    return new Check("freshness p99", goal, met, why);
  }

  /** Rates as the report prints them: {@code 100/1,000}. */
  static String rates(List<Integer> rates) {
    return String.join("/", rates.stream().map(rate -> String.format("%,d", rate)).toList());
  }

  /** The Iceberg append's median over Icecap's INSERT acknowledgement median. */
  double insertRatio() {
    return result.baseline().appends().p50Millis() / result.single().inserts().p50Millis();
  }

  /** The Iceberg row delta's median over Icecap's UPDATE acknowledgement median. */
  double updateRatio() {
    return result.baseline().rowDeltas().p50Millis() / result.single().updates().p50Millis();
  }

  private static String latencies(Latencies l) {
    return String.format(
        "p50 %.3f p99 %.3f mean %.3f max %.2f ms",
        l.p50Millis(), l.p99Millis(), l.meanMillis(), l.maxMillis());
  }

  private static String shortLatencies(Latencies l) {
    return String.format("p50 %.1f p99 %.1f ms", l.p50Millis(), l.p99Millis());
  }

  private static String ratio(double ratio) {
    return String.format(ratio < 10 ? "%.1fx" : "%.0fx", ratio);
  }

  private static String goalText(List<Check> checks) {
    return String.join(", ", checks.stream().map(Check::goal).toList());
  }

  private static String metText(List<Check> checks) {
    return String.join(" ", checks.stream().map(c -> c.met() ? "yes" : "NO").toList());
  }

  @Override
  public void writeJson(Path file) throws IOException {
    new WriteJson(result).write(file);
  }

  /** The headline figures: acknowledgement latencies and freshness. */
  @Override
  public List<Figure> figures() {
    List<Check> checks = checks();
    Baseline baseline = result.baseline();
    WriteResult.Single single = result.single();
    List<Figure> figures = new ArrayList<>();
    for (int kind = 0; kind < 2; kind++) {
      String name = kind == 0 ? "INSERT" : "UPDATE";
      Latencies acks = kind == 0 ? single.inserts() : single.updates();
      Latencies commits = kind == 0 ? baseline.appends() : baseline.rowDeltas();
      String baselineName = kind == 0 ? "Iceberg append per write" : "Iceberg row delta per write";
      Check p50 = checks.get(3 * kind);
      Check p99 = checks.get(3 * kind + 1);
      Check ratio = checks.get(3 * kind + 2);
      figures.add(
          Figure.versus(
                  "1 write ack",
                  name + " p50",
                  "ms",
                  acks.p50Millis(),
                  commits.p50Millis(),
                  baselineName)
              .withGoal(p50.goal() + ", " + ratio.goal() + " lower", p50.met() && ratio.met()));
      figures.add(
          Figure.versus(
                  "1 write ack",
                  name + " p99",
                  "ms",
                  acks.p99Millis(),
                  commits.p99Millis(),
                  baselineName)
              .withGoal(p99.goal(), p99.met()));
    }
    figures.add(
        Figure.of(
            "1 write ack",
            String.format("throughput, %d clients", result.concurrent().clients()),
            "writes/s",
            result.concurrent().writesPerSecond()));
    Check fresh = checks.get(6);
    for (Freshness freshness : result.freshness()) {
      Figure figure =
          Figure.of(
              "2 freshness",
              String.format("p99 at %,d/s", freshness.rate()),
              "ms",
              freshness.freshness() == null ? Double.NaN : freshness.freshness().p99Millis());
      figures.add(
          freshness.rate() == FRESHNESS_GOAL_RATE
              ? figure.withGoal(fresh.goal(), fresh.met())
              : figure);
    }
    return figures;
  }
}
