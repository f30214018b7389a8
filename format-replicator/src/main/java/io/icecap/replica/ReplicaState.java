package io.icecap.replica;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;

/**
 * What a DuckDB replica reflects, kept in the replica file itself (table {@value #TABLE}) so that a
 * replica found in a cache or in storage can be trusted or rejected by reading it.
 *
 * @param tableUuid the Iceberg table's UUID
 * @param tableName the table's name, for messages
 * @param specId the partition spec the partition belongs to
 * @param partitionPath the partition, as Iceberg spells it ({@code day=2026-11-20}); empty for an
 *     unpartitioned table
 * @param snapshotId the Iceberg snapshot whose rows the replica holds, or null before the first
 * @param schemaId the Iceberg schema of the replica's columns
 * @param appliedSequence the last Icecap log sequence number applied to the replica (0 if none)
 */
public record ReplicaState(
    String tableUuid,
    String tableName,
    int specId,
    String partitionPath,
    Long snapshotId,
    int schemaId,
    long appliedSequence) {
  /** The name of the state table inside a replica file. */
  public static final String TABLE = "icecap_state";

  /** Checks the values. */
  public ReplicaState {
    requireNonNull(tableUuid, "tableUuid is null");
    requireNonNull(tableName, "tableName is null");
    requireNonNull(partitionPath, "partitionPath is null");
    if (appliedSequence < 0) {
      throw new IllegalArgumentException(
          "appliedSequence must not be negative: " + appliedSequence);
    }
  }

  /**
   * The same state after applying the log up to {@code sequence} and committing {@code snapshot}.
   */
  public ReplicaState advancedTo(long sequence, Long snapshot) {
    return new ReplicaState(
        tableUuid, tableName, specId, partitionPath, snapshot, schemaId, sequence);
  }

  /** Replaces the state table's one row with this state. */
  void write(Connection duckdb) throws SQLException {
    try (Statement statement = duckdb.createStatement()) {
      statement.execute(
          "CREATE TABLE IF NOT EXISTS "
              + TABLE
              + " (table_uuid VARCHAR NOT NULL, table_name VARCHAR NOT NULL, spec_id INTEGER NOT"
              + " NULL, partition_path VARCHAR NOT NULL, snapshot_id BIGINT, schema_id INTEGER NOT"
              + " NULL, applied_sequence BIGINT NOT NULL)");
      statement.execute("DELETE FROM " + TABLE);
    }
    try (PreparedStatement insert =
        duckdb.prepareStatement("INSERT INTO " + TABLE + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, tableUuid);
      insert.setString(2, tableName);
      insert.setInt(3, specId);
      insert.setString(4, partitionPath);
      if (snapshotId == null) {
        insert.setNull(5, Types.BIGINT);
      } else {
        insert.setLong(5, snapshotId);
      }
      insert.setInt(6, schemaId);
      insert.setLong(7, appliedSequence);
      insert.executeUpdate();
    }
  }

  /**
   * Reads the state of a replica.
   *
   * @param file the replica, as named in messages
   * @throws ReplicaException when the file has no state table or not exactly one state row
   */
  static ReplicaState read(Connection duckdb, String file) throws SQLException {
    try (Statement statement = duckdb.createStatement()) {
      try (ResultSet exists =
          statement.executeQuery(
              "SELECT count(*) FROM duckdb_tables() WHERE table_name = '" + TABLE + "'")) {
        exists.next();
        if (exists.getLong(1) == 0) {
          throw new ReplicaException(
              "%s is not an Icecap replica: it has no %s table. Rebuild the replica from the"
                  + " table's Parquet files",
              file, TABLE);
        }
      }
      try (ResultSet rows =
          statement.executeQuery(
              "SELECT table_uuid, table_name, spec_id, partition_path, snapshot_id, schema_id,"
                  + " applied_sequence FROM "
                  + TABLE)) {
        if (!rows.next()) {
          throw new ReplicaException("Replica %s has an empty %s table", file, TABLE);
        }
        long snapshotValue = rows.getLong(5);
        Long snapshot = rows.wasNull() ? null : snapshotValue;
        ReplicaState state =
            new ReplicaState(
                rows.getString(1),
                rows.getString(2),
                rows.getInt(3),
                rows.getString(4),
                snapshot,
                rows.getInt(6),
                rows.getLong(7));
        if (rows.next()) {
          throw new ReplicaException("Replica %s has more than one row in %s", file, TABLE);
        }
        return state;
      }
    }
  }
}
