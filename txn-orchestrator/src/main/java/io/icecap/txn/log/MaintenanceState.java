package io.icecap.txn.log;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A table's maintenance as Redis keeps it beside the table's log: when each task last ran, the
 * files and bytes maintenance removed in total, the last run's error, and who runs it now. The
 * fields are read from the table's state hash, which is as untrusted as the log: a value that does
 * not read reads as absent.
 *
 * @param lastRun when each task last ran, by task name in lower case ({@code compact}, {@code
 *     expire}, {@code orphans})
 * @param lastAt when the last run ended, if one did
 * @param lastError the last run's error, if it failed
 * @param filesRemoved files removed by every run so far
 * @param bytesRemoved bytes removed by every run so far
 * @param leaseOwner who holds the maintenance lease, if a live one is held
 * @param serverTime Redis's time when this was read
 */
public record MaintenanceState(
    Map<String, Instant> lastRun,
    Optional<Instant> lastAt,
    Optional<String> lastError,
    long filesRemoved,
    long bytesRemoved,
    Optional<String> leaseOwner,
    Instant serverTime) {
  static final String PREFIX = "maint_";

  public MaintenanceState {
    lastRun = Map.copyOf(lastRun);
    requireNonNull(lastAt, "lastAt is null");
    requireNonNull(lastError, "lastError is null");
    requireNonNull(leaseOwner, "leaseOwner is null");
    requireNonNull(serverTime, "serverTime is null");
  }

  /** Whether a task that runs every {@code interval} is due now. */
  public boolean due(String task, Duration interval) {
    Instant last = lastRun.get(task);
    return last == null || !last.plus(interval).isAfter(serverTime);
  }

  /** Reads the state from the fields of the table's state hash. */
  static MaintenanceState of(Map<String, String> fields, Instant serverTime) {
    Map<String, Instant> lastRun = new HashMap<>();
    fields.forEach(
        (field, value) -> {
          if (field.startsWith(PREFIX)
              && field.endsWith("_at")
              && !field.equals(PREFIX + "last_at")) {
            instant(value)
                .ifPresent(
                    at ->
                        lastRun.put(
                            field.substring(PREFIX.length(), field.length() - "_at".length()), at));
          }
        });
    Optional<String> owner = Optional.empty();
    String lease = fields.get(PREFIX + "lease");
    if (lease != null) {
      int bar = lease.lastIndexOf('|');
      Optional<Instant> expires = bar < 0 ? Optional.empty() : instant(lease.substring(bar + 1));
      if (expires.isPresent() && expires.get().isAfter(serverTime)) {
        owner = Optional.of(lease.substring(0, bar));
      }
    }
    return new MaintenanceState(
        lastRun,
        instant(fields.get(PREFIX + "last_at")),
        Optional.ofNullable(fields.get(PREFIX + "last_error")),
        number(fields.get(PREFIX + "files_removed")),
        number(fields.get(PREFIX + "bytes_removed")),
        owner,
        serverTime);
  }

  private static Optional<Instant> instant(String millis) {
    long value = number(millis);
    return value > 0 ? Optional.of(Instant.ofEpochMilli(value)) : Optional.empty();
  }

  private static long number(String value) {
    if (value == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(value));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
