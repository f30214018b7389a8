package io.icecap.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.testing.RedisServerExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Literals that pruning once got wrong: a date-only timestamp failed the query with a parse error,
 * and a sub-microsecond timestamp before 1970 became another instant and dropped a file. Each query
 * returns what plain DuckDB returns over the same rows, one file per day.
 */
class PruningRegressionIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  private static final List<String> TIMES =
      List.of(
          "1969-12-30 10:00:00",
          "1969-12-31 23:59:59.999999",
          "1970-01-01 00:00:00",
          "1970-01-02 00:00:00.000001",
          "1970-01-03 12:00:00");

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
    duckdb = DriverManager.getConnection("jdbc:duckdb:");
    session.execute("CREATE SCHEMA p");
    session.execute("CREATE TABLE p.t (id INTEGER, ts TIMESTAMP) PARTITIONED BY (day(ts))");
    try (Statement statement = duckdb.createStatement()) {
      statement.execute("SET TimeZone = 'UTC'");
      statement.execute("CREATE SCHEMA p");
      statement.execute("CREATE TABLE p.t (id INTEGER, ts TIMESTAMP)");
      for (int i = 0; i < TIMES.size(); i++) {
        String insert = "INSERT INTO p.t VALUES (" + i + ", TIMESTAMP '" + TIMES.get(i) + "')";
        session.execute(insert);
        statement.execute(insert);
      }
    }
  }

  @AfterEach
  void close() throws Exception {
    session.close();
    duckdb.close();
  }

  @Test
  void aDateOnlyTimestampLiteralPrunesInsteadOfFailing() throws Exception {
    assertSameAsDuckDb("SELECT count(*) FROM p.t WHERE ts < TIMESTAMP '1970-01-01'", 2);
    assertSameAsDuckDb("SELECT count(*) FROM p.t WHERE ts < '1970-01-01'", 2);
    assertSameAsDuckDb("SELECT count(*) FROM p.t WHERE ts >= '1970-01-02'::TIMESTAMP", 2);
    assertSameAsDuckDb("SELECT count(*) FROM p.t WHERE ts = ?", 1, "1970-01-01");
  }

  @Test
  void aSubMicrosecondLiteralBefore1970DropsNoFile() throws Exception {
    assertSameAsDuckDb(
        "SELECT count(*) FROM p.t WHERE ts > TIMESTAMP '1969-12-31 23:59:59.9999995'", 3);
    assertSameAsDuckDb(
        "SELECT count(*) FROM p.t WHERE ts >= TIMESTAMP '1969-12-31 23:59:59.9999995'", 4);
    assertSameAsDuckDb(
        "SELECT count(*) FROM p.t WHERE ts <= TIMESTAMP '1969-12-31 23:59:59.9999995'", 2);
    assertSameAsDuckDb(
        "SELECT count(*) FROM p.t WHERE ts = TIMESTAMP '1969-12-31 23:59:59.9999995'", 1);
    assertSameAsDuckDb(
        "SELECT count(*) FROM p.t WHERE ts > ?",
        3,
        LocalDateTime.parse("1969-12-31T23:59:59.9999995"));
    assertSameAsDuckDb("SELECT count(*) FROM p.t WHERE ts > '1970-01-02 00:00:00.0000005'", 2);
  }

  @Test
  void boundsOfOneBetweenOrInListCompareInOneTypeAndParametersInTheirOwn() throws Exception {
    session.execute("CREATE TABLE p.n (l BIGINT) PARTITIONED BY (l)");
    try (Statement statement = duckdb.createStatement()) {
      statement.execute("CREATE TABLE p.n (l BIGINT)");
      for (long value : new long[] {Long.MIN_VALUE, 83, 84, Long.MAX_VALUE}) {
        String insert = "INSERT INTO p.n VALUES (" + value + ")";
        session.execute(insert);
        statement.execute(insert);
      }
    }
    // with a DOUBLE bound, DuckDB compares the other bound as DOUBLE too: MAX - 1 equals MAX
    assertSameAsDuckDb(
        "SELECT count(*) FROM p.n WHERE l BETWEEN ? AND 9223372036854775806", 2, 83.5);
    assertSameAsDuckDb("SELECT count(*) FROM p.n WHERE l IN (83.5e0, 9223372036854775806)", 1);
    // a BigDecimal parameter compares exactly, not rounded to BIGINT
    assertSameAsDuckDb(
        "SELECT count(*) FROM p.n WHERE l < ?",
        1,
        new java.math.BigDecimal("-9223372036854775807.5"));
  }

  private void assertSameAsDuckDb(String sql, long expected, Object... parameters)
      throws Exception {
    long duck;
    try (PreparedStatement statement = duckdb.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        duck = rows.getLong(1);
      }
    }
    try (ResultSet rows = session.query(sql, parameters)) {
      rows.next();
      assertThat(rows.getLong(1)).as(sql).isEqualTo(duck).isEqualTo(expected);
    }
  }
}
