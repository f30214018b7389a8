package io.icecap.worker;

import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.Set;

/**
 * Tells a record's fault from the environment's. A record that fails because of what it says (a
 * type error, a constraint, a value out of range, a refused file access) fails the same way every
 * time: it is aborted and the log moves on. A failure of the machine or of storage (a disk that is
 * full, memory that runs out, an interrupt, a file that cannot be read, a DuckDB database that
 * broke) says nothing about the record: the job fails, nothing is published, and the record is
 * applied when a later job is retried.
 */
final class ApplyFailures {
  /** DuckDB's error types, as its messages start, that come from the environment. */
  private static final Set<String> ENVIRONMENT =
      Set.of(
          "IO",
          "Out of Memory",
          "INTERRUPT",
          "Interrupt",
          "FATAL",
          "INTERNAL",
          "Connection",
          "Network",
          "HTTP",
          "Serialization");

  private ApplyFailures() {}

  /** Whether the failure comes from the environment rather than from the record applied. */
  static boolean environment(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof UncheckedIOException
          || cause instanceof java.io.IOException
          || cause instanceof InterruptedException) {
        return true;
      }
      if (cause instanceof SQLException sql && environmentMessage(sql.getMessage())) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return Thread.currentThread().isInterrupted();
  }

  private static boolean environmentMessage(String message) {
    if (message == null) {
      return false;
    }
    int error = message.indexOf(" Error: ");
    if (error < 0 || error > 40) {
      return message.contains("database has been invalidated");
    }
    return ENVIRONMENT.contains(message.substring(0, error))
        || message.contains("database has been invalidated");
  }
}
