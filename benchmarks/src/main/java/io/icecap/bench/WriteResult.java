package io.icecap.bench;

import java.util.List;
import java.util.Map;

/**
 * What a write benchmark run measured, and where.
 *
 * @param options the run's settings
 * @param machine the machine and library versions
 * @param redis the Redis server's version and persistence settings, as it reports them
 * @param debounceMillis the dispatcher's debounce window
 * @param single single-row writes from one client
 * @param concurrent single-row writes from concurrent clients
 * @param freshness writes at each fixed rate and their time to visibility, in the order of the
 *     options' rates
 * @param baseline the same writes committed with the Iceberg Java API
 */
record WriteResult(
    WriteOptions options,
    Machine machine,
    Map<String, String> redis,
    long debounceMillis,
    Single single,
    Concurrent concurrent,
    List<Freshness> freshness,
    Baseline baseline) {

  /** Copies the list. */
  WriteResult {
    freshness = List.copyOf(freshness);
  }

  /**
   * Acknowledgement latencies of single-row writes from one client thread, inserts and updates
   * alternating.
   *
   * @param inserts {@code orchestrator.submit} of a single-row INSERT
   * @param updates {@code orchestrator.submit} of a single-row UPDATE
   * @param results what the worker published for the measured writes
   */
  record Single(Latencies inserts, Latencies updates, ResultTally results) {}

  /**
   * Single-row writes, inserts and updates alternating, from concurrent client threads.
   *
   * @param clients client threads
   * @param writes writes in all
   * @param nanos from the start to the last acknowledgement
   * @param latencies acknowledgement latency of every write
   * @param results what the worker published for them
   */
  record Concurrent(int clients, int writes, long nanos, Latencies latencies, ResultTally results) {
    double writesPerSecond() {
      return writes / (nanos / 1e9);
    }
  }

  /**
   * Writes offered at a fixed rate and their time from acknowledgement to visibility.
   *
   * @param rate the offered rate, writes per second
   * @param seconds how long it was offered
   * @param senders the sending threads
   * @param writes writes offered
   * @param achievedRate writes over the time from the first due time to the last acknowledgement
   * @param acks acknowledgement latency at this rate
   * @param lag how late each write was sent after its due time
   * @param visible writes seen in a snapshot before the watcher stopped
   * @param visibleBeforeAck writes whose snapshot the watcher saw before the sender took its
   *     acknowledgement time (counted with a freshness of 0)
   * @param freshness acknowledgement to visibility of the visible writes, or null when none was
   * @param drainNanos from the last acknowledgement to the last write's visibility (-1 when not all
   *     became visible): the backlog the worker had left
   * @param appliedRate writes over the time from the first due time to the last write's visibility:
   *     the rate the worker kept up with (0 when not all became visible)
   * @param visibilityEvents how often the watcher saw a higher applied sequence number
   * @param snapshots snapshots committed during the scenario (one per checkpoint)
   * @param pollMillis the mean time between two refreshes of a table by the watcher
   * @param results what the worker published for the writes
   */
  record Freshness(
      int rate,
      int seconds,
      int senders,
      int writes,
      double achievedRate,
      Latencies acks,
      Latencies lag,
      int visible,
      int visibleBeforeAck,
      Latencies freshness,
      long drainNanos,
      double appliedRate,
      int visibilityEvents,
      int snapshots,
      double pollMillis,
      ResultTally results) {}

  /**
   * Single-row commits with the Iceberg Java API.
   *
   * @param warmups unmeasured commits of each kind first
   * @param appends a one-row data file and {@code newAppend().commit()}
   * @param rowDeltas a one-row equality delete and data file and {@code newRowDelta().commit()}
   * @param snapshots the baseline table's snapshots at the end
   * @param totalRecords the baseline table's {@code total-records} at the end
   * @param equalityDeletes the baseline table's {@code total-equality-deletes} at the end
   */
  record Baseline(
      int warmups,
      Latencies appends,
      Latencies rowDeltas,
      int snapshots,
      long totalRecords,
      long equalityDeletes) {}
}
