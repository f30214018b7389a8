package io.icecap.worker;

import io.icecap.txn.log.JobState;
import io.icecap.txn.log.LogEntry;
import io.icecap.txn.record.PartitionValues;
import io.icecap.txn.record.RecordCodec;
import io.icecap.txn.record.RecordStatement;
import io.icecap.txn.record.ReplicaEntry;
import io.icecap.txn.record.TransactionRecord;
import io.icecap.txn.sql.DmlKind;
import io.icecap.txn.validate.RecordCheck;
import io.icecap.txn.validate.WritableTables;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.PartitionData;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;

/**
 * Which pending records a job applies, in sequence order, and which partitions each of their
 * statements touches.
 *
 * <p>Routing is decided here, in log order, not at submit time: an update or delete touches every
 * partition its routing allows among those that exist when it is applied, which includes the
 * partitions that earlier records of the log created. A record that cannot be applied to this table
 * any more (the table was replaced, or its partition spec or schema changed) is aborted.
 */
final class JobPlan {
  /**
   * A record to apply.
   *
   * @param sequence its sequence number
   * @param record the transaction; null when it could not be read (then {@code abort} says why)
   * @param touched for each statement, the keys of the partitions it runs on
   * @param abort why the record is aborted without being run, else null
   */
  record Pending(long sequence, TransactionRecord record, List<Set<String>> touched, String abort) {
    Set<String> partitions() {
      Set<String> all = new LinkedHashSet<>();
      touched.forEach(all::addAll);
      return all;
    }
  }

  private final List<Pending> records;
  private final Map<String, PartitionData> partitions;
  private final Set<String> touched;

  private JobPlan(
      List<Pending> records, Map<String, PartitionData> partitions, Set<String> touched) {
    this.records = List.copyOf(records);
    this.partitions = partitions;
    this.touched = touched;
  }

  /**
   * Plans the records of {@code entries} not applied yet.
   *
   * @param table the table as of the state's metadata location
   * @param state the log state
   * @param entries log entries above the watermark, in order
   * @param base the partitions of the table's current snapshot; when the records touch any
   *     partition, the partitions that hold rows of older-spec files are touched too (rewritten)
   * @param check the rules records must keep; a record that breaks one is aborted with the reason
   */
  static JobPlan of(
      Table table, JobState state, List<LogEntry> entries, BasePartitions base, RecordCheck check) {
    PartitionSpec spec = table.spec();
    Map<String, PartitionData> existing = new LinkedHashMap<>();
    base.partitions().forEach((key, files) -> existing.put(key, files.partition()));
    state
        .replicas()
        .forEach(
            (key, value) -> {
              ReplicaEntry entry = ReplicaEntries.decode(table, key, value);
              if (entry != null && entry.specId() == spec.specId()) {
                existing.putIfAbsent(key, PartitionValues.fromJson(spec, entry.partition()));
              }
            });
    List<Pending> records = new ArrayList<>();
    Set<String> touched = new LinkedHashSet<>();
    for (LogEntry entry : entries) {
      if (state.isApplied(entry.sequence())) {
        continue;
      }
      TransactionRecord record;
      String abort;
      try {
        record = decode(entry, table);
        abort = abortReason(table, record);
        if (abort == null) {
          abort = check.problem(record, table).map(problem -> "refused: " + problem).orElse(null);
        }
      } catch (IllegalStateException e) {
        record = null;
        abort = e.getMessage();
      }
      if (abort != null) {
        records.add(new Pending(entry.sequence(), record, List.of(), abort));
        continue;
      }
      Map<String, List<String>> values = record.partitions();
      List<Set<String>> perStatement = new ArrayList<>();
      for (RecordStatement statement : record.statements()) {
        Set<String> keys = new LinkedHashSet<>();
        if (statement.kind() == DmlKind.INSERT) {
          for (String key : statement.inserts().keySet()) {
            existing.computeIfAbsent(key, k -> PartitionValues.fromJson(spec, values.get(k)));
            keys.add(key);
          }
        } else {
          existing.forEach(
              (key, partition) -> {
                if (PartitionValues.allows(spec, partition, statement.routing())) {
                  keys.add(key);
                }
              });
        }
        perStatement.add(keys);
        touched.addAll(keys);
      }
      records.add(new Pending(entry.sequence(), record, perStatement, null));
    }
    if (!touched.isEmpty()) {
      // the older-spec files are dropped whole, so every partition their rows fall into is written
      touched.addAll(base.rewritten());
    }
    Map<String, PartitionData> partitions = new LinkedHashMap<>();
    touched.forEach(key -> partitions.put(key, existing.get(key)));
    return new JobPlan(records, partitions, touched);
  }

  /**
   * Reads a record within the size limit.
   *
   * @throws IllegalStateException when it is missing, too long or not a valid record
   */
  private static TransactionRecord decode(LogEntry entry, Table table) {
    String what = "record " + entry.sequence() + " of " + table.name();
    if (entry.record() != null && entry.record().length() > TransactionRecord.MAX_CHARS) {
      throw new IllegalStateException(
          String.format(
              "Cannot read %s: it is %d characters long, over the limit of %d",
              what, entry.record().length(), TransactionRecord.MAX_CHARS));
    }
    return RecordCodec.decode(entry.record(), TransactionRecord.class, what);
  }

  private static String abortReason(Table table, TransactionRecord record) {
    if (!record.tableUuid().equals(table.uuid().toString())) {
      return String.format(
          "table %s was dropped and created again after the transaction was submitted",
          table.name());
    }
    String unwritable = WritableTables.problem(table).orElse(null);
    if (unwritable != null) {
      return unwritable;
    }
    if (record.specId() != table.spec().specId()) {
      return String.format(
          "the partition spec of table %s changed (from %d to %d) after the transaction was"
              + " submitted; submit it again",
          table.name(), record.specId(), table.spec().specId());
    }
    if (record.schemaId() != table.schema().schemaId()) {
      return String.format(
          "the schema of table %s changed (from %d to %d) after the transaction was submitted;"
              + " submit it again",
          table.name(), record.schemaId(), table.schema().schemaId());
    }
    return null;
  }

  /** The records to apply, in sequence order. */
  List<Pending> records() {
    return records;
  }

  /** The partitions the records touch, by key. */
  Map<String, PartitionData> partitions() {
    return partitions;
  }

  /** The keys of the partitions the records touch. */
  Set<String> touched() {
    return touched;
  }

  /** The highest sequence number planned, or 0. */
  long lastSequence() {
    return records.isEmpty() ? 0 : records.get(records.size() - 1).sequence();
  }
}
