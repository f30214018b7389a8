package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import io.icecap.bench.ScalingResult.Backlog;
import io.icecap.bench.ScalingResult.Run;
import io.icecap.bench.ScalingResult.WorkerCount;
import io.icecap.bench.WriteResult.Freshness;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What the scaling benchmark's figures include, with each run's checks, under its table. */
final class ScalingNotes {
  private final ScalingResult result;

  ScalingNotes(ScalingResult result) {
    this.result = requireNonNull(result, "result is null");
  }

  void print(PrintStream out) {
    ScalingOptions options = result.options();
    int maxWorkers = options.workers().stream().mapToInt(Integer::intValue).max().orElse(1);
    Notes.print(
        out,
        "backlog",
        String.format(
            "%,d writes (%,d per table) acknowledged while no worker was asked to apply them, then"
                + " one apply request per table queued at once: writes over the time from queueing"
                + " to the last table's snapshot holding its last write, as the watcher saw it."
                + " This is the throughput the workers sustain when work is waiting; one table is"
                + " applied by one job at a time (its partitions' leases), so %d tables are what %s"
                + " share. speed-up = applied writes/s over the %s run's.",
            options.backlog(),
            options.backlog() / options.tables(),
            options.tables(),
            maxWorkers == 1 ? "the worker has to" : "the workers",
            ScalingReport.workers(result.baseline().workers())));
    Notes.print(
        out,
        "freshness",
        String.format(
            "%,d writes/s offered for %d s by %d sender threads over the %d tables; from a write's"
                + " acknowledgement to the watcher (one thread refreshing every table in turn, %d ms"
                + " rest between rounds) seeing a snapshot of its table at or above its sequence"
                + " number. sent = writes over the time from the first due time to the last"
                + " acknowledgement: the rate the clients kept (below the offered one when the"
                + " cores are busy); kept up = writes over the time from the first due time to the"
                + " last write visible: the rate the workers kept up with, at most the sent one.",
            options.rate(),
            options.seconds(),
            options.clients(),
            options.tables(),
            SnapshotWatcher.POLL.toMillis()));
    Notes.print(
        out,
        "snapshots",
        "committed in the freshness phase + in the backlog phase, one per checkpoint of a table."
            + " Writes applied by each worker: its snapshots' rise of icecap.sequence over the"
            + " table's previous snapshot, as shares of the freshness phase's writes; of the"
            + " backlog's, in worker order (worker-0/worker-1/...).");
    int tables = options.tables();
    List<String> waiting = new ArrayList<>();
    for (WorkerCount count : result.counts()) {
      int threads = count.workers() * options.workerThreads();
      if (threads < tables) {
        waiting.add(
            String.format(
                "%s: %d of %d tables at a time",
                ScalingReport.workers(count.workers()), threads, tables));
      }
    }
    Notes.print(
        out,
        "waiting",
        "a job keeps its worker thread for as long as its table has records pending (up to its 60 s"
            + " job time), and under a steady stream of writes a table always has some: a worker"
            + " thread serves one busy table at a time, and the tables it was also asked for wait"
            + " until the writes stop. "
            + (waiting.isEmpty()
                ? "Every run here had a worker thread per table."
                : "Runs with fewer worker threads than tables ("
                    + String.join("; ", waiting)
                    + ") leave the others waiting: their writes become visible only after the"
                    + " freshness phase, so its p99 is about the phase's length (--seconds), not a"
                    + " property of the rate."));
    Notes.print(
        out,
        "cores",
        String.format(
            "this machine has %d cores, shared by the worker processes, the clients, their"
                + " validation databases, the watcher and Redis. %s",
            result.machine().cores(),
            maxWorkers > result.machine().cores()
                ? String.format(
                    "With more worker processes than cores (%d here) the CPU-bound part of applying"
                        + " and checkpointing cannot speed up: the processes take turns on the same"
                        + " cores. What more processes can still overlap is waiting (fsyncs, Redis"
                        + " round trips).",
                    maxWorkers)
                : "Every worker process can have a core of its own, but not beside the rest."));
    Notes.print(out, "repeats", repeats());
    for (WorkerCount count : result.counts()) {
      Notes.print(
          out, ScalingReport.workers(count.workers()), samples(count) + details(count.typical()));
    }
    Notes.print(
        out,
        "timings",
        "one machine; latencies are nearest-rank percentiles. On a small or shared machine"
            + " absolute times move between runs: compare worker counts within one run, and rerun"
            + " before drawing conclusions.");
  }

  private String repeats() {
    int repeat = result.options().repeat();
    return repeat == 1
        ? "each worker count was run once: its figures are of that one run."
        : String.format(
            "each worker count was run %d times, each time with a fresh Redis, warehouse and fleet"
                + " and the same seeded writes. Applied writes/s (with the backlog time) and the"
                + " freshness p50, p99 and max are medians of the %d; the other columns and the"
                + " details below are of the repetition with the median backlog time. Every"
                + " repetition is in the JSON.",
            repeat, repeat);
  }

  /** Every repetition's backlog time and freshness p99, when there was more than one. */
  private static String samples(WorkerCount count) {
    if (count.repetitions() == 1) {
      return "";
    }
    return String.format(
        "%d repetitions: backlog %s s; freshness p99 %s ms. The median one: ",
        count.repetitions(),
        String.join(
            " / ",
            Arrays.stream(count.drainNanos())
                .mapToObj(nanos -> nanos < 0 ? "-" : String.format("%.2f", nanos / 1e9))
                .toList()),
        String.join(
            " / ",
            Arrays.stream(count.freshnessP99Nanos())
                .mapToObj(nanos -> nanos < 0 ? "-" : String.format("%.0f", nanos / 1e6))
                .toList()));
  }

  private String details(Run run) {
    Freshness freshness = run.freshness();
    Backlog backlog = run.backlog();
    return String.format(
        "processes ready in %.1f s; %d tables seeded through them in %.1f s. Backlog: acknowledged"
            + " at %,.0f writes/s (ack p99 %.2f ms), applied in %d snapshots%s; results %s."
            + " Freshness: %,d writes at %,.0f/s achieved, %,d of %,d visible, results %s;"
            + " %s sent late by p99 %.1f ms; the watcher refreshed a table every %.1f ms on"
            + " average. Read back: %s.%s",
        run.fleetStartNanos() / 1e9,
        result.options().tables(),
        run.seedNanos() / 1e9,
        backlog.acknowledgedPerSecond(),
        backlog.acks().p99Millis(),
        backlog.snapshots(),
        backlog.snapshotsWhileBuffering() == 0
            ? ""
            : String.format(
                " (and %d while it was buffered: a job of the freshness phase still queued)",
                backlog.snapshotsWhileBuffering()),
        backlog.results().describe(),
        freshness.writes(),
        freshness.achievedRate(),
        freshness.visible(),
        freshness.writes(),
        freshness.results().describe(),
        freshness.drainNanos() < 0
            ? ""
            : String.format(
                "the last visible %.2f s after the last acknowledgement;",
                freshness.drainNanos() / 1e9),
        freshness.lag().p99Millis(),
        freshness.pollMillis(),
        run.verification().describe(),
        run.exited().isEmpty() ? "" : " Worker processes exited: " + run.exited() + ".");
  }
}
