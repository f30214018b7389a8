package io.icecap.worker;

import static java.util.Objects.requireNonNull;

import io.icecap.replica.DuckDbReplica;
import io.icecap.txn.record.RecordStatement;
import io.icecap.txn.record.TransactionResult;
import io.icecap.txn.sql.DmlKind;
import io.icecap.txn.validate.DuckDbMessages;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Applies records in sequence order to the working replicas of their partitions, in place.
 *
 * <p>Each replica runs one open DuckDB transaction over many records. A record that fails in any
 * partition is aborted everywhere: every replica rolls back to its last commit, the records applied
 * since then run again (they are deterministic, so they give the same result), and the failed
 * record is skipped. Failures are rare, so the common path pays one commit per replica.
 */
final class RecordApplier {
  private final TableIdentifier table;
  private final Map<String, WorkingReplica> replicas;
  private final Map<String, Path> stagedFiles;
  private final PartitionTasks tasks;

  /** The most records one set-based statement applies. */
  private static final int MAX_RUN = 10_000;

  /** The run kind of plain inserts (update runs are keyed by their template). */
  private static final String INSERT_RUN = "\0insert";

  RecordApplier(
      TableIdentifier table,
      Map<String, WorkingReplica> replicas,
      Map<String, Path> stagedFiles,
      PartitionTasks tasks) {
    this.table = requireNonNull(table, "table is null");
    this.tasks = requireNonNull(tasks, "tasks is null");
    this.replicas = requireNonNull(replicas, "replicas is null");
    this.stagedFiles = requireNonNull(stagedFiles, "stagedFiles is null");
  }

  /**
   * Applies the records and returns each one's result, by sequence number. Each replica's
   * transaction is left open: the checkpoint commits it together with the replica's new state.
   */
  Map<Long, TransactionResult> apply(List<JobPlan.Pending> records) throws SQLException {
    Map<Long, TransactionResult> results = new LinkedHashMap<>();
    List<List<JobPlan.Pending>> sinceCommit = new ArrayList<>();
    for (List<JobPlan.Pending> unit : units(records)) {
      if (unit.size() == 1) {
        applyOne(unit.get(0), results, sinceCommit);
        continue;
      }
      try {
        long[][] counts = runBatch(unit);
        for (int i = 0; i < unit.size(); i++) {
          results.put(unit.get(i).sequence(), TransactionResult.committed(List.of(counts[0][i])));
        }
        sinceCommit.add(unit);
      } catch (SQLException | RuntimeException | UpdateBatch.DuplicateKeys e) {
        // some record of the run fails, or two share a key: one at a time finds out which
        recover(sinceCommit);
        for (JobPlan.Pending record : unit) {
          applyOne(record, results, sinceCommit);
        }
      }
    }
    return results;
  }

  private void applyOne(
      JobPlan.Pending record,
      Map<Long, TransactionResult> results,
      List<List<JobPlan.Pending>> sinceCommit)
      throws SQLException {
    if (record.abort() != null) {
      results.put(record.sequence(), TransactionResult.aborted(record.abort()));
      return;
    }
    try {
      results.put(record.sequence(), TransactionResult.committed(run(record)));
      sinceCommit.add(List.of(record));
    } catch (SQLException | RuntimeException e) {
      recover(sinceCommit);
      results.put(record.sequence(), TransactionResult.aborted(e.getMessage()));
    }
  }

  /** Rolls every replica back and applies again what was applied since the last commit. */
  private void recover(List<List<JobPlan.Pending>> sinceCommit) throws SQLException {
    rollbackAll();
    for (List<JobPlan.Pending> unit : sinceCommit) {
      try {
        if (unit.size() == 1) {
          run(unit.get(0));
        } else {
          runBatch(unit);
        }
      } catch (SQLException | RuntimeException | UpdateBatch.DuplicateKeys replay) {
        throw new IllegalStateException(
            String.format(
                "Records from %d of %s gave another result when applied again: %s",
                unit.get(0).sequence(), table, replay.getMessage()),
            replay);
      }
    }
    commitAll();
    sinceCommit.clear();
  }

