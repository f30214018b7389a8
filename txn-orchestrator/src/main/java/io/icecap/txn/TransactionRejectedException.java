package io.icecap.txn;

/**
 * A transaction was refused at submit: it is malformed, cannot be replayed deterministically,
 * writes the wrong table, or is too large. Nothing was appended to the log.
 */
public class TransactionRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception whose message is {@code String.format(message, args)}. */
  public TransactionRejectedException(String message, Object... args) {
    super(String.format(message, args));
  }

  /** Creates an exception with a cause, whose message is {@code String.format(message, args)}. */
  public TransactionRejectedException(Throwable cause, String message, Object... args) {
    super(String.format(message, args), cause);
  }
}
