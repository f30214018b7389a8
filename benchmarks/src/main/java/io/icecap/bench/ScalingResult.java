package io.icecap.bench;

import io.icecap.bench.WriteLedger.Verification;
import io.icecap.bench.WriteResult.Freshness;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * What a scaling benchmark run measured, and where.
 *
 * @param options the run's settings
 * @param machine the machine and library versions
 * @param redis the Redis server's version and persistence settings, as it reports them
 * @param debounceMillis the dispatcher's debounce window
 * @param counts one per worker count, in the order of the options
 */
record ScalingResult(
    ScalingOptions options,
    Machine machine,
    Map<String, String> redis,
    long debounceMillis,
    List<WorkerCount> counts) {

  /** Copies the list. */
  ScalingResult {
    counts = List.copyOf(counts);
  }

  /**
   * The worker count the others' speed-up is over: 1 worker, else the first.
   *
   * @throws IllegalStateException when there is none
   */
  WorkerCount baseline() {
    return counts.stream()
        .filter(count -> count.workers() == 1)
        .findFirst()
        .orElseGet(
            () -> {
              if (counts.isEmpty()) {
                throw new IllegalStateException("No worker count was measured");
              }
              return counts.get(0);
            });
  }

  /**
   * The repetitions of one worker count, each with a fresh Redis, warehouse and fleet and the same
   * seeded writes; its figures are the medians of theirs.
   *
   * @param workers worker processes
   * @param runs every repetition, in run order
   */
  record WorkerCount(int workers, List<Run> runs) {
    WorkerCount {
      runs = List.copyOf(runs);
      if (runs.isEmpty()) {
        throw new IllegalArgumentException("A worker count needs at least one repetition");
      }
    }

    /** How many repetitions make each figure. */
    int repetitions() {
      return runs.size();
    }

    /** Every repetition's backlog time, queueing to the last write visible (-1: not all were). */
    long[] drainNanos() {
      return runs.stream().mapToLong(run -> run.backlog().drainNanos()).toArray();
    }

    /** Every repetition's freshness p99 (-1: no write became visible). */
    long[] freshnessP99Nanos() {
      return percentile(run -> run.freshness().freshness().p99Nanos());
    }

    /** Every repetition's freshness p50 (-1: no write became visible). */
    long[] freshnessP50Nanos() {
      return percentile(run -> run.freshness().freshness().p50Nanos());
    }

    /** Every repetition's slowest write to become visible (-1: none did). */
    long[] freshnessMaxNanos() {
      return percentile(run -> run.freshness().freshness().maxNanos());
    }

    /** Writes applied per second over the median backlog time; 0 when any was not all applied. */
    double appliedPerSecond() {
      long[] drains = drainNanos();
      if (Arrays.stream(drains).anyMatch(nanos -> nanos <= 0)) {
        return 0;
      }
      return runs.get(0).backlog().writes() / (QueryBenchmark.Figures.median(drains) / 1e9);
    }

    /** The median freshness p99 in milliseconds; NaN when a repetition had no write visible. */
    double freshnessP99Millis() {
      long[] p99 = freshnessP99Nanos();
      return Arrays.stream(p99).anyMatch(nanos -> nanos < 0)
          ? Double.NaN
          : QueryBenchmark.Figures.median(p99) / 1e6;
    }

    /** The repetition with the median backlog time: the one the other columns and notes show. */
    Run typical() {
      long median = QueryBenchmark.Figures.median(drainNanos());
      return runs.stream()
          .filter(run -> run.backlog().drainNanos() == median)
          .findFirst()
          .orElseThrow();
    }

    /** Whether every repetition's writes were all visible, applied once and read back. */
    boolean verified() {
      return runs.stream().allMatch(Run::verified);
    }

    private long[] percentile(ToLongFunction<Run> nanos) {
      return runs.stream()
          .mapToLong(run -> run.freshness().freshness() == null ? -1 : nanos.applyAsLong(run))
          .toArray();
    }
  }

  /** A copy of {@code shares} ordered by worker id: worker-0, worker-1, ..., worker-10. */
  static Map<String, Share> inWorkerOrder(Map<String, Share> shares) {
    Map<String, Share> ordered =
        new TreeMap<>(
            Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()));
    ordered.putAll(shares);
    return Collections.unmodifiableMap(ordered);
  }

  /**
   * What one worker process did in a phase.
   *
   * @param snapshots snapshots it committed (one per checkpoint)
   * @param writes writes those snapshots applied: the rise of {@code icecap.sequence} over the
   *     table's previous snapshot
   */
  record Share(int snapshots, long writes) {}

  /**
   * The same write workload with one number of worker processes.
   *
   * @param workers worker processes
   * @param fleetStartNanos from starting the processes to every one printing its ready line
   * @param seedNanos from submitting every table's seeding insert to all of them applied
   * @param freshness writes at the fixed offered rate, spread over the tables, and their time from
   *     acknowledgement to visibility
   * @param freshnessShares what each worker process applied in that phase, by worker id in order
   * @param backlog buffered writes applied by the workers together
   * @param verification every table read back with Iceberg's reader against every acknowledged
   *     write (warm-up, freshness and backlog)
   * @param exited worker processes that exited during the run, with their last output
   */
  record Run(
      int workers,
      long fleetStartNanos,
      long seedNanos,
      Freshness freshness,
      Map<String, Share> freshnessShares,
      Backlog backlog,
      Verification verification,
      List<String> exited) {
    Run {
      freshnessShares = inWorkerOrder(freshnessShares);
      exited = List.copyOf(exited);
    }

    /** Whether everything acknowledged was visible, applied once and read back as written. */
    boolean verified() {
      return verification.ok()
          && exited.isEmpty()
          && freshness.visible() == freshness.writes()
          && freshness.results().allOk()
          && backlog.visible()
          && backlog.results().allOk();
    }
  }

  /**
   * Writes buffered in the tables' logs while no worker was asked to apply them, then one apply
   * request per table to the queue, applied by the worker processes together.
   *
   * @param writes writes buffered, spread evenly over the tables
   * @param submitNanos how long the clients took to have them acknowledged
   * @param acks acknowledgement latency of each
   * @param drainNanos from queueing the requests to the last table's snapshot holding its last
   *     write (as the watcher saw it), or -1 when not all became visible
   * @param snapshots snapshots committed while the backlog was applied
   * @param snapshotsWhileBuffering snapshots committed while the writes were buffered (a job of the
   *     phase before that was still queued in a worker; 0 for a clean figure)
   * @param shares what each worker process applied, by worker id in order
   * @param results what the workers published for the writes
   */
  record Backlog(
      int writes,
      long submitNanos,
      Latencies acks,
      long drainNanos,
      int snapshots,
      int snapshotsWhileBuffering,
      Map<String, Share> shares,
      ResultTally results) {
    Backlog {
      shares = inWorkerOrder(shares);
    }

    /** Whether every write became visible. */
    boolean visible() {
      return drainNanos >= 0;
    }

    /** Writes applied per second while the workers drained the backlog (0 when not all were). */
    double appliedPerSecond() {
      return drainNanos <= 0 ? 0 : writes / (drainNanos / 1e9);
    }

    /** Writes acknowledged per second while the clients buffered them. */
    double acknowledgedPerSecond() {
      return writes / (submitNanos / 1e9);
    }
  }
}
