package io.icecap.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.testing.RedisServerExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks at submit refuse only what DuckDB would refuse on any rows: a transaction DuckDB
 * commits on the table's rows is committed, with the rows DuckDB gives.
 */
class SubmitChecksIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  private static final String SETUP =
      "INSERT INTO s1.t VALUES (6, '6', 0), (348, '348', 0), (7, NULL, 1), (8, '8', 2)";

  @TempDir Path warehouse;
  @TempDir Path home;
  private IcecapSession session;
  private Connection duckdb;

  @BeforeEach
  void connect() throws Exception {
    REDIS.flushAll();
    session =
        Icecap.connect(
            IcecapConfig.redis(REDIS.server().uri(), warehouse.toString(), home).withWorkers(1));
    session.execute("CREATE SCHEMA s1");
    session.execute("CREATE TABLE s1.t (id BIGINT, s VARCHAR, i INTEGER)");
    session.execute(SETUP);
    duckdb = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement statement = duckdb.createStatement()) {
      statement.execute("CREATE SCHEMA s1");
      statement.execute("CREATE TABLE s1.t (id BIGINT, s VARCHAR, i INTEGER)");
      statement.execute(SETUP);
    }
  }

  @AfterEach
  void close() throws Exception {
    session.close();
    duckdb.close();
  }

  @Test
  void aStatementIsNotCheckedOverAnEarlierStatementsOutputOnARowNeitherTouches() throws Exception {
    List<String> transaction =
        List.of(
            "UPDATE s1.t SET s = 'abc' WHERE id = 6",
            "UPDATE s1.t SET i = CAST(s AS INTEGER) WHERE id = 348");
    session.begin();
    for (String sql : transaction) {
      session.execute(sql);
    }
    session.commit();
    runInDuckDb(transaction);
    assertThat(rows(session.query("SELECT * FROM s1.t ORDER BY id")))
        .isEqualTo(rows(duckdb.createStatement().executeQuery("SELECT * FROM s1.t ORDER BY id")))
        .contains("348|348|348", "6|abc|0");
  }

  @Test
  void anExpressionOverColumnsIsLeftToTheRowsAndAConstantTypeErrorIsStillRefused()
      throws Exception {
    // fails on a row of NULLs, never on the table's rows
    String overColumns = "UPDATE s1.t SET i = CAST(coalesce(s, 'x') AS INTEGER) WHERE id = 8";
    assertThat(session.execute(overColumns)).isEqualTo(1L);
    runInDuckDb(List.of(overColumns));
    assertThat(rows(session.query("SELECT * FROM s1.t ORDER BY id")))
        .isEqualTo(rows(duckdb.createStatement().executeQuery("SELECT * FROM s1.t ORDER BY id")));

    assertThatThrownBy(() -> session.execute("UPDATE s1.t SET i = 'abc'"))
        .isInstanceOfSatisfying(
            IcecapException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.WRITE_REFUSED))
        .hasMessageContaining("Could not convert string 'abc'");
    // reads a column, but fails over any row: the constant does not convert
    assertThatThrownBy(() -> session.execute("DELETE FROM s1.t WHERE i = 'abc'"))
        .isInstanceOfSatisfying(
            IcecapException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.WRITE_REFUSED))
        .hasMessageContaining("Could not convert string 'abc'");
  }

  private void runInDuckDb(List<String> statements) throws Exception {
    try (Statement statement = duckdb.createStatement()) {
      statement.execute("BEGIN");
      for (String sql : statements) {
        statement.execute(sql);
      }
      statement.execute("COMMIT");
    }
  }

  private static List<String> rows(ResultSet rows) throws Exception {
    List<String> out = new ArrayList<>();
    try (rows) {
      int columns = rows.getMetaData().getColumnCount();
      while (rows.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          row.add(rows.getString(i));
        }
        out.add(String.join("|", row));
      }
    }
    return out;
  }
}
