package io.icecap.bench;

import io.icecap.catalog.RedisCatalog;
import io.icecap.catalog.RedisCatalogProperties;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.spark.SparkCatalog;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Spark SQL in local mode, reaching Icecap's tables through Iceberg's {@link SparkCatalog} with
 * {@link RedisCatalog} as its catalog implementation: the catalog an Icecap session uses, on the
 * same Redis and warehouse, under the same name (the name is the prefix of the catalog's Redis
 * keys).
 */
final class SparkSide implements Closeable {
  /** Spark's threads: {@code local[2]}, the machine's two cores. */
  static final String MASTER = "local[2]";

  /** Shuffle partitions of a join or aggregate; Spark's default of 200 is for clusters. */
  static final int SHUFFLE_PARTITIONS = 4;

  private final SparkSession spark;
  private final String catalogName;
  private final Map<String, String> settings;

  private SparkSide(SparkSession spark, String catalogName, Map<String, String> settings) {
    this.spark = spark;
    this.catalogName = catalogName;
    this.settings = settings;
  }

  /**
   * Starts a local Spark whose default catalog is Icecap's catalog {@code catalogName}.
   *
   * @param redisUri the catalog's Redis
   * @param warehouse the catalog's warehouse
   * @param catalogProperties further catalog properties (the object store's FileIO settings)
   * @param dir Spark's scratch directory
   */
  static SparkSide start(
      String catalogName,
      String redisUri,
      String warehouse,
      Map<String, String> catalogProperties,
      Path dir) {
    String prefix = "spark.sql.catalog." + catalogName;
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("spark.ui.enabled", "false");
    settings.put("spark.ui.showConsoleProgress", "false");
    // loopback only: the driver and its block manager listen on no other address
    settings.put("spark.driver.host", "127.0.0.1");
    settings.put("spark.driver.bindAddress", "127.0.0.1");
    settings.put("spark.sql.shuffle.partitions", String.valueOf(SHUFFLE_PARTITIONS));
    settings.put("spark.local.dir", dir.resolve("local").toString());
    settings.put("spark.sql.warehouse.dir", dir.resolve("spark-warehouse").toString());
    settings.put("spark.sql.session.timeZone", "UTC");
    // dates and timestamps as java.time values, compared with Icecap's without a time zone
    settings.put("spark.sql.datetime.java8API.enabled", "true");
    settings.put(
        "spark.sql.extensions",
        "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions");
    settings.put(prefix, SparkCatalog.class.getName());
    settings.put(prefix + "." + CatalogProperties.CATALOG_IMPL, RedisCatalog.class.getName());
    settings.put(prefix + "." + RedisCatalogProperties.URI, redisUri);
    settings.put(prefix + "." + CatalogProperties.WAREHOUSE_LOCATION, warehouse);
    // Icecap commits to these tables too: every query must load the current snapshot, not a
    // table Spark's catalog cached up to 30 s ago.
    settings.put(prefix + "." + CatalogProperties.CACHE_ENABLED, "false");
    catalogProperties.forEach((key, value) -> settings.put(prefix + "." + key, value));
    settings.put("spark.sql.defaultCatalog", catalogName);
    SparkSession.Builder builder = SparkSession.builder().master(MASTER).appName("icecap-bench");
    settings.forEach(builder::config);
    SparkSession spark = builder.getOrCreate();
    return new SparkSide(spark, catalogName, settings);
  }

  /** Runs a statement and returns its rows, each value as Spark's Java value. */
  List<List<Object>> sql(String sql) {
    List<List<Object>> rows = new ArrayList<>();
    for (Row row : spark.sql(sql).collectAsList()) {
      List<Object> values = new ArrayList<>(row.size());
      for (int i = 0; i < row.size(); i++) {
        values.add(row.get(i));
      }
      rows.add(values);
    }
    return rows;
  }

  /** Spark's version. */
  String version() {
    return spark.version();
  }

  /** The settings the session was started with, catalog properties included. */
  Map<String, String> settings() {
    return settings;
  }

  /** The Iceberg catalog behind Spark's catalog: a {@link RedisCatalog}. */
  Catalog icebergCatalog() {
    return ((SparkCatalog) spark.sessionState().catalogManager().catalog(catalogName))
        .icebergCatalog();
  }

  /** Closes Spark's Redis catalog (Spark never closes its catalogs) and stops Spark. */
  @Override
  public void close() throws IOException {
    try {
      if (icebergCatalog() instanceof Closeable closeable) {
        closeable.close();
      }
    } finally {
      spark.stop();
    }
  }
}
