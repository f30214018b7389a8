package io.icecap.replica;

/**
 * A replica could not be written or read: a corrupt, truncated, missing or mismatched file. The
 * message names the file and the cause.
 */
public class ReplicaException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception whose message is {@code String.format(message, args)}. */
  public ReplicaException(String message, Object... args) {
    super(String.format(message, args));
  }

  /** Creates an exception with a cause, whose message is {@code String.format(message, args)}. */
  public ReplicaException(Throwable cause, String message, Object... args) {
    super(String.format(message, args), cause);
  }
}
