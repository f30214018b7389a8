package io.icecap.txn.log;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

/**
 * Why the last apply job of a table failed, kept beside its log until a job publishes its work, so
 * that a client whose transaction is late learns the reason.
 *
 * @param at when the job failed (Redis server time)
 * @param worker the id of the worker that ran it
 * @param error the error
 */
public record JobFailure(Instant at, String worker, String error) {
  public JobFailure {
    requireNonNull(at, "at is null");
    requireNonNull(worker, "worker is null");
    requireNonNull(error, "error is null");
  }

  /** One sentence for a message, with how long ago it happened seen from {@code now}. */
  public String describe(Instant now) {
    long seconds = Math.max(0, Duration.between(at, now).toSeconds());
    return String.format(
        "the last apply job failed %d s ago on worker %s: %s", seconds, worker, error);
  }
}
