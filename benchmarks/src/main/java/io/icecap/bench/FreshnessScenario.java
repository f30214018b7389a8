package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import io.icecap.bench.WriteResult.Freshness;
import io.icecap.txn.CommitToken;
import io.icecap.txn.Orchestrator;
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
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Writes offered at a fixed rate, and how long each takes from its acknowledgement to a snapshot a
 * reader sees. Write {@code i} is due at {@code start + i / rate}; the senders take the writes in
 * turn, each waiting for its next write's due time (a late sender sends at once, so the achieved
 * rate shows when the offered one was not kept).
 */
final class FreshnessScenario {
  /** How long the writes may take to become visible after the last one is acknowledged. */
  static final Duration VISIBILITY_TIMEOUT = Duration.ofMinutes(2);

  private final Orchestrator orchestrator;
  private final TableIdentifier identifier;
  private final Table watched;
  private final TableLog log;
  private final WriteWorkload workload;
  private final PrintStream progress;

  /**
   * @param watched an instance of the table for the watcher alone
   */
  FreshnessScenario(
      Orchestrator orchestrator,
      TableIdentifier identifier,
      Table watched,
      TableLog log,
      WriteWorkload workload,
      PrintStream progress) {
    this.orchestrator = requireNonNull(orchestrator, "orchestrator is null");
    this.identifier = requireNonNull(identifier, "identifier is null");
    this.watched = requireNonNull(watched, "watched is null");
    this.log = requireNonNull(log, "log is null");
    this.workload = requireNonNull(workload, "workload is null");
    this.progress = requireNonNull(progress, "progress is null");
  }

  /** Offers {@code rate × seconds} writes from {@code senders} threads. */
  Freshness run(int rate, int seconds, int senders, long seed)
      throws InterruptedException, ExecutionException {
    int total = Math.multiplyExact(rate, seconds);
    long[] sequences = new long[total];
    long[] acked = new long[total];
    long[] lag = new long[total];
    long[] ackNanos = new long[total];
    int snapshotsBefore = snapshotCount();
    long start;
    try (SnapshotWatcher watcher = new SnapshotWatcher(watched, progress)) {
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
                      long due = start + (long) (i * 1e9 / rate);
                      long wait = due - System.nanoTime();
                      if (wait > 0) {
                        LockSupport.parkNanos(wait);
                      }
                      long begin = System.nanoTime();
                      CommitToken token =
                          orchestrator.submit(identifier, List.of(workload.mixed(i, random)));
                      long end = System.nanoTime();
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
      long highest = max(sequences);
      progress.printf(
          "  %,d writes acknowledged in %.2f s; waiting for sequence %d to be visible...%n",
          total, (lastAck - start) / 1e9, highest);
      if (!watcher.await(highest, VISIBILITY_TIMEOUT)) {
        progress.printf(
            "  not all writes visible after %s: up to sequence %d of %d%n",
            VISIBILITY_TIMEOUT, watcher.visible(), highest);
      }
      watcher.close();
      long[] visibleAt = watcher.visibleAt(sequences);
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
          ResultTally.of(log, sequences, 1));
    }
  }

  private int snapshotCount() {
    watched.refresh();
    return WriteBenchmark.snapshotCount(watched);
  }

  private static long max(long[] values) {
    long max = Long.MIN_VALUE;
    for (long value : values) {
      max = Math.max(max, value);
    }
    return max;
  }
}
