package io.icecap.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.testing.RedisServerExtension;
import java.nio.file.Path;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Icecap catalog name in Redis keys: the name the catalog is initialized with, unless {@code
 * icecap.catalog-name} names it, so that an engine which names its catalogs itself (Spark's {@code
 * spark.sql.catalog.lake}) still opens Icecap's catalog.
 */
class RedisCatalogNameIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  private static final TableIdentifier TABLE = TableIdentifier.of("db", "t");

  @TempDir Path warehouse;

  @BeforeEach
  void flush() {
    REDIS.flushAll();
  }

  private RedisCatalog open(String engineName, Map<String, String> extra) {
    Map<String, String> properties = CatalogFixtures.properties(REDIS.server().uri(), warehouse);
    properties.putAll(extra);
    RedisCatalog catalog = new RedisCatalog();
    catalog.initialize(engineName, properties);
    return catalog;
  }

  private void createTableInIcecapCatalog() {
    try (RedisCatalog icecap = open("icecap", Map.of())) {
      icecap.createNamespace(Namespace.of("db"));
      icecap.createTable(TABLE, CatalogFixtures.SCHEMA);
    }
  }

  @Test
  void anEngineNameOtherThanIcecapsSeesAnotherCatalogByDefault() {
    createTableInIcecapCatalog();
    try (RedisCatalog lake = open("lake", Map.of());
        RawRedis raw = new RawRedis(REDIS.server().uri())) {
      // the default keeps every existing catalog where it is: the name is the engine's
      assertThat(lake.keys().tableMeta(TABLE)).isEqualTo("icecap:{lake.db.t}:meta");
      assertThat(lake.listNamespaces()).isEmpty();
      assertThat(lake.tableExists(TABLE)).isFalse();
      assertThat(raw.sync().exists("icecap:{icecap.db.t}:meta")).isEqualTo(1L);
    }
  }

  @Test
  void catalogNamePropertyOpensIcecapsCatalogUnderTheEnginesName() {
    createTableInIcecapCatalog();
    try (RedisCatalog lake = open("lake", Map.of(RedisCatalogProperties.CATALOG_NAME, "icecap"));
        RedisCatalog icecap = open("icecap", Map.of());
        RawRedis raw = new RawRedis(REDIS.server().uri())) {
      assertThat(lake.name()).isEqualTo("lake");
      assertThat(lake.keys().tableMeta(TABLE)).isEqualTo("icecap:{icecap.db.t}:meta");
      assertThat(lake.listNamespaces()).containsExactly(Namespace.of("db"));
      assertThat(lake.listTables(Namespace.of("db"))).containsExactly(TABLE);

      Table table = lake.loadTable(TABLE);
      assertThat(table.name()).isEqualTo("lake.db.t");
      table.newAppend().appendFile(CatalogFixtures.dataFile("a")).commit();

      // one catalog under two names: Icecap's own name sees the engine's commit
      Table seen = icecap.loadTable(TABLE);
      assertThat(seen.currentSnapshot().snapshotId())
          .isEqualTo(table.currentSnapshot().snapshotId());
      assertThat(raw.sync().keys("icecap:{lake*")).isEmpty();

      lake.createTable(TableIdentifier.of("db", "u"), CatalogFixtures.SCHEMA);
      assertThat(icecap.listTables(Namespace.of("db")))
          .containsExactlyInAnyOrder(TABLE, TableIdentifier.of("db", "u"));
    }
  }
}
