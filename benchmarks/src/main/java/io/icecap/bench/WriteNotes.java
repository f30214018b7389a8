package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import io.icecap.bench.WriteResult.Baseline;
import io.icecap.bench.WriteResult.Concurrent;
import io.icecap.bench.WriteResult.Freshness;
import io.icecap.bench.WriteResult.Single;
import java.io.PrintStream;

/** What the write benchmark's figures include, with the run's checks, under its table. */
final class WriteNotes {
  private final WriteResult result;

  WriteNotes(WriteResult result) {
    this.result = requireNonNull(result, "result is null");
  }

  void print(PrintStream out) {
    Single single = result.single();
    Concurrent concurrent = result.concurrent();
    Baseline baseline = result.baseline();
    Notes.print(
        out,
        "ack",
        "the time orchestrator.submit(table, [one statement]) takes in the client thread: the"
            + " statement checked in a DuckDB validation database, then one Lua script appending it"
            + " to the table's log in Redis, answered after the append-only file is fsynced. The"
            + " worker applies earlier writes meanwhile, in the same process. Results published by"
            + " the worker: single client "
            + single.results().describe()
            + "; "
            + concurrent.clients()
            + " clients "
            + concurrent.results().describe()
            + ".");
    Notes.print(
        out,
        "baseline",
        String.format(
            "per write: a one-row Parquet data file (for UPDATE also a one-row equality delete file"
                + " on (id, part)) written through the table's FileIO, which forces each file to"
                + " disk, then newAppend().commit() (for UPDATE newRowDelta().commit(), a blind"
                + " upsert that does not read the row): manifest, manifest list, metadata.json, and"
                + " the pointer swap in the same Redis. Timed from the first byte to the commit's"
                + " return, on a table of its own with the same schema and partitioning; its"
                + " snapshots: %,d, total-records %,d, equality deletes %,d. ratio = baseline p50 /"
                + " Icecap ack p50. Baseline means: append %.1f ms, row delta %.1f ms.",
            baseline.snapshots(),
            baseline.totalRecords(),
            baseline.equalityDeletes(),
            baseline.appends().meanMillis(),
            baseline.rowDeltas().meanMillis()));
    Notes.print(
        out,
        "freshness",
        String.format(
            "from a write's acknowledgement to a reader thread (table.refresh() every %d ms) seeing"
                + " a snapshot whose icecap.sequence is at or above the write's sequence number;"
                + " each rate offered for %d s, one after the other, every write visible before the"
                + " next rate starts.",
            SnapshotWatcher.POLL.toMillis(), result.options().seconds()));
    for (Freshness freshness : result.freshness()) {
      Notes.print(out, String.format("  %,d/s", freshness.rate()), freshnessDetails(freshness));
    }
    Notes.print(
        out,
        "timings",
        "one run on one machine; latencies are nearest-rank percentiles. On a small or shared"
            + " machine absolute times move between runs: read the ratios and rerun before"
            + " drawing conclusions.");
  }

  /** One rate's run: what became visible, the snapshots, the backlog left, the acknowledgements. */
  static String freshnessDetails(Freshness freshness) {
    return String.format(
        "Visible: %,d of %,d%s. Results: %s. %,d snapshots (one per checkpoint, %,.0f writes each on"
            + " average). %s At this rate: ack p50 %.3f p99 %.3f ms; sent late by p99 %.3f ms (%d"
            + " sender%s).",
        freshness.visible(),
        freshness.writes(),
        freshness.visibleBeforeAck() == 0
            ? ""
            : String.format(
                " (%,d seen before their acknowledgement time, counted as 0 ms)",
                freshness.visibleBeforeAck()),
        freshness.results().describe(),
        freshness.snapshots(),
        freshness.writes() / (double) Math.max(1, freshness.snapshots()),
        freshness.drainNanos() < 0
            ? ""
            : String.format(
                "The last write was visible %.3f s after the last acknowledgement; the worker"
                    + " applied %,.0f writes/s over the scenario.",
                freshness.drainNanos() / 1e9, freshness.appliedRate()),
        freshness.acks().p50Millis(),
        freshness.acks().p99Millis(),
        freshness.lag().p99Millis(),
        freshness.senders(),
        freshness.senders() == 1 ? "" : "s");
  }
}
