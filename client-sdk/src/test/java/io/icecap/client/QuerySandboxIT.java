package io.icecap.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.testing.RedisServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Queries through the SDK and JDBC read the lake tables they name and no other file of the client
 * by default; a session with local file access reads files as DuckDB does.
 */
class QuerySandboxIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  private static final String MARKER = "icecap-query-secret-51c2";

  @TempDir Path warehouse;
  @TempDir Path home;
  @TempDir Path outside;
  private Path secret;
  private IcecapSession session;

  @BeforeEach
  void connect() throws Exception {
    REDIS.flushAll();
    secret = Files.writeString(outside.resolve("secret.csv"), "word\n" + MARKER + "\n");
    Files.writeString(outside.resolve("other.csv"), "word\nother\n");
    session = Icecap.connect(config());
    session.execute("CREATE SCHEMA shop");
    session.execute("CREATE TABLE shop.items (id BIGINT NOT NULL, name VARCHAR)");
    session.execute("INSERT INTO shop.items VALUES (1, 'one'), (2, 'two')");
  }

  private IcecapConfig config() {
    return IcecapConfig.redis(REDIS.server().uri(), warehouse.toString(), home).withWorkers(1);
  }

  @AfterEach
  void close() {
    session.close();
  }

  static List<String> reads() {
    return List.of(
        "SELECT content FROM read_text('%s')",
        "SELECT * FROM read_csv('%s')",
        "SELECT count(*) FROM glob('%s/../*')",
        "SELECT content FROM read_text('/proc/self/environ')",
        "SELECT * FROM read_parquet('%s')",
        "SELECT * FROM read_blob('/etc/passwd')");
  }

  private String sql(String template) {
    return template.replace("%s", secret.toString());
  }

  @ParameterizedTest
  @MethodSource("reads")
  void aQueryCannotReadTheClientsFiles(String read) {
    assertThatThrownBy(() -> session.query(sql(read)).close())
        .isInstanceOf(IcecapException.class)
        .hasMessageContaining("withLocalFileAccess")
        .hasMessageContaining("localFileAccess=true")
        .hasMessageNotContaining(MARKER)
        .satisfies(e -> assertThat(((IcecapException) e).code()).isEqualTo(ErrorCode.QUERY_FAILED));
  }

  @Test
  void lakeTablesAreStillRead() throws Exception {
    try (ResultSet rows = session.query("SELECT count(*), max(name) FROM shop.items")) {
      rows.next();
      assertThat(rows.getLong(1)).isEqualTo(2);
      assertThat(rows.getString(2)).isEqualTo("two");
    }
  }

  @Test
  void extensionsAreNotInstalled() {
    assertThatThrownBy(() -> session.query("SELECT * FROM 'https://example.com/x.parquet'").close())
        .isInstanceOf(IcecapException.class);
  }

  @Test
  void aSessionWithLocalFileAccessReadsFiles() throws Exception {
    try (IcecapSession open = Icecap.connect(config().withLocalFileAccess(true));
        ResultSet rows = open.query(sql("SELECT * FROM read_csv('%s')"))) {
      rows.next();
      assertThat(rows.getString(1)).isEqualTo(MARKER);
    }
  }

  @Test
  void jdbcIsConfinedUnlessTheUrlSaysOtherwise() throws Exception {
    String url =
        "jdbc:icecap:"
            + REDIS.server().uri()
            + "/?warehouse="
            + warehouse
            + "&home="
            + home.resolve("jdbc");
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.executeQuery(sql("SELECT * FROM read_csv('%s')")))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("localFileAccess=true");
      try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM shop.items")) {
        rows.next();
        assertThat(rows.getLong(1)).isEqualTo(2);
      }
    }
    try (Connection connection =
            DriverManager.getConnection(url.replace("/jdbc", "/jdbc2") + "&localFileAccess=true");
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql("SELECT * FROM read_csv('%s')"))) {
      rows.next();
      assertThat(rows.getString(1)).isEqualTo(MARKER);
    }
  }
}
