package io.icecap.txn.log;

import static java.util.Objects.requireNonNull;

/**
 * A partition lease as Redis holds it.
 *
 * @param token the fencing token of the job that took it
 * @param owner who took it (worker id)
 * @param expiresAtMillis when it expires, by Redis's clock
 */
public record Lease(long token, String owner, long expiresAtMillis) {
  /** Checks the values. */
  public Lease {
    requireNonNull(owner, "owner is null");
  }

  static Lease parse(String value) {
    int first = value.indexOf('|');
    int last = value.lastIndexOf('|');
    if (first < 0 || last == first) {
      throw new IllegalStateException("Malformed lease in Redis: " + value);
    }
    return new Lease(
        Long.parseLong(value.substring(0, first)),
        value.substring(first + 1, last),
        Long.parseLong(value.substring(last + 1)));
  }
}
