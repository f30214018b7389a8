package io.icecap.worker;

import io.icecap.catalog.RedisCatalogException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;

/** What a failed apply job's exception says, for the one line a worker logs about it. */
final class JobFailures {
  private JobFailures() {}

  /**
   * Whether a job failed because of its environment rather than its own code: what {@link
   * ApplyFailures#environment} says of a record's failure (I/O errors, DuckDB's I/O, memory and
   * interrupt errors), Redis (unreachable, restarting, refusing), the object store (the AWS SDK's
   * errors) or a commit whose answer was lost. Retrying after a backoff is expected to get through
   * once the environment mends, and a stack trace would say nothing more.
   */
  static boolean isEnvironment(Throwable failure) {
    if (ApplyFailures.environment(failure)) {
      return true;
    }
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof RedisCatalogException
          || cause instanceof CommitStateUnknownException
          || cause.getClass().getName().startsWith("software.amazon.awssdk.")) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }

  /** The failure's message, or its class when it has none: never {@code null}. */
  static String describe(Throwable failure) {
    String message = failure.getMessage();
    if (message == null || message.isBlank()) {
      Throwable cause = failure.getCause();
      return cause == null || cause == failure
          ? failure.getClass().getName()
          : failure.getClass().getName() + ": " + describe(cause);
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline) + " …";
  }
}
