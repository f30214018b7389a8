package io.icecap.worker;

import static java.util.Objects.requireNonNull;

import io.icecap.replica.DuckDbReplica;
import io.icecap.replica.PartitionSql;
import io.icecap.txn.record.RecordStatement;
import io.icecap.txn.record.ReplicaEntry;
import io.icecap.txn.validate.SandboxedDuckDb;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.apache.iceberg.PartitionData;
import org.apache.iceberg.PartitionSpec;

/**
 * A job's working copy of one partition's DuckDB replica, open for applying records in place. Its
 * database is confined to the worker's own directory ({@link SandboxedDuckDb}) before any record
 * runs in it.
 *
 * <p>Time zone is UTC on every connection that validates or applies records, so that the same
 * statement gives the same result at submit and at apply.
 */
final class WorkingReplica implements AutoCloseable {
  private final String key;
  private final PartitionData partition;
  private final DuckDbReplica replica;
  private final ReplicaEntry origin;
  private final String predicate;
  private boolean changed;

  private WorkingReplica(
      String key,
      PartitionData partition,
      DuckDbReplica replica,
      ReplicaEntry origin,
      String predicate) {
    this.key = requireNonNull(key, "key is null");
    this.partition = partition;
    this.replica = requireNonNull(replica, "replica is null");
    this.origin = origin;
    this.predicate = requireNonNull(predicate, "predicate is null");
  }

  /**
   * Prepares an open replica for applying records: the insert staging table, the partition
   * transforms, UTC, and an open transaction.
   *
   * @param origin the replica map entry the copy came from, or null when it was built by the job
   * @param threads the threads DuckDB may use for one statement: a job works on several partitions
   *     at once, and together they should not ask for more threads than there are processors
   * @param workDir the worker's own directory: the replica, its temporary files and every file the
   *     job reads or writes through it are there, and the database may reach no other file
   */
  static WorkingReplica prepare(
      String key,
      PartitionSpec spec,
      PartitionData partition,
      DuckDbReplica replica,
      ReplicaEntry origin,
      int threads,
      Path workDir)
      throws SQLException {
    Connection connection = replica.connection();
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET TimeZone = 'UTC'");
      statement.execute("SET threads = " + threads);
      statement.execute(
          "CREATE TEMP TABLE "
              + RecordStatement.INSERT_STAGING
              + " AS SELECT * FROM "
              + DuckDbReplica.ROWS
              + " LIMIT 0");
    }
    PendingRows.create(connection);
    String predicate =
        spec.isPartitioned()
            ? PartitionSql.register(connection, spec).predicate(partition)
            : "true";
    // records come from the log, which anything that can write Redis can write
    SandboxedDuckDb.confine(connection, List.of(workDir));
    connection.setAutoCommit(false);
    return new WorkingReplica(key, partition, replica, origin, predicate);
  }

  /**
   * The same open replica for another job: a new transaction, nothing changed yet.
   *
   * @param origin the replica map entry it is the copy of
   */
  WorkingReplica resume(ReplicaEntry origin) throws SQLException {
    replica.connection().setAutoCommit(false);
    return new WorkingReplica(key, partition, replica, origin, predicate);
  }

  String key() {
    return key;
  }

  PartitionData partition() {
    return partition;
  }

  DuckDbReplica replica() {
    return replica;
  }

  Connection connection() {
    return replica.connection();
  }

  Path file() {
    return replica.file();
  }

  /** The replica map entry this copy came from, or null. */
  ReplicaEntry origin() {
    return origin;
  }

  /** A SQL predicate true for exactly this partition's rows. */
  String predicate() {
    return predicate;
  }

  boolean changed() {
    return changed;
  }

  void markChanged() {
    changed = true;
  }

  @Override
  public void close() {
    replica.close();
  }
}
