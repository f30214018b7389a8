package io.icecap.interop;

import static io.icecap.interop.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.client.Icecap;
import io.icecap.client.IcecapConfig;
import io.icecap.client.IcecapSession;
import io.icecap.testing.RedisServerExtension;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark, with nothing of Icecap's but the catalog runtime jar beside Iceberg's Spark runtime, and
 * Icecap's SDK on the same tables of one catalog: Spark names its catalog {@code lake}, Icecap's
 * catalog is {@code icecap}, and {@code icecap.catalog-name} joins them. Each side reads what the
 * other wrote.
 */
class SparkCatalogRuntimeIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  @TempDir static Path dir;

  private static IcecapSession icecap;
  private static SparkProcess spark;

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

  @BeforeAll
  static void start() throws Exception {
    Path warehouse = dir.resolve("warehouse");
    icecap =
        Icecap.connect(
            IcecapConfig.redis(REDIS.server().uri(), warehouse.toString(), dir.resolve("home")));
    assertThat(icecap.config().catalogName()).isEqualTo("icecap");
    icecap.execute("CREATE SCHEMA interop");
    spark = SparkProcess.start(sparkSettings(REDIS.server().uri(), warehouse, dir), dir);
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.close();
    }
    if (icecap != null) {
      icecap.close();
    }
  }

  @Test
  void sparksClassPathIsSparkIcebergsRuntimeAndTheCatalogRuntimeJar() {
    List<String> classPath = SparkProcess.classPath();
    assertThat(classPath).anyMatch(p -> p.endsWith("/icecap-catalog-runtime-0.1.0-SNAPSHOT.jar"));
    assertThat(classPath).anyMatch(p -> p.contains("/iceberg-spark-runtime-4.0_2.13-"));
    assertThat(classPath).anyMatch(p -> p.contains("/spark-sql_2.13-"));
    // nothing else of Icecap's, and no plain Iceberg or Lettuce beside the runtimes
    assertThat(classPath)
        .filteredOn(p -> p.contains("/io/icecap/") || p.contains("icecap-"))
        .allMatch(
            p ->
                p.endsWith("/icecap-catalog-runtime-0.1.0-SNAPSHOT.jar")
                    || p.endsWith("/icecap-interop-spark-0.1.0-SNAPSHOT.jar"));
    assertThat(classPath)
        .noneMatch(p -> p.contains("/iceberg-core-") || p.contains("/iceberg-api-"))
        .noneMatch(p -> p.contains("/lettuce-core-"));
    assertThat(spark.version()).startsWith("4.0.");
  }

  @Test
  void sparkCreatesAndWritesATableIcecapReadsAndUpdates() throws Exception {
    spark.sql(
        "CREATE TABLE lake.interop.from_spark (id BIGINT, name STRING, amount DECIMAL(10,2),"
            + " day DATE) USING iceberg PARTITIONED BY (day)");
    spark.sql(
        "INSERT INTO lake.interop.from_spark VALUES (1, 'ann', 12.50, DATE '2026-01-01'),"
            + " (2, 'bob', 3.00, DATE '2026-01-02'), (3, NULL, 7.25, DATE '2026-01-01')");
    List<List<String>> written =
        List.of(
            row(1, "ann", 12.5, "2026-01-01"),
            row(2, "bob", 3, "2026-01-02"),
            row(3, null, 7.25, "2026-01-01"));
    String select = "SELECT id, name, amount, day FROM %s ORDER BY id";
    assertThat(Rows.ofSpark(spark.sql(select.formatted("lake.interop.from_spark"))))
        .isEqualTo(written);
    assertThat(Rows.ofIcecap(icecap.query(select.formatted("interop.from_spark"))))
        .isEqualTo(written);

    assertThat(icecap.execute("UPDATE interop.from_spark SET amount = amount + 1 WHERE id = 2"))
        .isEqualTo(1);
    assertThat(
            icecap.execute(
                "INSERT INTO interop.from_spark VALUES (4, 'dan', 1.10, DATE '2026-01-03')"))
        .isEqualTo(1);
    assertThat(icecap.execute("DELETE FROM interop.from_spark WHERE id = 3")).isEqualTo(1);
    List<List<String>> changed =
        List.of(
            row(1, "ann", 12.5, "2026-01-01"),
            row(2, "bob", 4, "2026-01-02"),
            row(4, "dan", 1.1, "2026-01-03"));
    assertThat(Rows.ofIcecap(icecap.query(select.formatted("interop.from_spark"))))
        .isEqualTo(changed);
    assertThat(Rows.ofSpark(spark.sql(select.formatted("lake.interop.from_spark"))))
        .isEqualTo(changed);
  }

  @Test
  void icecapCreatesAndWritesATableSparkReadsAndAppendsTo() throws Exception {
    icecap.execute("CREATE TABLE interop.from_icecap (id BIGINT NOT NULL, qty INT, note VARCHAR)");
    assertThat(
            icecap.execute(
                "INSERT INTO interop.from_icecap VALUES (1, 10, 'one'), (2, 20, NULL), (3, 30,"
                    + " 'three')"))
        .isEqualTo(3);
    String select = "SELECT id, qty, note FROM %s ORDER BY id";
    List<List<String>> written = List.of(row(1, 10, "one"), row(2, 20, null), row(3, 30, "three"));
    assertThat(Rows.ofSpark(spark.sql(select.formatted("lake.interop.from_icecap"))))
        .isEqualTo(written);
    assertThat(spark.sql("SHOW TABLES IN lake.interop"))
        .extracting(columns -> columns.get(1).asText())
        .contains("from_icecap");

    spark.sql("INSERT INTO lake.interop.from_icecap VALUES (4, 40, 'four')");
    List<List<String>> appended =
        List.of(row(1, 10, "one"), row(2, 20, null), row(3, 30, "three"), row(4, 40, "four"));
    assertThat(Rows.ofIcecap(icecap.query(select.formatted("interop.from_icecap"))))
        .isEqualTo(appended);
    assertThat(Rows.ofSpark(spark.sql(select.formatted("lake.interop.from_icecap"))))
        .isEqualTo(appended);
  }
}
