package io.icecap.catalog;

import io.icecap.testing.RedisServerExtension;
import java.nio.file.Path;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Iceberg's catalog suite on a real Redis, with tables on the local file system. */
class RedisCatalogIT extends RedisCatalogSuite {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  @TempDir Path warehouse;

  @Override
  protected String redisUri() {
    return REDIS.server().uri();
  }

  @Override
  protected void flushRedis() {
    REDIS.flushAll();
  }

  @Override
  protected String baseTableLocation(TableIdentifier identifier) {
    return warehouse.resolve("explicit").toUri().toString()
        + identifier.namespace()
        + "/"
        + identifier.name();
  }

  @Override
  protected Map<String, String> storageProperties() {
    return Map.of(CatalogProperties.WAREHOUSE_LOCATION, warehouse.toString());
  }
}
