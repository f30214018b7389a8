package io.icecap.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** One child JVM of a {@link TestingJvmFleet} and its last lines, read by a thread of its own. */
final class ChildJvm {
  /** How long a process may take to exit after SIGKILL. */
  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(30);

  /** How long the output of an exited process may take to be read to its end. */
  private static final Duration OUTPUT_DRAIN_TIMEOUT = Duration.ofSeconds(5);

  private final String id;
  private final Process process;
  private final String readyLine;
  private final int keptLines;
  private final Deque<String> lines = new ArrayDeque<>();
  private long printed;
  private boolean ready;
  private boolean ended;

  private ChildJvm(String id, Process process, String readyLine, int keptLines) {
    this.id = id;
    this.process = process;
    this.readyLine = readyLine;
    this.keptLines = keptLines;
  }

  /**
   * Starts {@code java -cp classPath mainClass arguments...} with its output read into lines; it is
   * ready once a line contains {@code readyLine}.
   */
  static ChildJvm launch(
      String id,
      String mainClass,
      String classPath,
      List<String> arguments,
      String readyLine,
      int keptLines) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(classPath);
    command.add(mainClass);
    command.addAll(arguments);
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot start child JVM " + id + " (" + mainClass + " " + arguments + ")", e);
    }
    ChildJvm jvm = new ChildJvm(id, process, readyLine, keptLines);
    Thread reader = new Thread(jvm::read, "icecap-child-jvm-output-" + id);
    reader.setDaemon(true);
    reader.start();
    return jvm;
  }

  String id() {
    return id;
  }

  Process process() {
    return process;
  }

  private void read() {
    try (BufferedReader output =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = output.readLine(); line != null; line = output.readLine()) {
        synchronized (this) {
          lines.addLast(line);
          printed++;
          ready |= line.contains(readyLine);
          if (lines.size() > keptLines) {
            lines.removeFirst();
          }
          notifyAll();
        }
      }
    } catch (IOException e) {
      // the stream broke with the process; what it printed until then is kept
    } finally {
      synchronized (this) {
        ended = true;
        notifyAll();
      }
    }
  }

  /** Waits until the process has printed its ready line. */
  synchronized void awaitReady(long deadline) {
    awaitUntil(() -> ready, deadline, "become ready");
  }

  /**
   * Waits until one of the kept lines, or a line printed later, contains {@code text}.
   *
   * @param what what the process should do, for the message: "print 'done'"
   */
  synchronized void awaitLine(String text, long deadline, String what) {
    long[] next = {printed - lines.size()};
    awaitUntil(
        () -> {
          long skip = Math.max(0, next[0] - (printed - lines.size()));
          next[0] = printed;
          return lines.stream().skip(skip).anyMatch(line -> line.contains(text));
        },
        deadline,
        what);
  }

  /** Waits until {@code count} of the kept lines contain {@code text}. */
  synchronized void awaitCount(String text, int count, long deadline, String what) {
    awaitUntil(() -> count(text) >= count, deadline, what);
  }

  /** How many of the kept lines contain {@code text}. */
  synchronized int count(String text) {
    return (int) lines.stream().filter(line -> line.contains(text)).count();
  }

  private synchronized void awaitUntil(BooleanSupplier found, long deadline, String what) {
    while (!found.getAsBoolean()) {
      if (ended) {
        throw new IllegalStateException(
            String.format(
                "Child JVM %s exited with code %s before it could %s; it printed:%n%s",
                id, exitValue(), what, output()));
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IllegalStateException(
            String.format(
                "Child JVM %s did not %s within the time allowed; it printed:%n%s",
                id, what, output()));
      }
      try {
        wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 200)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for child JVM " + id, e);
      }
    }
  }

  private String exitValue() {
    try {
      return process.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "?";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }

  /** The kept lines, after a note of how many earlier ones were dropped. */
  synchronized String output() {
    StringBuilder text = new StringBuilder();
    long dropped = printed - lines.size();
    if (dropped > 0) {
      text.append("[").append(dropped).append(" earlier lines left out]\n");
    }
    lines.forEach(line -> text.append(line).append('\n'));
    return text.toString();
  }

  /**
   * SIGKILL, then waits until the process is gone; returns its exit value. The signal goes through
   * the process's handle: {@link Process#destroy} would also close the pipe of its output, and the
   * lines it printed last would be lost.
   */
  int kill() {
    process.toHandle().destroyForcibly();
    return awaitExit(KILL_TIMEOUT, "SIGKILL");
  }

  /**
   * SIGTERM, then SIGKILL when the process is still running after {@code grace}; returns its exit
   * value. A zero grace is SIGKILL at once.
   */
  int stop(Duration grace) {
    if (grace.isZero()) {
      return kill();
    }
    process.toHandle().destroy();
    try {
      if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        awaitOutputRead();
        return process.exitValue();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while stopping child JVM " + id, e);
    }
    return kill();
  }

  private int awaitExit(Duration timeout, String signal) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            String.format(
                "Child JVM %s (pid %d) did not exit within %s of %s",
                id, process.pid(), timeout, signal));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for child JVM " + id, e);
    }
    awaitOutputRead();
    return process.exitValue();
  }

  /**
   * After the process exited, waits (a few seconds at most) until its last lines are read, so that
   * {@link #output()} holds what it printed before it exited.
   */
  private synchronized void awaitOutputRead() {
    long deadline = System.nanoTime() + OUTPUT_DRAIN_TIMEOUT.toNanos();
    while (!ended && System.nanoTime() < deadline) {
      try {
        wait(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Sends a signal ({@code STOP}, {@code CONT}) with the operating system's {@code kill}. */
  void signal(String signal) {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "Cannot send SIG" + signal + " to child JVM " + id + ": it has exited");
    }
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
              .redirectErrorStream(true)
              .start();
      String said = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (kill.waitFor() != 0) {
        throw new IllegalStateException(
            "Cannot send SIG" + signal + " to child JVM " + id + ": " + said.strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run kill -" + signal + " for child JVM " + id, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while signalling child JVM " + id, e);
    }
  }
}
