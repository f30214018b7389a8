package io.icecap.worker;

/**
 * Called as an apply job passes each {@link JobStep}. Production workers use {@link #NONE}; fault
 * injection tests stop the worker there.
 */
@FunctionalInterface
public interface JobHooks {
  /** No hooks. */
  JobHooks NONE = step -> {};

  /** The job has reached {@code step}. */
  void at(JobStep step);
}
