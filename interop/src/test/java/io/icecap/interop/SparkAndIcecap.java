package io.icecap.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.client.Icecap;
import io.icecap.client.IcecapConfig;
import io.icecap.client.IcecapSession;
import java.io.Closeable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Icecap's SDK (catalog {@code icecap}) and a Spark whose catalog {@code lake} is Icecap's catalog
 * through {@code icecap.catalog-name}, on one Redis and one local warehouse, with the namespace
 * {@code interop} made. Spark reaches a table as {@code lake.interop.t}, Icecap as {@code
 * interop.t}.
 */
final class SparkAndIcecap implements Closeable {
  static final String NAMESPACE = "interop";

  private final IcecapSession icecap;
  private final SparkProcess spark;

  private SparkAndIcecap(IcecapSession icecap, SparkProcess spark) {
    this.icecap = icecap;
    this.spark = spark;
  }

  /** The settings a Spark user gives for Icecap's catalog (README, "Spark"). */
  static Map<String, String> sparkSettings(String redisUri, Path warehouse, Path sparkDir) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("spark.master", "local[2]");
    settings.put("spark.ui.enabled", "false");
    settings.put("spark.driver.host", "127.0.0.1");
    settings.put("spark.driver.bindAddress", "127.0.0.1");
    settings.put("spark.sql.shuffle.partitions", "2");
    settings.put("spark.sql.session.timeZone", "UTC");
    settings.put("spark.local.dir", sparkDir.resolve("local").toString());
    settings.put("spark.sql.warehouse.dir", sparkDir.resolve("spark-warehouse").toString());
    settings.put(
        "spark.sql.extensions",
        "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions");
    settings.put("spark.sql.catalog.lake", "org.apache.iceberg.spark.SparkCatalog");
    settings.put("spark.sql.catalog.lake.catalog-impl", "io.icecap.catalog.RedisCatalog");
    settings.put("spark.sql.catalog.lake.icecap.catalog-name", "icecap");
    settings.put("spark.sql.catalog.lake.uri", redisUri);
    settings.put("spark.sql.catalog.lake.warehouse", warehouse.toString());
    // Icecap commits to these tables too: Spark must load the current snapshot at every query
    settings.put("spark.sql.catalog.lake.cache-enabled", "false");
    return settings;
  }

  /** Connects Icecap, makes the namespace and starts Spark; files go under {@code dir}. */
  static SparkAndIcecap start(String redisUri, Path dir) throws Exception {
    Path warehouse = dir.resolve("warehouse");
    IcecapSession icecap =
        Icecap.connect(IcecapConfig.redis(redisUri, warehouse.toString(), dir.resolve("home")));
    try {
      assertThat(icecap.config().catalogName()).isEqualTo("icecap");
      icecap.execute("CREATE SCHEMA " + NAMESPACE);
      Path sparkDir = dir.resolve("spark");
      SparkProcess spark = SparkProcess.start(sparkSettings(redisUri, warehouse, sparkDir), dir);
      return new SparkAndIcecap(icecap, spark);
    } catch (Exception | Error e) {
      icecap.close();
      throw e;
    }
  }

  IcecapSession icecap() {
    return icecap;
  }

  SparkProcess spark() {
    return spark;
  }

  @Override
  public void close() {
    try {
      spark.close();
    } finally {
      icecap.close();
    }
  }
}
