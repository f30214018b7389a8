package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * A reader polling tables in a thread of its own, as a query engine would: it refreshes each table
 * from the catalog in turn and notes when a snapshot with a higher {@code icecap.sequence} (the
 * highest log sequence number the checkpoint applied) becomes current. A write is visible from the
 * first such moment at or above its sequence number in its table.
 */
final class SnapshotWatcher implements AutoCloseable {
  /** The snapshot summary property of an Icecap checkpoint naming its highest applied record. */
  static final String SEQUENCE = "icecap.sequence";

  /** How long the watcher rests after refreshing every table once. */
  static final Duration POLL = Duration.ofMillis(1);

  /**
   * A newly visible sequence number.
   *
   * @param sequence the highest sequence number applied in the current snapshot
   * @param nanos {@link System#nanoTime()} when the watcher saw it
   */
  record Visibility(long sequence, long nanos) {}

  private final List<Table> tables;
  private final PrintStream progress;
  private final Thread thread;
  private final List<List<Visibility>> seen = new ArrayList<>();
  private final AtomicLongArray visible;
  private final long[] lastSnapshotIds;
  private volatile boolean running = true;
  private long cycles;
  private long startedNanos;
  private long stoppedNanos;
  private int failures;

  /** Starts watching {@code table}, a table instance of its own (it is refreshed here). */
  SnapshotWatcher(Table table, PrintStream progress) {
    this(List.of(table), progress);
  }

  /** Starts watching {@code tables}, table instances of their own (they are refreshed here). */
  SnapshotWatcher(List<Table> tables, PrintStream progress) {
    this.tables = List.copyOf(tables);
    this.progress = requireNonNull(progress, "progress is null");
    if (this.tables.isEmpty()) {
      throw new IllegalArgumentException("A watcher needs at least one table");
    }
    this.visible = new AtomicLongArray(this.tables.size());
    this.lastSnapshotIds = new long[this.tables.size()];
    for (int i = 0; i < this.tables.size(); i++) {
      seen.add(new ArrayList<>());
      visible.set(i, sequenceOf(this.tables.get(i).currentSnapshot()));
      lastSnapshotIds[i] = -1;
    }
    this.thread = new Thread(this::watch, "icecap-bench-watcher");
    thread.setDaemon(true);
    thread.start();
  }

  /** The highest sequence number visible so far in the first table. */
  long visible() {
    return visible(0);
  }

  /** The highest sequence number visible so far in the {@code table}-th table. */
  long visible(int table) {
    return visible.get(table);
  }

  /**
   * Waits until {@code sequence} is visible in the first table.
   *
   * @return whether it became visible within the timeout
   */
  boolean await(long sequence, Duration timeout) {
    return await(new long[] {sequence}, timeout);
  }

  /**
   * Waits until {@code sequences[i]} is visible in the {@code i}-th table, for every table.
   *
   * @return whether they all became visible within the timeout
   */
  boolean await(long[] sequences, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int table = 0; table < sequences.length; table++) {
      while (visible.get(table) < sequences[table]) {
        if (System.nanoTime() > deadline || !thread.isAlive()) {
          return false;
        }
        LockSupport.parkNanos(POLL.toNanos());
      }
    }
    return true;
  }

  /**
   * When each write to the first table became visible.
   *
   * @see #visibleAt(int, long[])
   */
  long[] visibleAt(long[] sequences) {
    return visibleAt(0, sequences);
  }

  /**
   * When each write to the {@code table}-th table became visible: {@code nanos[i]} for the write
   * with {@code sequences[i]}, or -1 when it never did while the watcher ran. Call after {@link
   * #close()}.
   */
  long[] visibleAt(int table, long[] sequences) {
    List<Visibility> events = seen.get(table);
    long[] at = new long[sequences.length];
    for (int i = 0; i < sequences.length; i++) {
      at[i] = -1;
      // few visibility events (one per checkpoint): a linear scan is fast enough
      for (Visibility event : events) {
        if (event.sequence() >= sequences[i]) {
          at[i] = event.nanos();
          break;
        }
      }
    }
    return at;
  }

  /** The newly visible sequence numbers of every table. Call after {@link #close()}. */
  List<Visibility> events() {
    List<Visibility> all = new ArrayList<>();
    seen.forEach(all::addAll);
    return List.copyOf(all);
  }

  /**
   * The mean time between two refreshes of one table while the watcher ran: {@link #POLL} plus a
   * refresh of every table. Call after {@link #close()}.
   */
  double meanCycleMillis() {
    return cycles == 0 ? 0 : (stoppedNanos - startedNanos) / 1e6 / cycles;
  }

  private void watch() {
    startedNanos = System.nanoTime();
    while (running) {
      for (int i = 0; i < tables.size(); i++) {
        poll(i);
      }
      cycles++;
      LockSupport.parkNanos(POLL.toNanos());
    }
    stoppedNanos = System.nanoTime();
  }

  private void poll(int index) {
    Table table = tables.get(index);
    try {
      table.refresh();
      Snapshot current = table.currentSnapshot();
      if (current != null && current.snapshotId() != lastSnapshotIds[index]) {
        lastSnapshotIds[index] = current.snapshotId();
        long sequence = sequenceOf(current);
        long now = System.nanoTime();
        if (sequence > visible.get(index)) {
          seen.get(index).add(new Visibility(sequence, now));
          visible.set(index, sequence);
        }
      }
    } catch (RuntimeException e) {
      if (failures++ < 3) {
        progress.printf("  the watcher could not refresh %s: %s%n", table.name(), e);
      }
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
