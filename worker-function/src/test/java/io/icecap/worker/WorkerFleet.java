package io.icecap.worker;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * {@code icecap worker} processes for tests: child JVMs running {@link WorkerProcess} on the test
 * class path, each with its own id and work directory and the options they share. Tests kill them
 * with SIGKILL, or freeze them with SIGSTOP to look at what they hold.
 *
 * <pre>{@code
 * try (WorkerFleet fleet = WorkerFleet.start(3, Map.of("uri", redis, "warehouse", lake), work)) {
 *   ...
 *   fleet.kill(1);
 * }
 * }</pre>
 */
final class WorkerFleet implements AutoCloseable {
  /** How long a worker process may take to print its ready line. */
  static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private static final Set<String> OWN_OPTIONS = Set.of("id", "work-dir");

  /** How many of its last lines {@link #output} shows. */
  private static final int KEPT_LINES = 500;

  private final List<Member> members;
  private boolean closed;

  private WorkerFleet(List<Member> members) {
    this.members = List.copyOf(members);
  }

  /**
   * Starts worker processes with ids {@code worker-0} to {@code worker-<n-1>} and waits until each
   * is ready.
   *
   * @param workers how many
   * @param options the options every process gets, as {@code name -> value} for {@code
   *     --name=value} ({@code uri} and {@code warehouse} at least; never {@code id} or {@code
   *     work-dir}, which are each process's own); an option {@code property} holds catalog
   *     properties as {@code key=value} lines
   * @param workRoot the directory under which each process gets its work directory, named by its id
   * @throws IllegalStateException when a process exits or does not become ready within {@link
   *     #READY_TIMEOUT}; the message holds what it printed, and every process started is killed
   */
  static WorkerFleet start(int workers, Map<String, String> options, Path workRoot) {
    if (workers < 1) {
      throw new IllegalArgumentException("A fleet needs at least one worker, got " + workers);
    }
    return start(
        IntStream.range(0, workers).mapToObj(i -> "worker-" + i).toList(), options, workRoot);
  }

  /**
   * Starts one worker process per id and waits until each is ready.
   *
   * @see #start(int, Map, Path)
   */
  static WorkerFleet start(List<String> ids, Map<String, String> options, Path workRoot) {
    requireNonNull(options, "options is null");
    requireNonNull(workRoot, "workRoot is null");
    if (ids.isEmpty() || Set.copyOf(ids).size() != ids.size()) {
      throw new IllegalArgumentException("A fleet needs one or more distinct ids, got " + ids);
    }
    for (String own : OWN_OPTIONS) {
      if (options.containsKey(own)) {
        throw new IllegalArgumentException(
            "Option --" + own + " is each worker's own: the fleet sets it; leave it out");
      }
    }
    List<Member> started = new ArrayList<>();
    try {
      for (String id : ids) {
        started.add(Member.launch(id, options, workRoot.resolve(id)));
      }
      long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
      for (Member member : started) {
        member.awaitLine(readyLine(member.id), deadline, "become ready");
      }
      return new WorkerFleet(started);
    } catch (RuntimeException | Error e) {
      started.forEach(Member::kill);
      throw e;
    }
  }

  /** The line a worker process prints once it takes requests. */
  static String readyLine(String id) {
    return "icecap worker " + id + " ready";
  }

  /** How many processes the fleet started, dead ones included. */
  int size() {
    return members.size();
  }

  /** The id of a process, recorded in the leases it takes and the snapshots it commits. */
  String id(int index) {
    return member(index).id;
  }

  /** The operating system's id of a process. */
  long pid(int index) {
    return member(index).process.pid();
  }

  /** Whether a process is still running. */
  boolean isAlive(int index) {
    return member(index).process.isAlive();
  }

  /**
   * Kills a process with SIGKILL and waits until it is gone; does nothing more to a dead one.
   *
   * @return its exit value, 137 (128 + SIGKILL) when this killed it
   */
  int kill(int index) {
    return member(index).kill();
  }

