package io.icecap.catalog;

import io.icecap.catalog.io.LocalFileIO;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.BaseMetastoreCatalog;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.CloseableGroup;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.util.LocationUtil;
import org.apache.iceberg.util.PropertyUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Apache Iceberg catalog whose state lives in Redis: namespaces with their properties, and each
 * table's metadata pointer, swapped by one compare-and-swap Lua script per commit.
 *
 * <p>Load it by name with {@code catalog-impl=io.icecap.catalog.RedisCatalog}; it reads {@code uri}
 * (the Redis server, see {@link RedisCatalogProperties}), {@code warehouse} and {@code io-impl}
 * (default: S3FileIO for {@code s3://} warehouses, {@link LocalFileIO} otherwise). Its Redis keys
 * carry the Icecap catalog name, {@link RedisCatalogProperties#CATALOG_NAME} when set, else the
 * name it is initialized with: an engine that names the catalog otherwise still finds Icecap's
 * tables.
 */
public class RedisCatalog extends BaseMetastoreCatalog implements SupportsNamespaces {
  private static final Logger LOG = LoggerFactory.getLogger(RedisCatalog.class);
  private static final String S3_FILE_IO = "org.apache.iceberg.aws.s3.S3FileIO";

  private String name = "redis";
  private Map<String, String> properties = Map.of();
  private String warehouse;
  private boolean uniqueTableLocation;
  private FileIO io;
  private RedisSession redis;
  private CatalogState state;
  private CloseableGroup closeables;

  /** Creates an uninitialized catalog; call {@link #initialize} before use. */
  public RedisCatalog() {}

  /**
   * Connects to Redis and sets up the catalog's FileIO.
   *
   * @param name the catalog's name; unless {@link RedisCatalogProperties#CATALOG_NAME} is set, it
   *     is also the Icecap catalog name, part of every Redis key of the catalog
   * @param properties {@code uri}, {@code warehouse}, {@code io-impl} and the properties of {@link
   *     RedisCatalogProperties} and Iceberg's {@link CatalogProperties}
   * @throws IllegalArgumentException when a property is missing or malformed
   * @throws RedisCatalogException when Redis cannot be reached or refuses the credentials
   */
  @Override
  public void initialize(String name, Map<String, String> properties) {
    Checks.checkArgument(
        name != null && !name.isEmpty(), "Invalid catalog name: must not be null or empty");
    Checks.checkArgument(properties != null, "Invalid catalog properties: null");
    String location = properties.get(CatalogProperties.WAREHOUSE_LOCATION);
    Checks.checkArgument(
        location != null && !location.isBlank(),
        "Missing catalog property %s: set it to the root location of the catalog's tables, for"
            + " example s3://bucket/warehouse or /var/lib/icecap/warehouse",
        CatalogProperties.WAREHOUSE_LOCATION);
    this.name = name;
    this.properties = Collections.unmodifiableMap(new HashMap<>(properties));
    this.warehouse = LocationUtil.stripTrailingSlash(location.trim());
    this.uniqueTableLocation =
        PropertyUtil.propertyAsBoolean(
            properties,
            CatalogProperties.UNIQUE_TABLE_LOCATION,
            CatalogProperties.UNIQUE_TABLE_LOCATION_DEFAULT);
    String icecapName = RedisCatalogProperties.catalogName(name, properties);
    this.redis = RedisSession.open(icecapName, properties);
    this.state = new CatalogState(icecapName, redis);
    this.io = CatalogUtil.loadFileIO(fileIoImpl(properties, warehouse), properties, null);
    this.closeables = new CloseableGroup();
    closeables.addCloseable(metricsReporter());
    closeables.addCloseable(io);
    closeables.addCloseable(redis);
    closeables.setSuppressCloseFailure(true);
    LOG.info(
        "Catalog {} (Icecap catalog {}) uses Redis at {} and warehouse {}",
        name,
        icecapName,
        redis.server(),
        warehouse);
  }

  private static String fileIoImpl(Map<String, String> properties, String warehouse) {
    String impl = properties.get(CatalogProperties.FILE_IO_IMPL);
    if (impl != null) {
      return impl;
    }
    String scheme = warehouse.toLowerCase(Locale.ROOT);
    if (scheme.startsWith("s3://") || scheme.startsWith("s3a://") || scheme.startsWith("s3n://")) {
      return S3_FILE_IO;
    }
    return LocalFileIO.class.getName();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  protected Map<String, String> properties() {
    return properties;
  }

  /** The root location of the catalog's tables (its {@code warehouse}), without trailing slash. */
  public String warehouseLocation() {
    return warehouse;
  }

  @Override
  protected TableOperations newTableOps(TableIdentifier identifier) {
    return new RedisTableOperations(name, identifier, state(), io);
  }

  @Override
  protected String defaultWarehouseLocation(TableIdentifier identifier) {
    StringBuilder location = new StringBuilder(warehouse);
    for (String level : identifier.namespace().levels()) {
      location.append('/').append(pathSegment(level));
    }
    return location
        .append('/')
        .append(pathSegment(LocationUtil.tableLocation(identifier, uniqueTableLocation)))
        .toString();
  }

  /**
   * A name as one segment of a path: a slash or backslash inside it, and the names {@code .} and
   * {@code ..}, would otherwise make two tables share a directory ({@code s."x/y"} and {@code
   * s.x.y}) or put one outside its namespace's.
   */
  static String pathSegment(String name) {
    if (name.equals(".") || name.equals("..")) {
      return name.replace(".", "%2E");
    }
    return name.replace("%", "%25").replace("/", "%2F").replace("\\", "%5C");
  }

  @Override
  protected boolean isValidIdentifier(TableIdentifier identifier) {
    return !identifier.namespace().isEmpty();
  }

  @Override
  public boolean tableExists(TableIdentifier identifier) {
    if (isValidIdentifier(identifier) && state().metadataLocation(identifier) != null) {
      return true;
    }
    return isValidMetadataIdentifier(identifier)
        && state().metadataLocation(TableIdentifier.of(identifier.namespace().levels())) != null;
  }

  @Override
  public List<TableIdentifier> listTables(Namespace namespace) {
    return state().listTables(namespace);
  }

  @Override
  public boolean dropTable(TableIdentifier identifier, boolean purge) {
    if (!isValidIdentifier(identifier)) {
      return false;
    }
    // the script answers with the pointer it removed, so a purge reads exactly the last version
    String location = state().dropTable(identifier);
    if (location == null) {
      return false;
    }
    if (purge) {
      try {
        CatalogUtil.dropTableData(io, TableMetadataParser.read(io, location));
      } catch (NotFoundException e) {
        LOG.warn(
            "Dropped table {} but cannot purge its files: its metadata file {} is missing",
            identifier,
            location,
            e);
      }
    }
    LOG.info("Dropped table {}{}", identifier, purge ? " and purged its files" : "");
    return true;
  }

  @Override
  public void renameTable(TableIdentifier from, TableIdentifier to) {
    Checks.checkArgument(isValidIdentifier(from), "Cannot rename %s: it has no namespace", from);
    Checks.checkArgument(
        isValidIdentifier(to), "Cannot rename %s to %s: the new name has no namespace", from, to);
    if (from.equals(to)) {
      if (!tableExists(from)) {
        throw new NoSuchTableException("Cannot rename %s: Table does not exist", from);
      }
      return;
    }
    state().renameTable(from, to);
    LOG.info("Renamed table {} to {}", from, to);
  }

  @Override
  public void createNamespace(Namespace namespace, Map<String, String> metadata) {
    checkNamespace(namespace);
    Checks.checkArgument(metadata != null, "Invalid namespace properties: null");
    state().createNamespace(namespace, metadata);
  }

  @Override
  public List<Namespace> listNamespaces(Namespace namespace) throws NoSuchNamespaceException {
    return state().listNamespaces(namespace);
  }

  @Override
  public Map<String, String> loadNamespaceMetadata(Namespace namespace)
      throws NoSuchNamespaceException {
    if (namespace.isEmpty()) {
      throw new NoSuchNamespaceException("Namespace does not exist: %s", namespace);
    }
    return state().loadNamespaceProperties(namespace);
  }

  @Override
  public boolean dropNamespace(Namespace namespace) {
    return !namespace.isEmpty() && state().dropNamespace(namespace);
  }

  @Override
  public boolean namespaceExists(Namespace namespace) {
    return !namespace.isEmpty() && state().namespaceExists(namespace);
  }

  @Override
  public boolean setProperties(Namespace namespace, Map<String, String> properties) {
    Checks.checkArgument(properties != null, "Invalid namespace properties: null");
    List<String> arguments = new ArrayList<>();
    properties.forEach(
        (key, value) -> {
          Checks.checkArgument(
              key != null && value != null,
              "Cannot set properties of namespace %s: null name or value in %s",
              namespace,
              properties);
          arguments.add(key);
          arguments.add(value);
        });
    return state().updateNamespaceProperties(namespace, true, arguments);
  }

  @Override
  public boolean removeProperties(Namespace namespace, Set<String> properties) {
    Checks.checkArgument(properties != null, "Invalid namespace properties: null");
    return state().updateNamespaceProperties(namespace, false, new ArrayList<>(properties));
  }

  /** The Redis key layout of this catalog, for the components that keep table state beside it. */
  public RedisKeys keys() {
    return state().keys();
  }

  @Override
  public void close() {
    if (closeables != null) {
      try {
        closeables.close();
      } catch (IOException e) {
        LOG.warn("Cannot close catalog {} cleanly", name, e);
      }
      closeables = null;
    }
  }

  private CatalogState state() {
    Checks.checkState(state != null, "Catalog %s is not initialized", name);
    return state;
  }

  private static void checkNamespace(Namespace namespace) {
    Checks.checkArgument(
        !namespace.isEmpty(), "Cannot create the empty namespace: give at least one level");
    for (String level : namespace.levels()) {
      Checks.checkArgument(
          level != null && !level.isEmpty(), "Invalid namespace %s: a level is empty", namespace);
    }
  }

  @Override
  public String toString() {
    return "RedisCatalog{name=" + name + ", redis=" + (redis == null ? "-" : redis.server()) + "}";
  }
}