  /**
   * Splits the records into units: runs of plain inserts mixed with updates of one batchable
   * template, and single records.
   */
  private static List<List<JobPlan.Pending>> units(List<JobPlan.Pending> records) {
    List<List<JobPlan.Pending>> units = new ArrayList<>();
    List<JobPlan.Pending> run = new ArrayList<>();
    String template = null;
    for (JobPlan.Pending record : records) {
      String kind = runKind(record);
      boolean joins =
          kind != null
              && run.size() < MAX_RUN
              && (kind.equals(INSERT_RUN) || template == null || kind.equals(template));
      if (!joins) {
        flush(run, units);
        run = new ArrayList<>();
        template = null;
      }
      if (kind == null) {
        units.add(List.of(record));
        continue;
      }
      run.add(record);
      if (!kind.equals(INSERT_RUN)) {
        template = kind;
      }
    }
    flush(run, units);
    return units;
  }

  /**
   * What run a record can join: "insert" for a plain insert, the template for a batchable update,
   * null when it is applied on its own.
   */
  private static String runKind(JobPlan.Pending record) {
    if (record.abort() != null || record.record().statements().size() != 1) {
      return null;
    }
    RecordStatement statement = record.record().statements().get(0);
    if (statement.kind() == DmlKind.INSERT) {
      return statement.staged() == null ? INSERT_RUN : null;
    }
    return statement.template() != null && UpdateBatch.shapeOf(statement.template()) != null
        ? statement.template()
        : null;
  }

  private static void flush(List<JobPlan.Pending> run, List<List<JobPlan.Pending>> units) {
    if (!run.isEmpty()) {
      units.add(List.copyOf(run));
    }
  }

  /** Runs a run of records in each partition it touches; returns each record's row count. */
  private long[][] runBatch(List<JobPlan.Pending> unit)
      throws SQLException, UpdateBatch.DuplicateKeys {
    UpdateBatch.Shape shape = null;
    for (JobPlan.Pending record : unit) {
      RecordStatement statement = record.record().statements().get(0);
      if (statement.kind() != DmlKind.INSERT) {
        shape = UpdateBatch.shapeOf(statement.template());
        break;
      }
    }
    Map<String, List<JobPlan.Pending>> byPartition = new LinkedHashMap<>();
    Map<String, List<Integer>> positions = new LinkedHashMap<>();
    for (int i = 0; i < unit.size(); i++) {
      for (String key : unit.get(i).touched().get(0)) {
        byPartition.computeIfAbsent(key, k -> new ArrayList<>()).add(unit.get(i));
        positions.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
      }
    }
    UpdateBatch.Shape updates = shape;
    List<Callable<long[]>> work = new ArrayList<>();
    for (Map.Entry<String, List<JobPlan.Pending>> partition : byPartition.entrySet()) {
      WorkingReplica replica = replicas.get(partition.getKey());
      work.add(
          () -> {
            try (Statement sql = replica.connection().createStatement()) {
              long[] partitionCounts = runInPartition(sql, replica, partition.getValue(), updates);
              replica.markChanged();
              return partitionCounts;
            }
          });
    }
    List<long[]> partitionCounts = tasks.runAll(work);
    long[][] counts = new long[1][unit.size()];
    int p = 0;
    for (String key : byPartition.keySet()) {
      List<Integer> at = positions.get(key);
      long[] partitionCount = partitionCounts.get(p++);
      for (int j = 0; j < partitionCount.length; j++) {
        counts[0][at.get(j)] += partitionCount[j];
      }
    }
    return counts;
  }

