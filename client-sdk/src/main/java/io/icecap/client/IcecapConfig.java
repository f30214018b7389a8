package io.icecap.client;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How a session reaches its catalog, log and warehouse.
 *
 * @param redisUri the Redis of the catalog and logs ({@code redis://} or {@code rediss://}), or
 *     null to run an embedded Redis whose data lives under {@code home}
 * @param warehouse where tables live: a local directory or an {@code s3://} location
 * @param home a local directory for the session's cache, working files and, when embedded, Redis
 * @param catalogName the catalog's name (its Redis keys start with it)
 * @param defaultNamespace the namespace of table names written without one (a nested one with its
 *     levels joined by dots, {@code a.b}), or null
 * @param consistency what queries see by default
 * @param workers threads applying the logs in this process; 0 leaves the jobs to {@code icecap
 *     worker} processes, which take them from Redis
 * @param cacheBytes the most bytes of table files the read cache keeps
 * @param writeTimeout how long a synchronous write, or a LATEST query, waits for the apply
 * @param catalogProperties further catalog properties (Redis credentials, TLS, S3 settings)
 * @param localFileAccess whether queries may read local files and directories beyond the tables
 *     they name, as DuckDB's own {@code read_csv}, {@code read_parquet}, {@code glob} and the like
 *     do: off by default, so that SQL from an application's users cannot read the client's files or
 *     environment; on, a query can read every file the client process can read
 */
public record IcecapConfig(
    String redisUri,
    String warehouse,
    Path home,
    String catalogName,
    String defaultNamespace,
    Consistency consistency,
    int workers,
    long cacheBytes,
    Duration writeTimeout,
    Map<String, String> catalogProperties,
    boolean localFileAccess) {
  /** The default catalog name. */
  public static final String DEFAULT_CATALOG = "icecap";

  /** Checks and copies the values. */
  public IcecapConfig {
    requireNonNull(warehouse, "warehouse is null");
    requireNonNull(home, "home is null");
    requireNonNull(catalogName, "catalogName is null");
    requireNonNull(consistency, "consistency is null");
    requireNonNull(writeTimeout, "writeTimeout is null");
    catalogProperties = Map.copyOf(requireNonNull(catalogProperties, "catalogProperties is null"));
    if (warehouse.isBlank()) {
      throw new IcecapException(
          ErrorCode.INVALID_CONFIGURATION,
          "The warehouse is empty: give a directory or s3:// path");
    }
    if (catalogName.isBlank()) {
      throw new IcecapException(ErrorCode.INVALID_CONFIGURATION, "The catalog name is empty");
    }
    if (workers < 0) {
      throw new IcecapException(
          ErrorCode.INVALID_CONFIGURATION, "workers cannot be negative: %d", workers);
    }
    if (cacheBytes < 0) {
      throw new IcecapException(
          ErrorCode.INVALID_CONFIGURATION, "cacheBytes cannot be negative: %d", cacheBytes);
    }
    if (writeTimeout.isNegative() || writeTimeout.isZero()) {
      throw new IcecapException(
          ErrorCode.INVALID_CONFIGURATION, "writeTimeout must be positive: %s", writeTimeout);
    }
  }

  /**
   * Everything in one local directory: an embedded Redis (append-only file, fsync always) in {@code
   * home/redis}, tables in {@code home/warehouse}, apply workers in this process.
   */
  public static IcecapConfig local(Path home) {
    Path root = home.toAbsolutePath();
    return new IcecapConfig(
        null,
        root.resolve("warehouse").toString(),
        root,
        DEFAULT_CATALOG,
        null,
        Consistency.SNAPSHOT,
        2,
        4L * 1024 * 1024 * 1024,
        Duration.ofSeconds(60),
        Map.of(),
        false);
  }

  /** A Redis and a warehouse that exist; local files go under {@code home}. */
  public static IcecapConfig redis(String redisUri, String warehouse, Path home) {
    return new IcecapConfig(
        requireNonNull(redisUri, "redisUri is null"),
        warehouse,
        home.toAbsolutePath(),
        DEFAULT_CATALOG,
        null,
        Consistency.SNAPSHOT,
        2,
        4L * 1024 * 1024 * 1024,
        Duration.ofSeconds(60),
        Map.of(),
        false);
  }

  /** Whether Redis is started by the session (no URI given). */
  public boolean embedded() {
    return redisUri == null;
  }

  public IcecapConfig withCatalogName(String name) {
    return new IcecapConfig(
        redisUri,
        warehouse,
        home,
        name,
        defaultNamespace,
        consistency,
        workers,
        cacheBytes,
        writeTimeout,
        catalogProperties,
        localFileAccess);
  }

  public IcecapConfig withDefaultNamespace(String namespace) {
    return new IcecapConfig(
        redisUri,
        warehouse,
        home,
        catalogName,
        namespace,
        consistency,
        workers,
        cacheBytes,
        writeTimeout,
        catalogProperties,
        localFileAccess);
  }

  public IcecapConfig withConsistency(Consistency level) {
    return new IcecapConfig(
        redisUri,
        warehouse,
        home,
        catalogName,
        defaultNamespace,
        level,
        workers,
        cacheBytes,
        writeTimeout,
        catalogProperties,
        localFileAccess);
  }

  public IcecapConfig withWorkers(int threads) {
    return new IcecapConfig(
        redisUri,
        warehouse,
        home,
        catalogName,
        defaultNamespace,
        consistency,
        threads,
        cacheBytes,
        writeTimeout,
        catalogProperties,
        localFileAccess);
  }

  public IcecapConfig withCacheBytes(long bytes) {
    return new IcecapConfig(
        redisUri,
        warehouse,
        home,
        catalogName,
        defaultNamespace,
        consistency,
        workers,
        bytes,
        writeTimeout,
        catalogProperties,
        localFileAccess);
  }

  public IcecapConfig withWriteTimeout(Duration timeout) {
    return new IcecapConfig(
        redisUri,
        warehouse,
        home,
        catalogName,
        defaultNamespace,
        consistency,
        workers,
        cacheBytes,
        timeout,
        catalogProperties,
        localFileAccess);
  }

  /**
   * With local file access for queries on or off (off by default): on, a query may read any local
   * file the client process can read, as DuckDB's own file functions do.
   */
  public IcecapConfig withLocalFileAccess(boolean access) {
    return new IcecapConfig(
        redisUri,
        warehouse,
        home,
        catalogName,
        defaultNamespace,
        consistency,
        workers,
        cacheBytes,
        writeTimeout,
        catalogProperties,
        access);
  }

  public IcecapConfig withCatalogProperties(Map<String, String> properties) {
    return new IcecapConfig(
        redisUri,
        warehouse,
        home,
        catalogName,
        defaultNamespace,
        consistency,
        workers,
        cacheBytes,
        writeTimeout,
        properties,
        localFileAccess);
  }
}
