package io.icecap.testing;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Child JVMs for tests and benchmarks: one process per id, each running the same main class with
 * arguments of its own, started together and ready once each has printed its ready line. A process
 * can be killed (SIGKILL) or frozen (SIGSTOP) on its own; closing the fleet stops every process.
 *
 * <pre>{@code
 * try (TestingJvmFleet fleet =
 *     TestingJvmFleet.builder("io.icecap.worker.WorkerProcess")
 *         .arguments(id -> List.of("--id=" + id, "--uri=" + redis))
 *         .readyLine(id -> "icecap worker " + id + " ready")
 *         .start(List.of("worker-0", "worker-1"))) {
 *   fleet.suspend(1);
 *   fleet.kill(0);
 * }
 * }</pre>
 */
public final class TestingJvmFleet implements AutoCloseable {
  private final List<ChildJvm> members;
  private final Duration stopGrace;
  private boolean closed;

  private TestingJvmFleet(List<ChildJvm> members, Duration stopGrace) {
    this.members = List.copyOf(members);
    this.stopGrace = stopGrace;
  }

  /** A fleet of processes running {@code mainClass}, the name of a class with a main method. */
  public static Builder builder(String mainClass) {
    return new Builder(mainClass);
  }

  /**
   * The class path a class was loaded from, for child JVMs that need the same classes: the URLs of
   * its class loader when that is a {@link URLClassLoader} ({@code mvn exec:java} runs its main
   * class in one), else this JVM's {@code java.class.path}.
   */
  public static String classPathOf(Class<?> loaded) {
    if (!(loaded.getClassLoader() instanceof URLClassLoader loader)) {
      return System.getProperty("java.class.path");
    }
    List<String> entries = new ArrayList<>();
    for (URL url : loader.getURLs()) {
      try {
        entries.add(Path.of(url.toURI()).toString());
      } catch (URISyntaxException | IllegalArgumentException e) {
        throw new IllegalStateException(
            "Cannot use class path entry " + url + " of " + loaded.getName(), e);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  /** How many processes the fleet started, exited ones included. */
  public int size() {
    return members.size();
  }

  /** The ids of the processes, in the order they were started. */
  public List<String> ids() {
    return members.stream().map(ChildJvm::id).toList();
  }

  /** The id of a process. */
  public String id(int index) {
    return member(index).id();
  }

  /** The operating system's id of a process. */
  public long pid(int index) {
    return member(index).process().pid();
  }

  /** Whether a process is still running. */
  public boolean isAlive(int index) {
    return member(index).process().isAlive();
  }

  /**
   * Kills a process with SIGKILL and waits until it is gone; does nothing more to an exited one.
   *
   * @return its exit value, 137 (128 + SIGKILL) when this killed it
   */
  public int kill(int index) {
    return member(index).kill();
  }

  /**
   * Stops a process with SIGTERM and waits until it exits, killing it with SIGKILL when it is still
   * running after {@code grace}.
   *
   * @return its exit value: what the process chose when it stopped on SIGTERM, 137 when it had to
   *     be killed
   */
  public int terminate(int index, Duration grace) {
    if (grace.isNegative() || grace.isZero()) {
      throw new IllegalArgumentException("The grace of SIGTERM must be positive, got " + grace);
    }
    return member(index).stop(grace);
  }

  /** Stops a process with SIGSTOP: it holds what it holds and does nothing until resumed. */
  public void suspend(int index) {
    member(index).signal("STOP");
  }

  /** Lets a process stopped by {@link #suspend} run on (SIGCONT). */
  public void resume(int index) {
    member(index).signal("CONT");
  }

  /**
   * What a process has printed (standard output and error together): its last lines, as many as
   * {@link Builder#keptLines} says.
   */
  public String output(int index) {
    return member(index).output();
  }

  /**
   * Waits until a process prints a line containing {@code text}; a kept line printed before the
   * call counts.
   *
   * @throws IllegalStateException when it exits or the time runs out first; the message holds what
   *     it printed
   */
  public void awaitLine(int index, String text, Duration timeout) {
    member(index).awaitLine(text, System.nanoTime() + timeout.toNanos(), "print '" + text + "'");
  }

  /**
   * Waits until a process has printed its ready line, for a fleet started with {@link
   * Builder#launch}.
   *
   * @throws IllegalStateException when it exits or the time runs out first; the message holds what
   *     it printed
   */
  public void awaitReady(int index, Duration timeout) {
    member(index).awaitReady(System.nanoTime() + timeout.toNanos());
  }

  /**
   * Waits until {@code count} of the kept lines of a process contain {@code text}.
   *
   * @throws IllegalStateException when it exits or the time runs out first; the message holds what
   *     it printed
   */
  public void awaitLines(int index, String text, int count, Duration timeout) {
    member(index)
        .awaitCount(
            text,
            count,
            System.nanoTime() + timeout.toNanos(),
            "print " + count + " lines with '" + text + "'");
  }

  /** How many of the kept lines of a process contain {@code text}. */
  public int countLines(int index, String text) {
    return member(index).count(text);
  }

  /** The processes that have exited, each as its id, its exit value and what it printed last. */
  public List<String> exited() {
    return members.stream()
        .filter(member -> !member.process().isAlive())
        .map(
            member ->
                String.format(
                    "%s (exit %d):%n%s",
                    member.id(), member.process().exitValue(), member.output()))
        .toList();
  }

  /**
   * Stops every process still running, as {@link Builder#stopGrace} says, and waits until each is
   * gone. Closing twice does nothing more.
   *
   * @throws IllegalStateException when a process outlives SIGKILL
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopAll(members, stopGrace);
  }

  private static void stopAll(List<ChildJvm> members, Duration grace) {
    RuntimeException failure = null;
    for (ChildJvm member : members) {
      try {
        member.stop(grace);
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private ChildJvm member(int index) {
    if (index < 0 || index >= members.size()) {
      throw new IndexOutOfBoundsException(
          "No process " + index + " in a fleet of " + members.size());
    }
    return members.get(index);
  }

  /** How the processes of a fleet are started and stopped. */
  public static final class Builder {
    private final String mainClass;
    private String classPath = System.getProperty("java.class.path");
    private Function<String, List<String>> arguments = id -> List.of();
    private Function<String, String> readyLine;
    private Duration readyTimeout = Duration.ofMinutes(2);
    private Duration stopGrace = Duration.ZERO;
    private int keptLines = 500;

    private Builder(String mainClass) {
      this.mainClass = requireNonNull(mainClass, "mainClass is null");
      if (mainClass.isBlank()) {
        throw new IllegalArgumentException("The main class of a fleet's processes is blank");
      }
    }

    /** The child JVMs' class path; this JVM's {@code java.class.path} unless set. */
    public Builder classPath(String classPath) {
      this.classPath = requireNonNull(classPath, "classPath is null");
      return this;
    }

    /** Each process's arguments, from its id; none unless set. */
    public Builder arguments(Function<String, List<String>> arguments) {
      this.arguments = requireNonNull(arguments, "arguments is null");
      return this;
    }

    /** The text of the line a process prints once it is ready, from its id. Required. */
    public Builder readyLine(Function<String, String> readyLine) {
      this.readyLine = requireNonNull(readyLine, "readyLine is null");
      return this;
    }

    /** How long the processes may take together to print their ready lines; 2 minutes. */
    public Builder readyTimeout(Duration readyTimeout) {
      this.readyTimeout = positive(readyTimeout, "readyTimeout");
      return this;
    }

    /**
     * How {@link #close} stops a process: zero (the default) is SIGKILL at once; longer is SIGTERM,
     * then SIGKILL when the process is still running after that long.
     */
    public Builder stopGrace(Duration stopGrace) {
      requireNonNull(stopGrace, "stopGrace is null");
      if (stopGrace.isNegative()) {
        throw new IllegalArgumentException("stopGrace must be zero or more, got " + stopGrace);
      }
      this.stopGrace = stopGrace;
      return this;
    }

    /** How many of its last lines of output are kept per process; 500. */
    public Builder keptLines(int keptLines) {
      if (keptLines < 1) {
        throw new IllegalArgumentException("keptLines must be 1 or more, got " + keptLines);
      }
      this.keptLines = keptLines;
      return this;
    }

    /**
     * Starts one process per id and returns at once, without waiting for their ready lines (see
     * {@link TestingJvmFleet#awaitReady}): for processes that are to be ready only once something
     * else has happened.
     *
     * @throws IllegalArgumentException when the ids are none or not distinct
     */
    public TestingJvmFleet launch(List<String> ids) {
      return start(ids, false);
    }

    /**
     * Starts one process per id and waits until each has printed its ready line.
     *
     * @throws IllegalArgumentException when the ids are none or not distinct
     * @throws IllegalStateException when a process exits or is not ready in time; the message holds
     *     what it printed, and every process started is killed
     */
    public TestingJvmFleet start(List<String> ids) {
      return start(ids, true);
    }

    private TestingJvmFleet start(List<String> ids, boolean awaitReady) {
      requireNonNull(ids, "ids is null");
      if (ids.isEmpty() || Set.copyOf(ids).size() != ids.size()) {
        throw new IllegalArgumentException("A fleet needs one or more distinct ids, got " + ids);
      }
      if (readyLine == null) {
        throw new IllegalStateException(
            "Say which line shows a process of " + mainClass + " ready: call readyLine(...)");
      }
      List<ChildJvm> started = new ArrayList<>();
      try {
        for (String id : ids) {
          started.add(
              ChildJvm.launch(
                  id, mainClass, classPath, arguments.apply(id), readyLine.apply(id), keptLines));
        }
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        for (ChildJvm member : awaitReady ? started : List.<ChildJvm>of()) {
          member.awaitReady(deadline);
        }
        return new TestingJvmFleet(started, stopGrace);
      } catch (RuntimeException | Error e) {
        try {
          stopAll(started, Duration.ZERO);
        } catch (RuntimeException stopFailure) {
          e.addSuppressed(stopFailure);
        }
        throw e;
      }
    }

    private static Duration positive(Duration duration, String name) {
      requireNonNull(duration, name + " is null");
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + duration);
      }
      return duration;
    }
  }
}
