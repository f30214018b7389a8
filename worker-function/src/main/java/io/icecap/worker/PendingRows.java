package io.icecap.worker;

import io.icecap.replica.DuckDbReplica;
import io.icecap.txn.record.RecordStatement;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The rows a run inserts into a partition, held apart until the run ends.
 *
 * <p>A run mixes inserts with keyed updates of one template. Its inserts go first into this
 * temporary table, each row with the sequence number of its record; its updates then change the
 * partition's rows, and the pending rows whose record comes before theirs. At the end of the run
 * the pending rows join the partition. Updates here read only the row they change, so this gives
 * exactly what applying the records one by one in log order gives, with a handful of statements per
 * run in place of several per record.
 */
final class PendingRows {
  /** The temporary table of a run's inserted rows. */
  static final String TABLE = "icecap_pending";

  /** The column of each pending row's sequence number (also in the run's parameter tables). */
  static final String SEQUENCE = "icecap_seq";

  private PendingRows() {}

  /** Creates the connection's (empty) pending table, with the columns of {@code rows}. */
  static void create(Connection connection) throws SQLException {
    try (Statement sql = connection.createStatement()) {
      sql.execute(
          "CREATE TEMP TABLE "
              + TABLE
              + " AS SELECT *, 0::BIGINT AS "
              + SEQUENCE
              + " FROM "
              + DuckDbReplica.ROWS
              + " LIMIT 0");
    }
  }

  /** Adds the rows of an insert's SQL, which writes into the insert staging table. */
  static void addStatement(Statement sql, RecordStatement statement, long sequence)
      throws SQLException {
    sql.execute("DELETE FROM " + RecordStatement.INSERT_STAGING);
    sql.execute(statement.sql());
    sql.execute(
        "INSERT INTO "
            + TABLE
            + " SELECT *, "
            + sequence
            + " FROM "
            + RecordStatement.INSERT_STAGING);
  }

  /**
   * Keeps only the pending rows of the partition: an insert's statement may write rows of several.
   *
   * @param predicate true for exactly the partition's rows
   */
  static void keepPartition(Statement sql, String predicate) throws SQLException {
    sql.execute("DELETE FROM " + TABLE + " WHERE (" + predicate + ") IS NOT TRUE");
  }

  /** Moves the pending rows into the partition; returns how many moved. */
  static long move(Statement sql) throws SQLException {
    long moved =
        sql.executeLargeUpdate(
            "INSERT INTO "
                + DuckDbReplica.ROWS
                + " SELECT * EXCLUDE ("
                + SEQUENCE
                + ") FROM "
                + TABLE);
    sql.execute("DELETE FROM " + TABLE);
    return moved;
  }
}
