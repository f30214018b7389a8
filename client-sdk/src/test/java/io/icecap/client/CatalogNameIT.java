package io.icecap.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.testing.RedisServerExtension;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog property {@code icecap.catalog-name} names the catalog in Redis for the whole SDK
 * (catalog and transaction logs alike): a session whose own catalog name differs writes and reads
 * the tables of the catalog the property names.
 */
class CatalogNameIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  @TempDir Path warehouse;
  @TempDir Path homeA;
  @TempDir Path homeB;

  @Test
  void aSessionUnderAnotherNameWritesThroughTheNamedCatalogsLog() throws Exception {
    IcecapConfig icecap =
        IcecapConfig.redis(REDIS.server().uri(), warehouse.toString(), homeA).withWorkers(1);
    IcecapConfig renamed =
        IcecapConfig.redis(REDIS.server().uri(), warehouse.toString(), homeB)
            .withWorkers(1)
            .withCatalogName("analytics")
            .withCatalogProperties(Map.of("icecap.catalog-name", "icecap"));
    try (IcecapSession a = Icecap.connect(icecap);
        IcecapSession b = Icecap.connect(renamed)) {
      a.execute("CREATE SCHEMA shop");
      a.execute("CREATE TABLE shop.items (id BIGINT NOT NULL, name VARCHAR)");
      assertThat(a.execute("INSERT INTO shop.items VALUES (1, 'a')")).isEqualTo(1);

      assertThat(ids(b)).containsExactly(1L);
      assertThat(b.execute("INSERT INTO shop.items VALUES (2, 'b')")).isEqualTo(1);
      assertThat(b.execute("UPDATE shop.items SET name = 'aa' WHERE id = 1")).isEqualTo(1);

      assertThat(ids(a)).containsExactly(1L, 2L);
      try (ResultSet rows = a.query("SELECT name FROM shop.items WHERE id = 1")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString(1)).isEqualTo("aa");
      }
      // one log: the three writes of both sessions are in the log of the catalog icecap
      long head = a.logStatus("shop.items", 10).head();
      assertThat(head).isGreaterThanOrEqualTo(3);
      assertThat(b.logStatus("shop.items", 10).head()).isEqualTo(head);
    }
  }

  private static List<Long> ids(IcecapSession session) throws Exception {
    List<Long> ids = new ArrayList<>();
    try (ResultSet rows = session.query("SELECT id FROM shop.items ORDER BY id")) {
      while (rows.next()) {
        ids.add(rows.getLong(1));
      }
    }
    return ids;
  }
}
