package io.icecap.cli;

import io.icecap.client.IcecapSession;
import io.icecap.worker.maintenance.MaintenanceProgress;
import io.icecap.worker.maintenance.MaintenanceReport;
import io.icecap.worker.maintenance.MaintenanceRequest;
import io.icecap.worker.maintenance.MaintenanceTask;
import io.icecap.worker.maintenance.TaskReport;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code icecap maintain TABLE}: runs maintenance on a table, showing progress on standard error
 * (one line rewritten in place on a terminal, else a line per step), then what each task did.
 */
final class Maintain {
  /** The most file names a dry run lists. */
  static final int LISTED_FILES = 50;

  private final IcecapSession session;
  private final PrintStream out;
  private final PrintStream err;
  private final boolean terminal;

  /**
   * @param terminal whether standard error is a terminal: progress then rewrites one line
   */
  Maintain(IcecapSession session, PrintStream out, PrintStream err, boolean terminal) {
    this.session = session;
    this.out = out;
    this.err = err;
    this.terminal = terminal;
  }

  /** Runs the request on the table and prints its report. */
  void run(String table, MaintenanceRequest request) {
    Progress progress = progress(terminal, err);
    MaintenanceReport report;
    try {
      report = session.maintain(table, request, progress);
    } finally {
      progress.end();
    }
    print(report);
  }

  /** Where progress goes: a rewritten line on a terminal, else a line per step. */
  static Progress progress(boolean terminal, PrintStream err) {
    return terminal ? new Bar(err) : new Lines(err);
  }

  /** Prints what the run did: a row per task and the totals; a dry run's files, capped. */
  void print(MaintenanceReport report) {
    out.printf(
        "%s %s in %s%n",
        report.dryRun() ? "Dry run of the maintenance of" : "Maintained",
        report.table(),
        seconds(report.took()));
    TextTable table =
        TextTable.of(
                "task",
                "snapshots expired",
                "files removed",
                "bytes removed",
                "files written",
                "bytes written",
                "partitions",
                "time")
            .alignRight(1, 2, 3, 4, 5, 6, 7);
    long snapshots = 0;
    long partitions = 0;
    for (TaskReport task : report.tasks()) {
      table.add(
          name(task.task()),
          task.snapshotsExpired(),
          task.filesRemoved(),
          task.bytesRemoved(),
          task.filesWritten(),
          task.bytesWritten(),
          task.partitions(),
          seconds(task.took()));
      snapshots += task.snapshotsExpired();
      partitions += task.partitions();
    }
    table.add(
        "total",
        snapshots,
        report.filesRemoved(),
        report.bytesRemoved(),
        report.filesWritten(),
        report.bytesWritten(),
        partitions,
        seconds(report.took()));
    table.print(out);
    if (report.dryRun()) {
      out.println("Nothing was changed. Files the run would remove:");
      int listed = 0;
      for (TaskReport task : report.tasks()) {
        for (String file : task.files()) {
          if (listed == LISTED_FILES) {
            break;
          }
          out.printf("  %s  %s%n", name(task.task()), file);
          listed++;
        }
      }
      if (listed == 0) {
        out.println("  none");
      } else if (report.filesRemoved() > listed) {
        out.printf("  … and %d more%n", report.filesRemoved() - listed);
      }
    }
  }

  static String name(MaintenanceTask task) {
    return task.name().toLowerCase(Locale.ROOT);
  }

  private static String seconds(Duration took) {
    return String.format(Locale.ROOT, "%.1f s", took.toMillis() / 1000.0);
  }

  abstract static class Progress implements MaintenanceProgress {
    /** Ends the progress output: the report follows on lines of its own. */
    abstract void end();
  }

  /** One line on a terminal, rewritten with each report: task, step, done/total, percentage. */
  private static final class Bar extends Progress {
    private final PrintStream err;
    private int width;
    private String shown;
    private long shownAt;

    Bar(PrintStream err) {
      this.err = err;
    }

    @Override
    public void progress(MaintenanceTask task, String step, long done, long total) {
      long now = System.nanoTime();
      // a redraw per file would cost more than the step: at most 20 a second, and each step's
      // start and end
      String key = task + " " + step;
      if (width > 0 && done != total && key.equals(shown) && now - shownAt < 50_000_000L) {
        return;
      }
      shown = key;
      shownAt = now;
      String line =
          total < 0
              ? String.format("%-8s %s: %d", name(task), step, done)
              : String.format(
                  Locale.ROOT,
                  "%-8s %s: %d/%d %s %3d%%",
                  name(task),
                  step,
                  done,
                  total,
                  bar(done, total),
                  total == 0 ? 100 : Math.min(100, done * 100 / total));
      err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
      err.flush();
      width = line.length();
    }

    private static String bar(long done, long total) {
      int filled = total == 0 ? 20 : (int) Math.min(20, done * 20 / total);
      return "[" + "#".repeat(filled) + " ".repeat(20 - filled) + "]";
    }

    @Override
    void end() {
      if (width > 0) {
        err.println();
        width = 0;
      }
    }
  }

  /** A line per step, and one when a step with a known total is done: for logs and pipes. */
  private static final class Lines extends Progress {
    private final PrintStream err;
    private MaintenanceTask task;
    private String step;
    private boolean ended;

    Lines(PrintStream err) {
      this.err = err;
    }

    @Override
    public void progress(MaintenanceTask task, String step, long done, long total) {
      boolean next = task != this.task || !Objects.equals(step, this.step);
      if (next) {
        this.task = task;
        this.step = step;
        ended = false;
        err.printf("%s: %s%s%n", name(task), step, total < 0 ? "" : String.format(" (%d)", total));
      }
      if (!ended && total >= 0 && done >= total && total > 0) {
        ended = true;
        err.printf("%s: %s done, %d/%d%n", name(task), step, done, total);
      }
    }

    @Override
    void end() {}
  }
}
