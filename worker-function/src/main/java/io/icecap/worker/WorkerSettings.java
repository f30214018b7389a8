package io.icecap.worker;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a worker runs apply jobs.
 *
 * @param owner the worker's id, recorded in the leases it takes
 * @param workDir a local directory for the partition cache and the jobs' working files
 * @param leaseTime how long a lease lasts unless renewed
 * @param maxRecords the most records one checkpoint applies
 * @param maxDelay how long a job keeps applying newly arrived records before its checkpoint (zero:
 *     checkpoint as soon as the pending records are applied)
 * @param jobTime how long one job keeps looping over new records before it returns
 * @param resultRetention how long transaction results stay readable
 * @param cacheBytes the most bytes the partition cache keeps on disk
 * @param openReplicas the most replicas the partition cache keeps open between jobs (each is a
 *     DuckDB database with its own memory; zero closes every replica after its job)
 * @param partitionThreads how many partitions of a job are applied and checkpointed at once
 */
public record WorkerSettings(
    String owner,
    Path workDir,
    Duration leaseTime,
    int maxRecords,
    Duration maxDelay,
    Duration jobTime,
    Duration resultRetention,
    long cacheBytes,
    int openReplicas,
    int partitionThreads) {
  /** Checks the values. */
  public WorkerSettings {
    requireNonNull(owner, "owner is null");
    requireNonNull(workDir, "workDir is null");
    requireNonNull(leaseTime, "leaseTime is null");
    requireNonNull(maxDelay, "maxDelay is null");
    requireNonNull(jobTime, "jobTime is null");
    requireNonNull(resultRetention, "resultRetention is null");
    if (owner.contains("|")) {
      throw new IllegalArgumentException("A worker id cannot contain '|': " + owner);
    }
    if (maxRecords < 1) {
      throw new IllegalArgumentException("maxRecords must be at least 1: " + maxRecords);
    }
    if (partitionThreads < 1) {
      throw new IllegalArgumentException(
          "partitionThreads must be at least 1: " + partitionThreads);
    }
    if (openReplicas < 0) {
      throw new IllegalArgumentException("openReplicas cannot be negative: " + openReplicas);
    }
    if (leaseTime.toMillis() < 1000) {
      throw new IllegalArgumentException("leaseTime must be at least 1 s: " + leaseTime);
    }
  }

  /** Defaults for a worker with the given id and directory. */
  public static WorkerSettings defaults(String owner, Path workDir) {
    return new WorkerSettings(
        owner,
        workDir,
        Duration.ofSeconds(30),
        10_000,
        Duration.ZERO,
        Duration.ofSeconds(60),
        Duration.ofMinutes(5),
        10L * 1024 * 1024 * 1024,
        16,
        Runtime.getRuntime().availableProcessors());
  }

  /** The same settings with another lease time. */
  public WorkerSettings withLeaseTime(Duration time) {
    return new WorkerSettings(
        owner,
        workDir,
        time,
        maxRecords,
        maxDelay,
        jobTime,
        resultRetention,
        cacheBytes,
        openReplicas,
        partitionThreads);
  }

  /** The same settings with another checkpoint policy. */
  public WorkerSettings withCheckpointPolicy(int records, Duration delay) {
    return new WorkerSettings(
        owner,
        workDir,
        leaseTime,
        records,
        delay,
        jobTime,
        resultRetention,
        cacheBytes,
        openReplicas,
        partitionThreads);
  }

  /** The same settings with another bound on open replicas. */
  public WorkerSettings withOpenReplicas(int replicas) {
    return new WorkerSettings(
        owner,
        workDir,
        leaseTime,
        maxRecords,
        maxDelay,
        jobTime,
        resultRetention,
        cacheBytes,
        replicas,
        partitionThreads);
  }

  /** The same settings with another number of partition threads. */
  public WorkerSettings withPartitionThreads(int threads) {
    return new WorkerSettings(
        owner,
        workDir,
        leaseTime,
        maxRecords,
        maxDelay,
        jobTime,
        resultRetention,
        cacheBytes,
        openReplicas,
        threads);
  }

  /** The same settings with another bound on the partition cache. */
  public WorkerSettings withCacheBytes(long bytes) {
    return new WorkerSettings(
        owner,
        workDir,
        leaseTime,
        maxRecords,
        maxDelay,
        jobTime,
        resultRetention,
        bytes,
        openReplicas,
        partitionThreads);
  }
}
