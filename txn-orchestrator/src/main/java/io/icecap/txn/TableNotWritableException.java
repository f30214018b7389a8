package io.icecap.txn;

/**
 * A transaction was refused at submit because Icecap cannot write its table at all (not because of
 * the statements): for example a table of an Iceberg format version it does not write. Nothing was
 * appended to the log.
 */
public class TableNotWritableException extends TransactionRejectedException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception whose message is {@code String.format(message, args)}. */
  public TableNotWritableException(String message, Object... args) {
    super(message, args);
  }
}
