package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import io.icecap.bench.WriteResult.Apply;
import io.icecap.bench.WriteResult.Baseline;
import io.icecap.bench.WriteResult.Concurrent;
import io.icecap.bench.WriteResult.Freshness;
import io.icecap.bench.WriteResult.Single;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** What the write benchmark's figures include, with the run's checks, under its table. */
final class WriteNotes {
  private static final int WIDTH = 100;

  private final WriteResult result;

  WriteNotes(WriteResult result) {
    this.result = requireNonNull(result, "result is null");
  }

  void print(PrintStream out) {
    Single single = result.single();
    Concurrent concurrent = result.concurrent();
    Apply apply = result.apply();
    Baseline baseline = result.baseline();
    note(
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
    note(
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
    note(
        out,
        "freshness",
        String.format(
            "from a write's acknowledgement to a reader thread (table.refresh() every %d ms) seeing"
                + " a snapshot whose icecap.sequence is at or above the write's sequence number;"
                + " each rate offered for %d s, one after the other, every write visible before the"
                + " next rate starts.",
            SnapshotWatcher.POLL.toMillis(), result.options().seconds()));
    for (Freshness freshness : result.freshness()) {
      note(out, String.format("  %,d/s", freshness.rate()), freshnessDetails(freshness));
    }
    note(
        out,
        "apply",
        String.format(
            "one worker.apply(table) call over %,d single-row updates buffered in the log (no"
                + " worker ran while they were submitted, in %.2f s); the worker's partition cache"
                + " held the replicas of its seeding checkpoint. Applying the records %.3f s,"
                + " checkpointing %.3f s (Parquet and DuckDB replicas written, snapshot committed,"
                + " results published); snapshots %d -> %d%s. sum(qty) read back with Iceberg grew by"
                + " %,d, the updates added %,d%s. Results: %s.",
            apply.rows(),
            apply.submitNanos() / 1e9,
            apply.applyNanos() / 1e9,
            apply.checkpointNanos() / 1e9,
            apply.snapshotsBefore(),
            apply.snapshotsAfter(),
            apply.pending() ? "; records were still pending when the call returned" : "",
            apply.qtyObserved(),
            apply.qtyAdded(),
            apply.qtyObserved() == apply.qtyAdded() ? " (verified)" : " (MISMATCH)",
            apply.results().describe()));
    note(
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

  static void note(PrintStream out, String label, String text) {
    List<String> lines = wrap(text);
    for (int i = 0; i < lines.size(); i++) {
      out.printf("%-11s%s%n", i == 0 ? label : "", lines.get(i));
    }
  }

  private static List<String> wrap(String text) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > WIDTH) {
        lines.add(line.toString());
        line.setLength(0);
      }
      line.append(line.length() == 0 ? "" : " ").append(word);
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }
}
