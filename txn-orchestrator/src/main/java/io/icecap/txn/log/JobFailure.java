package io.icecap.txn.log;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

/**
 * Why the last apply job of a table failed, kept beside its log until a job publishes its work, so
 * that a client whose transaction is late learns the reason, and sweepers wait before they ask for
 * the table again.
 *
 * @param at when the job failed (Redis server time)
 * @param worker the id of the worker that ran it
 * @param error the error
 * @param failures how many jobs of the table have failed since one last published its work, this
 *     one included
 */
public record JobFailure(Instant at, String worker, String error, int failures) {
  /** How long after a first failure the table is tried again. */
  public static final Duration FIRST_RETRY = Duration.ofSeconds(1);

  /** The longest wait between two tries, however many failed. */
  public static final Duration MAX_RETRY = Duration.ofSeconds(60);

  public JobFailure {
    requireNonNull(at, "at is null");
    requireNonNull(worker, "worker is null");
    requireNonNull(error, "error is null");
    if (failures < 1) {
      throw new IllegalArgumentException("failures must be at least 1, got " + failures);
    }
  }

  /**
   * How long after this failure the table is tried again: {@link #FIRST_RETRY} after the first
   * failure, doubling with each failure in a row up to {@link #MAX_RETRY}.
   */
  public Duration retryDelay() {
    int doublings = Math.min(failures - 1, 30);
    Duration delay = FIRST_RETRY.multipliedBy(1L << doublings);
    return delay.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : delay;
  }

  /** When the table is tried again (Redis server time). */
  public Instant retryAt() {
    return at.plus(retryDelay());
  }

  /** One sentence for a message, with how long ago it happened seen from {@code now}. */
  public String describe(Instant now) {
    long seconds = Math.max(0, Duration.between(at, now).toSeconds());
    return String.format(
        "the last apply job failed %d s ago on worker %s: %s", seconds, worker, error);
  }
}