  /**
   * Runs a run's records that touch one partition: the inserts into the pending rows, then the
   * updates, then the pending rows into the partition. An insert's row count is the one the
   * orchestrator found at submit; a partition that receives another count fails the run, which is
   * then applied one record at a time.
   */
  private long[] runInPartition(
      Statement sql, WorkingReplica replica, List<JobPlan.Pending> records, UpdateBatch.Shape shape)
      throws SQLException, UpdateBatch.DuplicateKeys {
    long[] counts = new long[records.size()];
    Map<InsertBatch.Shape, List<Integer>> batched = new LinkedHashMap<>();
    List<Integer> updates = new ArrayList<>();
    long expected = 0;
    boolean inserts = false;
    for (int j = 0; j < records.size(); j++) {
      RecordStatement statement = records.get(j).record().statements().get(0);
      if (statement.kind() != DmlKind.INSERT) {
        updates.add(j);
        continue;
      }
      inserts = true;
      counts[j] = statement.inserts().getOrDefault(replica.key(), 0L);
      expected += counts[j];
      InsertBatch.Shape insert =
          statement.template() == null ? null : InsertBatch.shapeOf(statement.template());
      if (insert == null) {
        PendingRows.addStatement(sql, statement, records.get(j).sequence());
      } else {
        batched.computeIfAbsent(insert, s -> new ArrayList<>()).add(j);
      }
    }
    for (Map.Entry<InsertBatch.Shape, List<Integer>> batch : batched.entrySet()) {
      InsertBatch.add(
          sql,
          batch.getKey(),
          batch.getValue().stream()
              .map(j -> records.get(j).record().statements().get(0).parameters())
              .toList(),
          batch.getValue().stream().map(j -> records.get(j).sequence()).toList());
    }
    if (inserts) {
      PendingRows.keepPartition(sql, replica.predicate());
    }
    if (!updates.isEmpty()) {
      long[] updated =
          UpdateBatch.run(
              sql,
              shape,
              updates.stream()
                  .map(j -> records.get(j).record().statements().get(0).parameters())
                  .toList(),
              updates.stream().map(j -> records.get(j).sequence()).toList(),
              inserts);
      for (int u = 0; u < updates.size(); u++) {
        counts[updates.get(u)] = updated[u];
      }
    }
    if (inserts) {
      long moved = PendingRows.move(sql);
      if (moved != expected) {
        throw new SQLException(
            String.format(
                "A run of inserts wrote %d rows to partition %s of %s where %d were expected",
                moved, replica.key(), table, expected));
      }
    }
    return counts;
  }

  private List<Long> run(JobPlan.Pending record) throws SQLException {
    List<Long> counts = new ArrayList<>();
    List<RecordStatement> statements = record.record().statements();
    for (int i = 0; i < statements.size(); i++) {
      RecordStatement statement = statements.get(i);
      Set<String> keys = record.touched().get(i);
      long count = 0;
      for (String key : keys) {
        WorkingReplica replica = replicas.get(key);
        try {
          count += run(statement, replica);
        } catch (SQLException e) {
          throw new SQLException(
              String.format(
                  "Cannot apply %s %d of transaction %d to %s partition %s: %s",
                  statement.kind(),
                  i + 1,
                  record.sequence(),
                  table,
                  key.isEmpty() ? "(unpartitioned)" : key,
                  DuckDbMessages.clean(e.getMessage(), table.toString())),
              e);
        }
      }
      counts.add(count);
    }
    for (String key : record.partitions()) {
      replicas.get(key).markChanged();
    }
    return counts;
  }

  private long run(RecordStatement statement, WorkingReplica replica) throws SQLException {
    try (Statement sql = replica.connection().createStatement()) {
      if (statement.kind() != DmlKind.INSERT) {
        return sql.executeLargeUpdate(statement.sql());
      }
      sql.execute("DELETE FROM " + RecordStatement.INSERT_STAGING);
      if (statement.staged() != null) {
        Path file = stagedFiles.get(statement.staged());
        sql.execute(
            "INSERT INTO "
                + RecordStatement.INSERT_STAGING
                + " SELECT * FROM read_parquet('"
                + file.toString().replace("'", "''")
                + "')");
      } else {
        sql.execute(statement.sql());
      }
      return sql.executeLargeUpdate(
          "INSERT INTO "
              + DuckDbReplica.ROWS
              + " SELECT * FROM "
              + RecordStatement.INSERT_STAGING
              + " WHERE "
              + replica.predicate());
    }
  }

  private void rollbackAll() throws SQLException {
    for (WorkingReplica replica : replicas.values()) {
      replica.connection().rollback();
    }
  }

  private void commitAll() throws SQLException {
    for (WorkingReplica replica : replicas.values()) {
      replica.connection().commit();
    }
  }
}
