package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import io.icecap.bench.FreshnessScenario.Target;
import io.icecap.bench.ScalingResult.Backlog;
import io.icecap.bench.ScalingResult.Share;
import io.icecap.txn.Orchestrator;
import io.icecap.txn.SqlStatement;
import io.icecap.txn.dispatch.ApplyRequest;
import io.icecap.txn.dispatch.Invoker;
import io.icecap.txn.log.JobState;
import io.icecap.txn.log.Lease;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.iceberg.Table;

/**
 * The throughput the workers sustain when work is always waiting: clients send writes as fast as
 * they are acknowledged while the dispatcher's requests are held back ({@link GatedInvoker} shut),
 * so the writes stay in the tables' logs; then one apply request per table goes to the queue, as
 * the dispatcher would send it, and the worker processes apply the backlog together. Write {@code
 * i} goes to table {@code i % T}, so every table gets the same share.
 */
final class BacklogScenario {
  /** How long the backlog may take to become visible once the requests are queued. */
  static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(5);

  /**
   * How long no table may have a live lease before the backlog is buffered: a job of the phase
   * before that is still running, or queued in a worker behind another, would start applying the
   * backlog while it is being buffered.
   */
  static final Duration SETTLE = Duration.ofSeconds(1);

  private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(2);

  private final Orchestrator orchestrator;
  private final List<Target> targets;
  private final GatedInvoker gate;
  private final Invoker queue;
  private final PrintStream progress;

  /**
   * @param gate the dispatcher's invoker, shut while the backlog is built
   * @param queue where the apply requests go once it is built
   */
  BacklogScenario(
      Orchestrator orchestrator,
      List<Target> targets,
      GatedInvoker gate,
      Invoker queue,
      PrintStream progress) {
    this.orchestrator = requireNonNull(orchestrator, "orchestrator is null");
    this.targets = List.copyOf(targets);
    this.gate = requireNonNull(gate, "gate is null");
    this.queue = requireNonNull(queue, "queue is null");
    this.progress = requireNonNull(progress, "progress is null");
  }

  /** Buffers {@code writes} writes from {@code clients} threads, then has them applied. */
  Backlog run(int writes, int clients, long seed) throws InterruptedException, ExecutionException {
    int tables = targets.size();
    List<Table> watched = targets.stream().map(Target::watched).toList();
    long[] sequences = new long[writes];
    long[] acks = new long[writes];
    progress.printf(
        "  buffering %,d writes from %d client%s, no worker asked to apply them...%n",
        writes, clients, clients == 1 ? "" : "s");
    awaitNoJobs();
    List<Set<Long>> beforeBuffering = WorkerShares.snapshotIds(watched);
    gate.shut();
    long submitStart = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        SplittableRandom random = new SplittableRandom(seed * 31 + 5_000 + client);
        futures.add(
            pool.submit(
                () -> {
                  for (int i = client; i < writes; i += clients) {
                    Target target = targets.get(i % tables);
                    SqlStatement statement = target.workload().mixed(i / tables, random);
                    long begin = System.nanoTime();
                    sequences[i] =
                        orchestrator.submit(target.identifier(), List.of(statement)).sequence();
                    acks[i] = System.nanoTime() - begin;
                    target.acknowledged().accept(statement);
                  }
                  return null;
                }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }
    long submitNanos = System.nanoTime() - submitStart;
    long[][] perTable = new long[tables][];
    long[] highest = new long[tables];
    for (int t = 0; t < tables; t++) {
      int count = writes / tables + (t < writes % tables ? 1 : 0);
      perTable[t] = new long[count];
      for (int k = 0; k < count; k++) {
        perTable[t][k] = sequences[t + k * tables];
        highest[t] = Math.max(highest[t], perTable[t][k]);
      }
    }
    progress.printf(
        "  %,d writes acknowledged in %.2f s (%,.0f/s); queueing one apply request per table...%n",
        writes, submitNanos / 1e9, writes / (submitNanos / 1e9));

    int early = WorkerShares.snapshots(WorkerShares.since(watched, beforeBuffering));
    if (early > 0) {
      progress.printf(
          "  %d snapshot%s committed while the writes were buffered: the backlog's figure is not"
              + " clean%n",
          early, early == 1 ? " was" : "s were");
    }
    List<Set<Long>> before = WorkerShares.snapshotIds(watched);
    long drainNanos;
    try (SnapshotWatcher watcher = new SnapshotWatcher(watched, progress)) {
      long start = System.nanoTime();
      gate.open();
      for (int t = 0; t < tables; t++) {
        queue.invoke(new ApplyRequest(targets.get(t).identifier(), highest[t]));
      }
      boolean visible = watcher.await(highest, DRAIN_TIMEOUT);
      watcher.close();
      long last = Long.MIN_VALUE;
      for (int t = 0; t < tables; t++) {
        last = Math.max(last, watcher.visibleAt(t, new long[] {highest[t]})[0]);
      }
      drainNanos = visible ? last - start : -1;
      if (visible) {
        progress.printf(
            "  applied in %.2f s: %,.0f writes/s%n", drainNanos / 1e9, writes / (drainNanos / 1e9));
      } else {
        progress.printf("  not all writes visible after %s%n", DRAIN_TIMEOUT);
      }
    }
    Map<String, Share> shares = WorkerShares.since(watched, before);
    ResultTally results = ResultTally.of(targets.get(0).log(), perTable[0], 1);
    for (int t = 1; t < tables; t++) {
      results = results.plus(ResultTally.of(targets.get(t).log(), perTable[t], 1));
    }
    return new Backlog(
        writes,
        submitNanos,
        Latencies.of(acks),
        drainNanos,
        WorkerShares.snapshots(shares),
        early,
        shares,
        results);
  }

  /** Waits until no table has had a live partition lease for {@link #SETTLE}. */
  private void awaitNoJobs() throws InterruptedException {
    long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
    long quietSince = System.nanoTime();
    while (System.nanoTime() - quietSince < SETTLE.toNanos()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "The workers kept holding leases for " + SETTLE_TIMEOUT + " after the last phase");
      }
      for (Target target : targets) {
        JobState state = target.log().state();
        for (Lease lease : state.leases().values()) {
          if (lease.expiresAtMillis() > state.serverTimeMillis()) {
            quietSince = System.nanoTime();
          }
        }
      }
      Thread.sleep(20);
    }
  }
}
