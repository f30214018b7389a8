package io.icecap.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.testing.RedisServerExtension;
import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The JDBC driver's statements, transactions and errors against a real Redis and DuckDB. */
class JdbcIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().appendOnly(true).build();

  @TempDir Path warehouse;
  @TempDir Path home;
  private Connection connection;

  @BeforeEach
  void connect() throws SQLException {
    REDIS.flushAll();
    connection = DriverManager.getConnection(url());
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA shop");
      statement.execute(
          "CREATE TABLE shop.stock (sku BIGINT NOT NULL, qty INTEGER, shelf INTEGER NOT NULL)"
              + " PARTITIONED BY (bucket(4, shelf))");
    }
  }

  @AfterEach
  void close() throws SQLException {
    connection.close();
  }

  private String url() {
    return "jdbc:icecap:"
        + REDIS.server().uri()
        + "/?warehouse="
        + warehouse
        + "&home="
        + home
        + "&workers=1&redis.timeout-ms=2000";
  }

  @Test
  void writesReturnCountsAndQueriesSeeThem() throws SQLException {
    try (Statement statement = connection.createStatement()) {
      assertThat(statement.executeUpdate("INSERT INTO shop.stock VALUES (1, 5, 1), (2, 7, 2)"))
          .isEqualTo(2);
      assertThat(statement.executeLargeUpdate("UPDATE shop.stock SET qty = qty + 1")).isEqualTo(2);
      assertThat(statement.execute("DELETE FROM shop.stock WHERE sku = 2")).isFalse();
      assertThat(statement.getUpdateCount()).isEqualTo(1);
      assertThat(statement.execute("SELECT sku, qty FROM shop.stock")).isTrue();
      try (ResultSet rows = statement.getResultSet()) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getLong(1)).isEqualTo(1);
        assertThat(rows.getInt(2)).isEqualTo(6);
        assertThat(rows.next()).isFalse();
      }
      assertThat(statement.getMoreResults()).isFalse();
      assertThat(statement.getUpdateCount()).isEqualTo(-1);
    }
  }

  @Test
  void nestedNamespacesAreSchemasWithDottedNames() throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA lake");
      statement.execute("CREATE SCHEMA lake.raw");
      statement.execute("CREATE TABLE lake.raw.events (id BIGINT NOT NULL, kind VARCHAR)");
      statement.execute("INSERT INTO lake.raw.events VALUES (1, 'click'), (2, 'view')");
    }
    java.sql.DatabaseMetaData metadata = connection.getMetaData();
    List<String> schemas = new ArrayList<>();
    try (ResultSet rows = metadata.getSchemas()) {
      while (rows.next()) {
        schemas.add(rows.getString("TABLE_SCHEM"));
      }
    }
    assertThat(schemas).containsExactly("lake", "lake.raw", "shop");
    List<String> tables = new ArrayList<>();
    try (ResultSet rows = metadata.getTables(null, "lake.raw", "%", null)) {
      while (rows.next()) {
        tables.add(rows.getString("TABLE_SCHEM") + " " + rows.getString("TABLE_NAME"));
      }
    }
    assertThat(tables).containsExactly("lake.raw events");
    List<String> columns = new ArrayList<>();
    try (ResultSet rows = metadata.getColumns(null, "lake.raw", "events", null)) {
      while (rows.next()) {
        columns.add(rows.getString("COLUMN_NAME"));
      }
    }
    assertThat(columns).containsExactly("id", "kind");

    connection.setSchema("lake.raw");
    assertThat(connection.getSchema()).isEqualTo("lake.raw");
    try (Statement statement = connection.createStatement()) {
      assertThat(statement.executeUpdate("UPDATE events SET kind = 'tap' WHERE id = 1"))
          .isEqualTo(1);
      try (ResultSet rows =
          statement.executeQuery(
              "SELECT e.kind FROM events e JOIN shop.stock s ON true"
                  + " UNION ALL SELECT kind FROM lake.raw.events ORDER BY 1")) {
        List<String> kinds = new ArrayList<>();
        while (rows.next()) {
          kinds.add(rows.getString(1));
        }
        assertThat(kinds).containsExactly("tap", "view");
      }
      // as a generic tool quotes the schema it was shown
      try (ResultSet rows =
          statement.executeQuery("SELECT count(*) FROM \"lake.raw\".\"events\"")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getLong(1)).isEqualTo(2);
      }
    }
  }

  @Test
  void withAutoCommitOffWritesWaitForCommitAndRollbackDropsThem() throws SQLException {
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      assertThat(statement.executeUpdate("INSERT INTO shop.stock VALUES (1, 1, 1)")).isZero();
      assertThat(statement.executeUpdate("INSERT INTO shop.stock VALUES (2, 2, 2)")).isZero();
      assertThat(count()).as("not committed yet").isZero();
      connection.commit();
      assertThat(count()).isEqualTo(2);

      statement.executeUpdate("DELETE FROM shop.stock");
      connection.rollback();
      assertThat(count()).isEqualTo(2);

      statement.executeUpdate("INSERT INTO shop.stock VALUES (3, 3, 3)");
      assertThatThrownBy(() -> statement.executeUpdate("CREATE SCHEMA other"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25000"));
      connection.setAutoCommit(true);
      assertThat(count()).as("setAutoCommit(true) commits").isEqualTo(3);
    }
    assertThatThrownBy(connection::commit)
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("setAutoCommit(false)");
  }

  @Test
  void aPreparedBatchIsAllOrNothing() throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO shop.stock VALUES (?, ?, ?)")) {
      insert.setLong(1, 1);
      insert.setInt(2, 10);
      insert.setInt(3, 1);
      insert.addBatch();
      insert.setLong(1, 2);
      insert.setString(2, "not a number");
      insert.setInt(3, 2);
      insert.addBatch();
      assertThatThrownBy(insert::executeBatch)
          .isInstanceOfSatisfying(
              BatchUpdateException.class,
              e -> {
                assertThat(e.getUpdateCounts()).isEmpty();
                assertThat(e.getMessage()).contains("no statement of the batch was applied");
                assertThat(e.getErrorCode()).isEqualTo(1007);
              });
      assertThat(count()).isZero();

      insert.setLong(1, 3);
      insert.setInt(2, 30);
      insert.setNull(3, java.sql.Types.INTEGER);
      assertThatThrownBy(insert::executeUpdate)
          .as("shelf is NOT NULL")
          .isInstanceOf(SQLException.class);
      insert.setInt(3, 3);
      assertThat(insert.executeUpdate()).isEqualTo(1);
      assertThat(count()).isEqualTo(1);
    }
  }

  @Test
  void badStatementsGetCodedErrorsAndTheConnectionStaysUsable() throws SQLException {
    try (Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.executeQuery("SELEC 1"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isIn(1001, 1015));
      assertThatThrownBy(() -> statement.executeQuery("SELECT * FROM shop.nothing"))
          .isInstanceOfSatisfying(
              SQLSyntaxErrorException.class,
              e -> {
                assertThat(e.getSQLState()).isEqualTo("42P01");
                assertThat(e.getErrorCode()).isEqualTo(1002);
                assertThat(e.getMessage()).contains("shop.nothing");
              });
      assertThatThrownBy(() -> statement.executeUpdate("INSERT INTO shop.stock VALUES ('x', 1, 1)"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1007));
      assertThatThrownBy(() -> statement.executeQuery("INSERT INTO shop.stock VALUES (1, 1, 1)"))
          .isInstanceOf(SQLFeatureNotSupportedException.class)
          .hasMessageContaining("executeUpdate");
      assertThatThrownBy(() -> statement.executeUpdate("SELECT 1"))
          .isInstanceOf(SQLFeatureNotSupportedException.class);
      try (ResultSet one = statement.executeQuery("SELECT 41 + 1")) {
        assertThat(one.next()).isTrue();
        assertThat(one.getInt(1)).isEqualTo(42);
      }
    }
    try (PreparedStatement query =
        connection.prepareStatement("SELECT count(*) FROM shop.stock WHERE qty > ? AND sku < ?")) {
      query.setInt(1, 0);
      assertThatThrownBy(query::executeQuery)
          .isInstanceOf(SQLDataException.class)
          .hasMessageContaining("Parameter 2 of 2 is not set");
      assertThatThrownBy(() -> query.setInt(3, 1))
          .isInstanceOf(SQLDataException.class)
          .hasMessageContaining("out of range");
      query.setLong(2, 10);
      try (ResultSet rows = query.executeQuery()) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getLong(1)).isZero();
      }
      assertThatThrownBy(() -> query.executeQuery("SELECT 1"))
          .isInstanceOf(SQLFeatureNotSupportedException.class);
    }
    assertThatThrownBy(() -> connection.prepareStatement("SELECT 'unterminated"))
        .isInstanceOf(SQLSyntaxErrorException.class);
    assertThatThrownBy(() -> connection.prepareCall("CALL x()"))
        .isInstanceOf(SQLFeatureNotSupportedException.class);
    Statement closed = connection.createStatement();
    closed.close();
    assertThatThrownBy(() -> closed.executeQuery("SELECT 1"))
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08003"));
    assertThat(count()).isZero();
  }

  @Test
  void queriesTimeOutAndAreCancelledAndTheConnectionGoesOn() throws Exception {
    String endless = "SELECT sum(hash(r.i * s.sku)) FROM shop.stock s, range(100000000000) r(i)";
    try (Statement statement = connection.createStatement()) {
      statement.executeUpdate("INSERT INTO shop.stock VALUES (1, 5, 1)");
      statement.setQueryTimeout(1);
      assertThat(statement.getQueryTimeout()).isEqualTo(1);
      assertThatThrownBy(() -> statement.executeQuery(endless))
          .isInstanceOfSatisfying(
              SQLTimeoutException.class,
              e -> {
                assertThat(e.getSQLState()).isEqualTo("57014");
                assertThat(e.getErrorCode()).isEqualTo(1021);
              });
      statement.setQueryTimeout(0);
      try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM shop.stock")) {
        rows.next();
        assertThat(rows.getLong(1)).isEqualTo(1);
      }

      ExecutorService canceller = Executors.newSingleThreadExecutor();
      try {
        Future<?> cancelling =
            canceller.submit(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    try {
                      statement.cancel();
                    } catch (SQLException e) {
                      return;
                    }
                    LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
                  }
                });
        try {
          assertThatThrownBy(() -> statement.executeQuery(endless))
              .isInstanceOfSatisfying(
                  SQLException.class,
                  e -> {
                    assertThat(e.getSQLState()).isEqualTo("57014");
                    assertThat(e.getErrorCode()).isEqualTo(1020);
                  });
        } finally {
          cancelling.cancel(true);
        }
      } finally {
        canceller.shutdownNow();
      }
      try (ResultSet rows = statement.executeQuery("SELECT sum(qty) FROM shop.stock")) {
        rows.next();
        assertThat(rows.getLong(1)).isEqualTo(5);
      }
      assertThatThrownBy(() -> statement.setQueryTimeout(-1)).isInstanceOf(SQLDataException.class);
    }
  }

  @Test
  void theSchemaNamesUnqualifiedTables() throws SQLException {
    assertThat(connection.getSchema()).isNull();
    assertThatThrownBy(() -> connection.setSchema("nowhere"))
        .isInstanceOfSatisfying(
            SQLSyntaxErrorException.class,
            e -> assertThat(e.getMessage()).contains("CREATE SCHEMA nowhere"));
    connection.setSchema("shop");
    assertThat(connection.getSchema()).isEqualTo("shop");
    try (Statement statement = connection.createStatement()) {
      assertThat(statement.executeUpdate("INSERT INTO stock VALUES (9, 9, 9)")).isEqualTo(1);
      try (ResultSet rows = statement.executeQuery("SELECT sku FROM stock")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getLong(1)).isEqualTo(9);
      }
    }
  }

  @Test
  void aReadOnlyConnectionRefusesWrites() throws SQLException {
    connection.setReadOnly(true);
    assertThat(connection.getMetaData().isReadOnly()).isTrue();
    try (Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.executeUpdate("INSERT INTO shop.stock VALUES (1, 1, 1)"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("read-only");
      assertThat(count()).isZero();
    }
  }

  @Test
  void anUnreachableRedisIsAConnectionError() {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    String url =
        "jdbc:icecap:redis://127.0.0.1:"
            + closedPort
            + "/?warehouse="
            + warehouse
            + "&home="
            + home.resolve("other")
            + "&redis.connect-timeout-ms=500";
    assertThatThrownBy(() -> DriverManager.getConnection(url))
        .isInstanceOfSatisfying(
            SQLTransientConnectionException.class,
            e -> {
              assertThat(e.getSQLState()).isEqualTo("08001");
              assertThat(e.getErrorCode()).isEqualTo(1011);
              assertThat(e.getMessage()).contains("127.0.0.1:" + closedPort);
            });
  }

  @Test
  void aRedisRestartFailsTheStatementsInBetweenOnly() throws Exception {
    try (Statement statement = connection.createStatement()) {
      statement.executeUpdate("INSERT INTO shop.stock VALUES (1, 1, 1)");
      REDIS.server().stop();
      try {
        assertThatThrownBy(() -> statement.executeUpdate("INSERT INTO shop.stock VALUES (2, 2, 2)"))
            .isInstanceOfSatisfying(
                SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1011));
      } finally {
        REDIS.server().start();
      }
      assertThat(statement.executeUpdate("INSERT INTO shop.stock VALUES (3, 3, 3)")).isEqualTo(1);
      assertThat(skus()).containsExactly(1L, 3L);
    }
  }

  @Test
  void aLocalUrlEmbedsRedisAndOneDirectoryBelongsToOneConfiguration(@TempDir Path dir)
      throws SQLException {
    String url = "jdbc:icecap:local:" + dir;
    try (Connection first = DriverManager.getConnection(url);
        Connection second = DriverManager.getConnection(url + "?consistency=latest")) {
      try (Statement statement = first.createStatement()) {
        statement.execute("CREATE SCHEMA s");
        statement.execute("CREATE TABLE s.t (x INTEGER)");
        assertThat(statement.executeUpdate("INSERT INTO s.t VALUES (1), (2)")).isEqualTo(2);
      }
      try (Statement statement = second.createStatement();
          ResultSet rows = statement.executeQuery("SELECT sum(x) FROM s.t")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getLong(1)).as("the same embedded Redis").isEqualTo(3);
      }
      assertThatThrownBy(() -> DriverManager.getConnection(url + "?workers=3"))
          .isInstanceOfSatisfying(
              SQLTransientConnectionException.class,
              e -> assertThat(e.getMessage()).contains("is open in another process"));
    }
    try (Connection again = DriverManager.getConnection(url + "?workers=3");
        Statement statement = again.createStatement();
        ResultSet rows = statement.executeQuery("SELECT count(*) FROM s.t")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getLong(1)).as("kept in the directory").isEqualTo(2);
    }
  }

  private long count() throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT count(*) FROM shop.stock")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private List<Long> skus() throws SQLException {
    List<Long> skus = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT sku FROM shop.stock ORDER BY sku")) {
      while (rows.next()) {
        skus.add(rows.getLong(1));
      }
    }
    return skus;
  }
}
