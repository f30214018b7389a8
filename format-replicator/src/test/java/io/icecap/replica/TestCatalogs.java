package io.icecap.replica;

import io.icecap.catalog.RedisCatalog;
import io.icecap.catalog.RedisCatalogProperties;
import io.icecap.testing.RedisServerExtension;
import java.nio.file.Path;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.Namespace;

/** The catalog the replicator's tests keep their tables in. */
final class TestCatalogs {
  private TestCatalogs() {}

  /**
   * An empty catalog named {@code test} on the given Redis, with tables under {@code warehouse} and
   * a namespace {@code db}.
   */
  static RedisCatalog fresh(RedisServerExtension redis, Path warehouse) {
    redis.flushAll();
    RedisCatalog catalog = new RedisCatalog();
    catalog.initialize(
        "test",
        Map.of(
            RedisCatalogProperties.URI,
            redis.server().uri(),
            CatalogProperties.WAREHOUSE_LOCATION,
            warehouse.toString()));
    catalog.createNamespace(Namespace.of("db"));
    return catalog;
  }
}
