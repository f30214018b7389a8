package io.icecap.txn.log;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * An append was sent to Redis and sent again, but no answer came back within the resend window: the
 * transaction may be in the log (and then it will be applied) or not. Its transaction id settles
 * it: {@link TableLog#sequenceOf(String)} finds it while the log remembers it.
 */
public final class AppendOutcomeUnknownException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient TableIdentifier table;
  private final String transactionId;

  AppendOutcomeUnknownException(
      TableIdentifier table, String transactionId, Duration tried, RuntimeException last) {
    super(
        String.format(
            "Transaction %s on %s may or may not be in the log: its request was sent to Redis, but"
                + " no answer came back in %d ms of sending it again (last: %s)",
            transactionId, table, tried.toMillis(), last.getMessage()),
        last);
    this.table = requireNonNull(table, "table is null");
    this.transactionId = requireNonNull(transactionId, "transactionId is null");
  }

  /** The table written. */
  public TableIdentifier table() {
    return table;
  }

  /** The id the transaction was sent under. */
  public String transactionId() {
    return transactionId;
  }
}
