package io.icecap.worker;

import static java.util.Objects.requireNonNull;

import io.icecap.replica.DuckDbReplica;
import io.icecap.txn.record.RecordStatement;
import io.icecap.txn.record.TransactionResult;
import io.icecap.txn.sql.DmlKind;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  RecordApplier(
      TableIdentifier table, Map<String, WorkingReplica> replicas, Map<String, Path> stagedFiles) {
    this.table = requireNonNull(table, "table is null");
    this.replicas = requireNonNull(replicas, "replicas is null");
    this.stagedFiles = requireNonNull(stagedFiles, "stagedFiles is null");
  }

  /** Applies the records and returns each one's result, by sequence number. */
  Map<Long, TransactionResult> apply(List<JobPlan.Pending> records) throws SQLException {
    Map<Long, TransactionResult> results = new LinkedHashMap<>();
    List<JobPlan.Pending> sinceCommit = new ArrayList<>();
    for (JobPlan.Pending record : records) {
      if (record.abort() != null) {
        results.put(record.sequence(), TransactionResult.aborted(record.abort()));
        continue;
      }
      try {
        results.put(record.sequence(), TransactionResult.committed(run(record)));
        sinceCommit.add(record);
      } catch (SQLException | RuntimeException e) {
        rollbackAll();
        for (JobPlan.Pending again : sinceCommit) {
          try {
            run(again);
          } catch (SQLException | RuntimeException replay) {
            throw new IllegalStateException(
                String.format(
                    "Record %d of %s gave another result when applied again: %s",
                    again.sequence(), table, replay.getMessage()),
                replay);
          }
        }
        commitAll();
        sinceCommit.clear();
        results.put(record.sequence(), TransactionResult.aborted(e.getMessage()));
      }
    }
    commitAll();
    return results;
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
                  e.getMessage()),
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
