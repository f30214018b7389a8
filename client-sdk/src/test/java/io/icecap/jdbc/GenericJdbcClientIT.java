package io.icecap.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.testing.RedisServerExtension;
import io.icecap.testing.S3ServerExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a generic SQL tool does, through {@code java.sql} and {@link DriverManager} only: connect,
 * create, insert with a prepared batch, read metadata, query and close. Real Redis, a warehouse on
 * the S3 API, DuckDB.
 */
class GenericJdbcClientIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  @RegisterExtension static final S3ServerExtension S3 = new S3ServerExtension();

  @TempDir Path home;

  @Test
  void connectCreateInsertInspectQueryAndClose() throws Exception {
    String bucket = "jdbc-" + UUID.randomUUID();
    S3.server().createBucket(bucket);
    String url =
        "jdbc:icecap:" + REDIS.server().uri() + "/?warehouse=s3://" + bucket + "/lake&workers=1";
    Properties properties = new Properties();
    properties.putAll(S3.server().fileIoProperties());
    properties.setProperty("home", home.toString());

    Connection connection = DriverManager.getConnection(url, properties);
    assertThat(DriverManager.getDriver(url).acceptsURL(url)).isTrue();
    try (Statement statement = connection.createStatement()) {
      assertThat(statement.executeUpdate("CREATE SCHEMA sales")).isZero();
      assertThat(
              statement.execute(
                  "CREATE TABLE sales.items (id BIGINT NOT NULL, name VARCHAR, price DECIMAL(9, 2),"
                      + " region INTEGER NOT NULL) PARTITIONED BY (region)"))
          .isFalse();
      assertThat(statement.getUpdateCount()).isZero();
    }

    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO sales.items VALUES (?, ?, ?, ?)")) {
      assertThat(insert.getParameterMetaData().getParameterCount()).isEqualTo(4);
      for (int i = 1; i <= 50; i++) {
        insert.setLong(1, i);
        insert.setString(2, "item " + i);
        insert.setBigDecimal(3, new java.math.BigDecimal(i + ".25"));
        insert.setInt(4, i % 4);
        insert.addBatch();
      }
      int[] counts = insert.executeBatch();
      assertThat(counts).hasSize(50).containsOnly(1);
    }

    DatabaseMetaData metadata = connection.getMetaData();
    assertThat(metadata.getDatabaseProductName()).isEqualTo("Icecap");
    assertThat(metadata.getURL()).isEqualTo(url);
    assertThat(metadata.getConnection()).isSameAs(connection);
    assertThat(column(metadata.getCatalogs(), "TABLE_CAT")).containsExactly("icecap");
    assertThat(column(metadata.getSchemas(), "TABLE_SCHEM")).containsExactly("sales");
    assertThat(column(metadata.getTableTypes(), "TABLE_TYPE")).containsExactly("TABLE");
    try (ResultSet tables = metadata.getTables(null, "sal%", "%", new String[] {"TABLE"})) {
      assertThat(tables.next()).isTrue();
      assertThat(tables.getString("TABLE_CAT")).isEqualTo("icecap");
      assertThat(tables.getString("TABLE_SCHEM")).isEqualTo("sales");
      assertThat(tables.getString("TABLE_NAME")).isEqualTo("items");
      assertThat(tables.getString("TABLE_TYPE")).isEqualTo("TABLE");
      assertThat(tables.next()).isFalse();
    }
    assertThat(column(metadata.getTables(null, null, "nothing%", null), "TABLE_NAME")).isEmpty();
    assertThat(column(metadata.getTables(null, null, null, new String[] {"VIEW"}), "TABLE_NAME"))
        .isEmpty();
    List<String> columns = new ArrayList<>();
    try (ResultSet rows = metadata.getColumns(null, "sales", "items", null)) {
      while (rows.next()) {
        columns.add(
            rows.getInt("ORDINAL_POSITION")
                + " "
                + rows.getString("COLUMN_NAME")
                + " "
                + rows.getInt("DATA_TYPE")
                + " "
                + rows.getString("TYPE_NAME")
                + " "
                + rows.getString("IS_NULLABLE"));
      }
    }
    assertThat(columns)
        .containsExactly(
            "1 id " + Types.BIGINT + " BIGINT NO",
            "2 name " + Types.VARCHAR + " VARCHAR YES",
            "3 price " + Types.DECIMAL + " DECIMAL(9, 2) YES",
            "4 region " + Types.INTEGER + " INTEGER NO");
    try (ResultSet price = metadata.getColumns(null, "sales", "items", "pri_e")) {
      assertThat(price.next()).isTrue();
      assertThat(price.getInt("COLUMN_SIZE")).isEqualTo(9);
      assertThat(price.getInt("DECIMAL_DIGITS")).isEqualTo(2);
      assertThat(price.next()).isFalse();
    }
    assertThat(column(metadata.getTypeInfo(), "TYPE_NAME")).contains("BIGINT", "VARCHAR", "DATE");
    assertThat(column(metadata.getPrimaryKeys(null, "sales", "items"), "COLUMN_NAME")).isEmpty();
    try (ResultSet indexes = metadata.getIndexInfo(null, "sales", "items", false, true)) {
      assertThat(indexes.getMetaData().getColumnName(6)).isEqualTo("INDEX_NAME");
      assertThat(indexes.next()).isFalse();
    }

    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT region, count(*) AS n, sum(price) AS total FROM sales.items WHERE region >= ?"
                + " GROUP BY region ORDER BY region")) {
      query.setInt(1, 2);
      try (ResultSet rows = query.executeQuery()) {
        ResultSetMetaData columnsOfResult = rows.getMetaData();
        assertThat(columnsOfResult.getColumnCount()).isEqualTo(3);
        assertThat(columnsOfResult.getColumnLabel(2)).isEqualTo("n");
        assertThat(rows.getStatement()).isSameAs(query);
        List<String> result = new ArrayList<>();
        while (rows.next()) {
          result.add(rows.getInt(1) + ":" + rows.getLong("n") + ":" + rows.getBigDecimal(3));
        }
        // region 2: ids 2, 6, ..., 50 (13 rows); region 3: ids 3, 7, ..., 47 (12 rows)
        assertThat(result).containsExactly("2:13:341.25", "3:12:303.00");
      }
    }

    try (Statement statement = connection.createStatement()) {
      statement.setMaxRows(2);
      try (ResultSet rows = statement.executeQuery("SELECT id FROM sales.items ORDER BY id")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.next()).isTrue();
        assertThat(rows.next()).as("maxRows").isFalse();
      }
    }

    assertThat(connection.isValid(2)).isTrue();
    connection.close();
    assertThat(connection.isClosed()).isTrue();
    assertThat(connection.isValid(2)).isFalse();
    assertThatThrownBy(connection::createStatement)
        .isInstanceOfSatisfying(
            SQLException.class,
            e -> {
              assertThat(e.getSQLState()).isEqualTo("08003");
              assertThat(e.getErrorCode()).isEqualTo(1012);
              assertThat(e.getMessage()).contains("connection is closed");
            });
  }

  private static List<String> column(ResultSet rows, String name) throws SQLException {
    List<String> values = new ArrayList<>();
    try (rows) {
      while (rows.next()) {
        values.add(rows.getString(name));
      }
    }
    return values;
  }
}