  /** Stops a process with SIGSTOP: it holds what it holds and does nothing until resumed. */
  void suspend(int index) {
    member(index).signal("STOP");
  }

  /** Lets a process stopped by {@link #suspend} run on (SIGCONT). */
  void resume(int index) {
    member(index).signal("CONT");
  }

  /**
   * What a process has printed (standard output and error together), its last {@value #KEPT_LINES}
   * lines when it printed more.
   */
  String output(int index) {
    return member(index).output();
  }

  /**
   * Waits until a process prints a line containing {@code text}.
   *
   * @throws IllegalStateException when it exits or the time runs out first; the message holds what
   *     it printed
   */
  void awaitLine(int index, String text, Duration timeout) {
    member(index).awaitLine(text, System.nanoTime() + timeout.toNanos(), "print '" + text + "'");
  }

  /** Kills every process still running. Closing twice does nothing more. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    RuntimeException failure = null;
    for (Member member : members) {
      try {
        member.kill();
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

  private Member member(int index) {
    if (index < 0 || index >= members.size()) {
      throw new IndexOutOfBoundsException(
          "No worker " + index + " in a fleet of " + members.size());
    }
    return members.get(index);
  }

  /** One process and what it printed, read by a thread of its own. */
  private static final class Member {
    private final String id;
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private boolean ended;

    private Member(String id, Process process) {
      this.id = id;
      this.process = process;
    }

    static Member launch(String id, Map<String, String> options, Path workDir) {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(WorkerProcess.class.getName());
      command.add("--id=" + id);
      command.add("--work-dir=" + workDir);
      options.forEach(
          (name, value) -> {
            if (name.equals("property")) {
              value.lines().forEach(property -> command.add("--property=" + property));
            } else {
              command.add("--" + name + "=" + value);
            }
          });
      Process process;
      try {
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot start worker process " + id + ": " + command, e);
      }
      Member member = new Member(id, process);
      Thread reader = new Thread(member::read, "icecap-fleet-output-" + id);
      reader.setDaemon(true);
      reader.start();
      return member;
    }

    private void read() {
      try (BufferedReader output =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = output.readLine()) != null) {
          synchronized (this) {
            lines.add(line);
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

    synchronized void awaitLine(String text, long deadline, String what) {
      int next = 0;
      while (true) {
        for (; next < lines.size(); next++) {
          if (lines.get(next).contains(text)) {
            return;
          }
        }
        if (ended) {
          throw new IllegalStateException(
              String.format(
                  "Worker process %s exited with code %s before it could %s; it printed:%n%s",
                  id, exitValue(), what, output()));
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException(
              String.format(
                  "Worker process %s did not %s within the time allowed; it printed:%n%s",
                  id, what, output()));
        }
        try {
          wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 200)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted while waiting for worker process " + id, e);
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

    synchronized String output() {
      StringBuilder text = new StringBuilder();
      int from = Math.max(0, lines.size() - KEPT_LINES);
      if (from > 0) {
        text.append("[").append(from).append(" earlier lines left out]\n");
      }
      lines.subList(from, lines.size()).forEach(line -> text.append(line).append('\n'));
      return text.toString();
    }

    int kill() {
      process.destroyForcibly();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException(
              "Worker process " + id + " did not exit within 30 s of SIGKILL");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while killing worker process " + id, e);
      }
      return process.exitValue();
    }

    void signal(String signal) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Cannot send SIG" + signal + " to worker process " + id + ": it has exited");
      }
      try {
        Process kill =
            new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                .redirectErrorStream(true)
                .start();
        String said = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (kill.waitFor() != 0) {
          throw new IllegalStateException(
              "Cannot send SIG" + signal + " to worker process " + id + ": " + said.strip());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot run kill -" + signal + " for worker " + id, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while signalling worker process " + id, e);
      }
    }
  }
}
