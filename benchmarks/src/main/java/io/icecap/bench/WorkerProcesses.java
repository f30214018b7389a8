package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import io.icecap.worker.WorkerProcess;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code icecap worker} processes ({@link WorkerProcess}) for a benchmark: child JVMs on the
 * benchmark's own class path, each with its own id ({@code worker-0}, {@code worker-1}, ...) and
 * work directory, sharing the other options. They take apply requests from the catalog's queue in
 * Redis, as a fleet of worker processes does in production. Closing stops them.
 */
final class WorkerProcesses implements AutoCloseable {
  /** How long the processes may take together to print their ready lines. */
  static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

  private static final int KEPT_LINES = 50;

  private final List<Member> members;

  private WorkerProcesses(List<Member> members) {
    this.members = List.copyOf(members);
  }

  /**
   * Starts {@code count} worker processes and waits until each has printed its ready line.
   *
   * @param options {@code name -> value} for {@code --name=value}: {@code uri}, {@code warehouse},
   *     {@code catalog} and any other option of {@link WorkerProcess} but {@code id} and {@code
   *     work-dir}, which are each process's own
   * @param workRoot where each process gets its work directory, named by its id
   * @throws IllegalStateException when a process exits or is not ready in time; the message holds
   *     what it printed, and every process started is stopped
   */
  static WorkerProcesses start(int count, Map<String, String> options, Path workRoot) {
    requireNonNull(options, "options is null");
    if (options.containsKey("id") || options.containsKey("work-dir")) {
      throw new IllegalArgumentException("id and work-dir are each worker process's own");
    }
    List<Member> started = new ArrayList<>();
    try {
      String classPath = classPath();
      for (int i = 0; i < count; i++) {
        String id = "worker-" + i;
        started.add(Member.launch(id, classPath, options, workRoot.resolve(id)));
      }
      long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
      for (Member member : started) {
        member.awaitReady(deadline);
      }
      return new WorkerProcesses(started);
    } catch (RuntimeException | Error e) {
      started.forEach(Member::stop);
      throw e;
    }
  }

  /** The ids of the processes, in order. */
  List<String> ids() {
    return members.stream().map(member -> member.id).toList();
  }

  /** The ids of the processes that have exited, each with what it printed last. */
  List<String> exited() {
    return members.stream()
        .filter(member -> !member.process.isAlive())
        .map(
            member -> member.id + " (exit " + member.process.exitValue() + "):\n" + member.output())
        .toList();
  }

  /** Stops every process (SIGTERM, then SIGKILL after 10 s) and waits until it is gone. */
  @Override
  public void close() {
    members.forEach(Member::stop);
  }

  /**
   * The class path this benchmark was loaded from, for the child JVMs: the URLs of the class loader
   * that loaded the worker when it is a {@link URLClassLoader} ({@code mvn exec:java} runs the
   * benchmark in one), else {@code java.class.path}.
   */
  static String classPath() {
    if (!(WorkerProcess.class.getClassLoader() instanceof URLClassLoader loader)) {
      return System.getProperty("java.class.path");
    }
    List<String> entries = new ArrayList<>();
    for (URL url : loader.getURLs()) {
      try {
        entries.add(Path.of(url.toURI()).toString());
      } catch (URISyntaxException | IllegalArgumentException e) {
        throw new IllegalStateException("Cannot use class path entry " + url, e);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  /** One process and the last lines it printed, read by a thread of its own. */
  private static final class Member {
    private final String id;
    private final Process process;
    private final Deque<String> lines = new ArrayDeque<>();
    private boolean ready;
    private boolean ended;

    private Member(String id, Process process) {
      this.id = id;
      this.process = process;
    }

    static Member launch(String id, String classPath, Map<String, String> options, Path workDir) {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-cp");
      command.add(classPath);
      command.add(WorkerProcess.class.getName());
      command.add("--id=" + id);
      command.add("--work-dir=" + workDir);
      options.forEach((name, value) -> command.add("--" + name + "=" + value));
      Process process;
      try {
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot start worker process " + id, e);
      }
      Member member = new Member(id, process);
      Thread reader = new Thread(member::read, "icecap-bench-worker-output-" + id);
      reader.setDaemon(true);
      reader.start();
      return member;
    }

    private void read() {
      String readyLine = "icecap worker " + id + " ready";
      try (BufferedReader output =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = output.readLine(); line != null; line = output.readLine()) {
          synchronized (this) {
            lines.addLast(line);
            if (lines.size() > KEPT_LINES) {
              lines.removeFirst();
            }
            ready |= line.contains(readyLine);
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

    synchronized void awaitReady(long deadline) {
      while (!ready) {
        if (ended) {
          throw new IllegalStateException(
              String.format(
                  "Worker process %s exited before it was ready; it printed:%n%s", id, output()));
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException(
              String.format(
                  "Worker process %s was not ready within %s; it printed:%n%s",
                  id, READY_TIMEOUT, output()));
        }
        try {
          wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 200)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted while waiting for worker process " + id, e);
        }
      }
    }

    synchronized String output() {
      return String.join("\n", lines);
    }

    void stop() {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(30, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
