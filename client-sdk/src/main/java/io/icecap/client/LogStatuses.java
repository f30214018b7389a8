package io.icecap.client;

import io.icecap.txn.log.AbortedRecords;
import io.icecap.txn.log.JobState;
import io.icecap.txn.log.LogEntry;
import io.icecap.txn.log.TableLog;
import io.icecap.txn.record.RecordCodec;
import io.icecap.txn.record.RecordStatement;
import io.icecap.txn.record.TransactionRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;

/** Reads a {@link LogStatus} from a table's log. */
final class LogStatuses {
  /** Log entries read per round while looking for pending ones. */
  private static final int PAGE = 256;

  private LogStatuses() {}

  static LogStatus read(TableLog log, TableIdentifier table, int maxEntries) {
    JobState state;
    try {
      state = log.state();
    } catch (NoSuchTableException e) {
      throw new IcecapException(
          ErrorCode.UNKNOWN_TABLE, e, "Table %s does not exist (icecap tables lists them)", table);
    }
    long now = state.serverTimeMillis();
    long doneAbove = state.done().stream().filter(s -> s > state.watermark()).count();
    long pending = state.head() - state.watermark() - doneAbove;
    List<LogStatus.Entry> entries = new ArrayList<>();
    long oldest = 0;
    long from = state.watermark() + 1;
    while (pending > 0 && from <= state.head() && (entries.size() < maxEntries || oldest == 0)) {
      List<LogEntry> page = log.read(from, state.head(), PAGE);
      if (page.isEmpty()) {
        break;
      }
      for (LogEntry entry : page) {
        if (state.done().contains(entry.sequence())) {
          continue;
        }
        if (oldest == 0) {
          oldest = Math.max(1, now - entry.appendedAtMillis());
        }
        if (entries.size() < maxEntries) {
          entries.add(
              new LogStatus.Entry(
                  entry.sequence(), now - entry.appendedAtMillis(), statements(entry.record())));
        }
      }
      from = page.get(page.size() - 1).sequence() + 1;
    }
    AbortedRecords aborted = log.aborted();
    Map<String, LogStatus.Lease> leases = new LinkedHashMap<>();
    state.leases().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            lease ->
                leases.put(
                    lease.getKey(),
                    new LogStatus.Lease(
                        lease.getValue().owner(), lease.getValue().expiresAtMillis() - now)));
    return new LogStatus(
        table.toString(),
        state.head(),
        state.watermark(),
        Math.max(0, pending),
        oldest,
        leases,
        entries,
        aborted.count(),
        aborted.count() == 0
            ? null
            : new LogStatus.Aborted(aborted.lastSequence(), aborted.lastReason()));
  }

  private static List<String> statements(String text) {
    TransactionRecord record;
    try {
      record = RecordCodec.decode(text, TransactionRecord.class, "a log record");
    } catch (RuntimeException e) {
      return List.of("(unreadable record: " + e.getMessage() + ")");
    }
    List<String> statements = new ArrayList<>();
    for (RecordStatement statement : record.statements()) {
      statements.add(
          statement.kind()
              + " "
              + (statement.staged() != null ? "staged in " + statement.staged() : statement.sql()));
    }
    return statements;
  }
}
