package io.icecap.worker;

import static java.util.Objects.requireNonNull;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a job's per-partition work (applying a run, writing a checkpoint) on a few threads: each
 * partition is its own DuckDB database, so partitions proceed in parallel, and a task touches only
 * its own partition's connection.
 */
final class PartitionTasks implements AutoCloseable {
  private final ExecutorService pool;
  private final int threads;

  /** Starts {@code threads} daemon threads named after the worker. */
  PartitionTasks(String owner, int threads) {
    requireNonNull(owner, "owner is null");
    this.threads = threads;
    AtomicInteger number = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            threads,
            runnable -> {
              Thread thread =
                  new Thread(
                      runnable, "icecap-" + owner + "-partition-" + number.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Runs the tasks and returns their results in order. Every task has ended when this returns or
   * throws, so no connection is still in use; the first failure is thrown.
   */
  <T> List<T> runAll(List<Callable<T>> tasks) throws SQLException, UpdateBatch.DuplicateKeys {
    if (tasks.size() == 1 || threads == 1) {
      List<T> results = new ArrayList<>(tasks.size());
      for (Callable<T> task : tasks) {
        results.add(call(task));
      }
      return results;
    }
    List<Future<T>> futures = new ArrayList<>(tasks.size());
    for (Callable<T> task : tasks) {
      futures.add(pool.submit(task));
    }
    List<T> results = new ArrayList<>(tasks.size());
    Throwable failure = null;
    boolean interrupted = false;
    for (Future<T> future : futures) {
      while (true) {
        try {
          results.add(future.get());
          break;
        } catch (ExecutionException e) {
          failure = failure == null ? e.getCause() : failure;
          break;
        } catch (InterruptedException e) {
          // the other tasks still use their connections: wait for them, then report
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
      if (failure == null) {
        throw new IllegalStateException("Interrupted while partitions were being worked on");
      }
    }
    if (failure != null) {
      throw rethrow(failure);
    }
    return results;
  }

  private static <T> T call(Callable<T> task) throws SQLException, UpdateBatch.DuplicateKeys {
    try {
      return task.call();
    } catch (Exception e) {
      throw rethrow(e);
    }
  }

  private static RuntimeException rethrow(Throwable failure)
      throws SQLException, UpdateBatch.DuplicateKeys {
    if (failure instanceof SQLException e) {
      throw e;
    }
    if (failure instanceof UpdateBatch.DuplicateKeys e) {
      throw e;
    }
    if (failure instanceof RuntimeException e) {
      throw e;
    }
    if (failure instanceof Error e) {
      throw e;
    }
    return new IllegalStateException(failure.getMessage(), failure);
  }

  @Override
  public void close() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
