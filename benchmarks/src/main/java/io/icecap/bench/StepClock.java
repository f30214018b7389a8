package io.icecap.bench;

import io.icecap.worker.JobHooks;
import io.icecap.worker.JobStep;
import java.util.ArrayList;
import java.util.List;

/**
 * Job hooks that note when each step of an apply job's rounds is reached, to split a worker call's
 * time into applying the records and checkpointing them. Used by one worker thread at a time.
 */
final class StepClock implements JobHooks {
  /**
   * A step reached.
   *
   * @param step the step
   * @param nanos {@link System#nanoTime()} when it was reached
   */
  record Mark(JobStep step, long nanos) {}

  private final List<Mark> marks = new ArrayList<>();

  @Override
  public synchronized void at(JobStep step) {
    marks.add(new Mark(step, System.nanoTime()));
  }

  /** Forgets the marks so far. */
  synchronized void reset() {
    marks.clear();
  }

  /** Rounds that committed a checkpoint since the last reset. */
  synchronized int checkpoints() {
    return (int) marks.stream().filter(m -> m.step() == JobStep.COMMITTED).count();
  }

  /** When {@code step} was first reached since the last reset, or -1 when it was not. */
  synchronized long first(JobStep step) {
    return marks.stream()
        .filter(m -> m.step() == step)
        .mapToLong(Mark::nanos)
        .findFirst()
        .orElse(-1);
  }

  /** When {@code step} was last reached since the last reset, or -1 when it was not. */
  synchronized long last(JobStep step) {
    long last = -1;
    for (Mark mark : marks) {
      if (mark.step() == step) {
        last = mark.nanos();
      }
    }
    return last;
  }

  /**
   * Time from {@code from} to the next {@code to} of the same round, summed over the rounds that
   * reached both.
   */
  synchronized long nanosBetween(JobStep from, JobStep to) {
    long total = 0;
    Long started = null;
    for (Mark mark : marks) {
      if (mark.step() == JobStep.LEASED) {
        started = null;
      }
      if (mark.step() == from) {
        started = mark.nanos();
      } else if (mark.step() == to && started != null) {
        total += mark.nanos() - started;
        started = null;
      }
    }
    return total;
  }
}
