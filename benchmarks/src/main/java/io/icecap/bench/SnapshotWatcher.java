package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * A reader polling a table in a thread of its own, as a query engine would: it refreshes the table
 * from the catalog and notes when a snapshot with a higher {@code icecap.sequence} (the highest log
 * sequence number the checkpoint applied) becomes current. A write is visible from the first such
 * moment at or above its sequence number.
 */
final class SnapshotWatcher implements AutoCloseable {
  /** The snapshot summary property of an Icecap checkpoint naming its highest applied record. */
  static final String SEQUENCE = "icecap.sequence";

  /** How long the watcher rests between two refreshes. */
  static final Duration POLL = Duration.ofMillis(1);

  /**
   * A newly visible sequence number.
   *
   * @param sequence the highest sequence number applied in the current snapshot
   * @param nanos {@link System#nanoTime()} when the watcher saw it
   */
  record Visibility(long sequence, long nanos) {}

  private final Table table;
  private final PrintStream progress;
  private final Thread thread;
  private final List<Visibility> seen = new ArrayList<>();
  private volatile boolean running = true;
  private volatile long visible;
  private long lastSnapshotId = -1;
  private int failures;

  /** Starts watching {@code table}, a table instance of its own (it is refreshed here). */
  SnapshotWatcher(Table table, PrintStream progress) {
    this.table = requireNonNull(table, "table is null");
    this.progress = requireNonNull(progress, "progress is null");
    this.visible = sequenceOf(table.currentSnapshot());
    this.thread = new Thread(this::watch, "icecap-bench-watcher");
    thread.setDaemon(true);
    thread.start();
  }

  /** The highest sequence number visible so far. */
  long visible() {
    return visible;
  }

  /**
   * Waits until {@code sequence} is visible.
   *
   * @return whether it became visible within the timeout
   */
  boolean await(long sequence, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (visible < sequence) {
      if (System.nanoTime() > deadline || !thread.isAlive()) {
        return false;
      }
      LockSupport.parkNanos(POLL.toNanos());
    }
    return true;
  }

  /**
   * When each write became visible: {@code nanos[i]} for the write with {@code sequences[i]}, or -1
   * when it never did while the watcher ran. Call after {@link #close()}.
   */
  long[] visibleAt(long[] sequences) {
    long[] at = new long[sequences.length];
    for (int i = 0; i < sequences.length; i++) {
      at[i] = -1;
      // few visibility events (one per checkpoint): a linear scan is fast enough
      for (Visibility event : seen) {
        if (event.sequence() >= sequences[i]) {
          at[i] = event.nanos();
          break;
        }
      }
    }
    return at;
  }

  /** The newly visible sequence numbers in the order seen. Call after {@link #close()}. */
  List<Visibility> events() {
    return List.copyOf(seen);
  }

  private void watch() {
    while (running) {
      try {
        table.refresh();
        Snapshot current = table.currentSnapshot();
        if (current != null && current.snapshotId() != lastSnapshotId) {
          lastSnapshotId = current.snapshotId();
          long sequence = sequenceOf(current);
          long now = System.nanoTime();
          if (sequence > visible) {
            seen.add(new Visibility(sequence, now));
            visible = sequence;
          }
        }
      } catch (RuntimeException e) {
        if (failures++ < 3) {
          progress.printf("  the watcher could not refresh the table: %s%n", e);
        }
      }
      LockSupport.parkNanos(POLL.toNanos());
    }
  }

  private static long sequenceOf(Snapshot snapshot) {
    if (snapshot == null) {
      return 0;
    }
    String sequence = snapshot.summary().get(SEQUENCE);
    return sequence == null ? 0 : Long.parseLong(sequence);
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(Duration.ofSeconds(30).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
