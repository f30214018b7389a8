package io.icecap.catalog;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.CatalogTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Iceberg's own catalog test suite run against a {@link RedisCatalog} on a real Redis server; the
 * subclasses say where the tables' files live.
 */
abstract class RedisCatalogSuite extends CatalogTests<RedisCatalog> {
  private RedisCatalog catalog;

  /** The Redis server's uri, after the subclass's fixture has started it. */
  protected abstract String redisUri();

  /** Removes every key, so each test starts from an empty catalog. */
  protected abstract void flushRedis();

  /** The warehouse and FileIO properties. */
  protected abstract Map<String, String> storageProperties();

  @BeforeEach
  void createCatalog() {
    flushRedis();
    Map<String, String> defaults = new HashMap<>();
    defaults.put(CatalogProperties.TABLE_DEFAULT_PREFIX + "default-key1", "catalog-default-key1");
    defaults.put(CatalogProperties.TABLE_DEFAULT_PREFIX + "default-key2", "catalog-default-key2");
    defaults.put(CatalogProperties.TABLE_DEFAULT_PREFIX + "override-key3", "catalog-default-key3");
    defaults.put(
        CatalogProperties.TABLE_OVERRIDE_PREFIX + "override-key3", "catalog-override-key3");
    defaults.put(
        CatalogProperties.TABLE_OVERRIDE_PREFIX + "override-key4", "catalog-override-key4");
    this.catalog = initCatalog("icecap_test", defaults);
  }

  @AfterEach
  void closeCatalog() throws IOException {
    if (catalog != null) {
      catalog.close();
    }
  }

  @Override
  protected RedisCatalog catalog() {
    return catalog;
  }

  @Override
  protected RedisCatalog initCatalog(String catalogName, Map<String, String> additionalProperties) {
    Map<String, String> properties = new HashMap<>(storageProperties());
    properties.put(RedisCatalogProperties.URI, redisUri());
    properties.putAll(additionalProperties);
    RedisCatalog created = new RedisCatalog();
    created.initialize(catalogName, properties);
    return created;
  }

  /** Namespace properties are a Redis hash per namespace. */
  @Override
  protected boolean supportsNamespaceProperties() {
    return true;
  }

  /** Namespaces nest; a child needs its parent to exist. */
  @Override
  protected boolean supportsNestedNamespaces() {
    return true;
  }

  /** A table can only be created in a namespace that exists. */
  @Override
  protected boolean requiresNamespaceCreate() {
    return true;
  }

  /**
   * Conflicts are detected by the compare-and-swap of the metadata pointer; the catalog does not
   * re-apply a client's changes on top of a newer table version (there is no server to do it).
   */
  @Override
  protected boolean supportsServerSideRetry() {
    return false;
  }

  /** A requested table location is kept as given. */
  @Override
  protected boolean overridesRequestedLocation() {
    return false;
  }

  /** Names are escaped in Redis keys, so slashes are allowed. */
  @Override
  protected boolean supportsNamesWithSlashes() {
    return true;
  }

  /** Names are escaped in Redis keys, so a dot in a name never splits it. */
  @Override
  protected boolean supportsNamesWithDot() {
    return true;
  }

  /** A table always belongs to a named namespace; the empty namespace holds nothing. */
  @Override
  protected boolean supportsEmptyNamespace() {
    return false;
  }
}
