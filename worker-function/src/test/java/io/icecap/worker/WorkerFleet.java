package io.icecap.worker;

import static java.util.Objects.requireNonNull;

import io.icecap.testing.TestingJvmFleet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * {@code icecap worker} processes for tests: child JVMs running {@link WorkerProcess} on the test
 * class path, each with its own id and work directory and the options they share. Tests kill them
 * with SIGKILL, or freeze them with SIGSTOP to look at what they hold; closing the fleet kills
 * every process.
 *
 * <pre>{@code
 * try (TestingJvmFleet fleet = WorkerFleet.start(3, Map.of("uri", redis, "warehouse", lake), work)) {
 *   ...
 *   fleet.kill(1);
 * }
 * }</pre>
 */
final class WorkerFleet {
  /** How long the worker processes may take together to print their ready lines. */
  static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private WorkerFleet() {}

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
  static TestingJvmFleet start(int workers, Map<String, String> options, Path workRoot) {
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
  static TestingJvmFleet start(List<String> ids, Map<String, String> options, Path workRoot) {
    return builder(options, workRoot).start(ids);
  }

  /**
   * A fleet of worker processes with these options, each with its own work directory under {@code
   * workRoot}, ready when it prints {@link WorkerProcess#readyLine}, for a test that sets more
   * (lines kept, SIGTERM on close, start without waiting).
   *
   * @see #start(int, Map, Path)
   */
  static TestingJvmFleet.Builder builder(Map<String, String> options, Path workRoot) {
    requireNonNull(options, "options is null");
    requireNonNull(workRoot, "workRoot is null");
    return TestingJvmFleet.builder(WorkerProcess.class.getName())
        .arguments(id -> WorkerProcess.arguments(id, workRoot.resolve(id), options))
        .readyLine(WorkerProcess::readyLine)
        .readyTimeout(READY_TIMEOUT);
  }
}
