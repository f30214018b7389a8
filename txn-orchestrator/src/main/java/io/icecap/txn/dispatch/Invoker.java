package io.icecap.txn.dispatch;

/**
 * Runs apply jobs somewhere: threads of this process, worker processes, or functions in the cloud.
 * Implementations run the same job code; they differ in where it runs.
 */
public interface Invoker extends AutoCloseable {
  /**
   * Asks for an apply job. Returns at once; the job runs later. Requests for a table whose job is
   * already running may be merged into one more run after it.
   */
  void invoke(ApplyRequest request);

  /** Stops taking requests and releases the invoker's resources. */
  @Override
  void close();
}
