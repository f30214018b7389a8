package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import io.icecap.bench.WriteResult.Freshness;
import io.icecap.txn.CommitToken;
import io.icecap.txn.Orchestrator;
import io.icecap.txn.SqlStatement;
import io.icecap.txn.log.TableLog;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Writes offered at a fixed rate, and how long each takes from its acknowledgement to a snapshot a
 * reader sees. Write {@code i} is due at {@code start + i / rate} and goes to table {@code i % T}
 * of the {@code T} targets; the senders take the writes in turn, each waiting for its next write's
 * due time (a late sender sends at once, so the achieved rate shows when the offered one was not
 * kept).
 */
final class FreshnessScenario {
  /** How long the writes may take to become visible after the last one is acknowledged. */
  static final Duration VISIBILITY_TIMEOUT = Duration.ofMinutes(2);

  /**
   * A table the scenario writes to.
   *
   * @param identifier the table
   * @param watched an instance of the table for the watcher alone
   * @param log the table's log, to read the results the worker published
   * @param workload the table's statements
   * @param acknowledged told of every statement once it is acknowledged, from the sender threads
   */
  record Target(
      TableIdentifier identifier,
      Table watched,
      TableLog log,
      WriteWorkload workload,
      Consumer<SqlStatement> acknowledged) {
    Target {
      requireNonNull(identifier, "identifier is null");
      requireNonNull(watched, "watched is null");
      requireNonNull(log, "log is null");
      requireNonNull(workload, "workload is null");
      requireNonNull(acknowledged, "acknowledged is null");
    }
  }

  private final Orchestrator orchestrator;
  private final List<Target> targets;
  private final PrintStream progress;

  FreshnessScenario(Orchestrator orchestrator, List<Target> targets, PrintStream progress) {
    this.orchestrator = requireNonNull(orchestrator, "orchestrator is null");
    this.targets = List.copyOf(targets);
    this.progress = requireNonNull(progress, "progress is null");
    if (this.targets.isEmpty()) {
      throw new IllegalArgumentException("The freshness scenario needs at least one table");
    }
  }

  /** Offers {@code rate × seconds} writes from {@code senders} threads. */
  Freshness run(int rate, int seconds, int senders, long seed)
      throws InterruptedException, ExecutionException {
    int total = Math.multiplyExact(rate, seconds);
    int tables = targets.size();
    long[] sequences = new long[total];
    long[] acked = new long[total];
    long[] lag = new long[total];
    long[] ackNanos = new long[total];
    int snapshotsBefore = snapshotCount();
    long start;
    try (SnapshotWatcher watcher =
        new SnapshotWatcher(targets.stream().map(Target::watched).toList(), progress)) {
      ExecutorService pool = Executors.newFixedThreadPool(senders);
      start = System.nanoTime() + Duration.ofMillis(50).toNanos();
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
          int sender = s;
          SplittableRandom random = new SplittableRandom(seed * 31 + 1_000 + sender);
          futures.add(
              pool.submit(
                  () -> {
                    for (int i = sender; i < total; i += senders) {
                      Target target = targets.get(i % tables);
                      long due = start + (long) (i * 1e9 / rate);
                      long wait = due - System.nanoTime();
                      if (wait > 0) {
                        LockSupport.parkNanos(wait);
                      }
                      SqlStatement statement = target.workload().mixed(i / tables, random);
                      long begin = System.nanoTime();
                      CommitToken token =
                          orchestrator.submit(target.identifier(), List.of(statement));
                      long end = System.nanoTime();
                      target.acknowledged().accept(statement);
                      sequences[i] = token.sequence();
                      acked[i] = end;
                      lag[i] = Math.max(0, begin - due);
                      ackNanos[i] = end - begin;
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
      long lastAck = max(acked);
      long[][] perTable = perTable(sequences);
      long[] highest = new long[tables];
      for (int t = 0; t < tables; t++) {
        highest[t] = perTable[t].length == 0 ? 0 : max(perTable[t]);
      }
      progress.printf(
          "  %,d writes acknowledged in %.2f s; waiting for them to be visible...%n",
          total, (lastAck - start) / 1e9);
      if (!watcher.await(highest, VISIBILITY_TIMEOUT)) {
        progress.printf("  not all writes visible after %s%n", VISIBILITY_TIMEOUT);
      }
      watcher.close();
      long[] visibleAt = new long[total];
      for (int t = 0; t < tables; t++) {
        long[] at = watcher.visibleAt(t, perTable[t]);
        for (int k = 0; k < at.length; k++) {
          visibleAt[t + k * tables] = at[k];
        }
      }
      int visible = 0;
      int visibleBeforeAck = 0;
      long[] freshness = new long[total];
      for (int i = 0; i < total; i++) {
        if (visibleAt[i] < 0) {
          continue;
        }
        long nanos = visibleAt[i] - acked[i];
        if (nanos < 0) {
          // the watcher saw the snapshot before the sender's thread took its acknowledgement time
          visibleBeforeAck++;
          nanos = 0;
        }
        freshness[visible++] = nanos;
      }
      long lastVisible = visible == total ? max(visibleAt) : -1;
      int snapshotsAfter = snapshotCount();
      ResultTally results = ResultTally.of(targets.get(0).log(), perTable[0], 1);
      for (int t = 1; t < tables; t++) {
        results = results.plus(ResultTally.of(targets.get(t).log(), perTable[t], 1));
      }
      return new Freshness(
          rate,
          seconds,
          senders,
          total,
          total / ((lastAck - start) / 1e9),
          Latencies.of(ackNanos),
          Latencies.of(lag),
          visible,
          visibleBeforeAck,
          visible == 0 ? null : Latencies.of(Arrays.copyOf(freshness, visible)),
          lastVisible < 0 ? -1 : Math.max(0, lastVisible - lastAck),
          lastVisible < 0 ? 0 : total / ((lastVisible - start) / 1e9),
          watcher.events().size(),
          snapshotsAfter - snapshotsBefore,
          watcher.meanCycleMillis(),
          results);
    }
  }

  /** The sequence numbers of the writes to each table: write {@code i} went to {@code i % T}. */
  private long[][] perTable(long[] sequences) {
    int tables = targets.size();
    long[][] perTable = new long[tables][];
    for (int t = 0; t < tables; t++) {
      int count = sequences.length / tables + (t < sequences.length % tables ? 1 : 0);
      perTable[t] = new long[count];
      for (int k = 0; k < count; k++) {
        perTable[t][k] = sequences[t + k * tables];
      }
    }
    return perTable;
  }

  private int snapshotCount() {
    int count = 0;
    for (Target target : targets) {
      target.watched().refresh();
      count += WriteBenchmark.snapshotCount(target.watched());
    }
    return count;
  }

  private static long max(long[] values) {
    long max = Long.MIN_VALUE;
    for (long value : values) {
      max = Math.max(max, value);
    }
    return max;
  }
}
