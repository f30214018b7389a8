package io.icecap.client;

import static java.util.Objects.requireNonNull;

import io.icecap.txn.log.AppendOutcomeUnknownException;
import io.icecap.txn.log.TableLog;

/**
 * A write whose request reached Redis, or may have, but whose answer was lost even after it was
 * sent again: it may be in the table's log, and then it will be applied. {@link
 * IcecapSession#findTransaction} with its {@link #transactionId()} tells, once Redis answers. Its
 * code is {@link ErrorCode#WRITE_OUTCOME_UNKNOWN}.
 */
public final class WriteOutcomeUnknownException extends IcecapException {
  private static final long serialVersionUID = 1L;

  private final String table;
  private final String transactionId;

  WriteOutcomeUnknownException(AppendOutcomeUnknownException cause) {
    super(
        ErrorCode.WRITE_OUTCOME_UNKNOWN,
        cause,
        "%s. The write may have been applied: do not send it again blindly. Once Redis answers,"
            + " IcecapSession.findTransaction(\"%s\", \"%s\") or `icecap log %s --transaction=%s`"
            + " tells whether it is in the log and what became of it. The log remembers"
            + " transaction ids for %d minutes after their append: a write not found within a"
            + " minute of this error was not appended",
        cause.getMessage(),
        cause.table(),
        cause.transactionId(),
        cause.table(),
        cause.transactionId(),
        TableLog.TRANSACTION_ID_MEMORY.toMinutes());
    this.table = requireNonNull(cause.table(), "table is null").toString();
    this.transactionId = requireNonNull(cause.transactionId(), "transactionId is null");
  }

  /** The table written, as {@code namespace.name}. */
  public String table() {
    return table;
  }

  /** The id the write was sent under, for {@link IcecapSession#findTransaction}. */
  public String transactionId() {
    return transactionId;
  }
}
