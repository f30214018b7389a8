package io.icecap.interop;

import static io.icecap.interop.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.client.IcecapSession;
import io.icecap.testing.RedisServerExtension;
import java.nio.file.Path;
import java.util.List;
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

  private static SparkAndIcecap both;
  private static IcecapSession icecap;
  private static SparkProcess spark;

  @BeforeAll
  static void start() throws Exception {
    both = SparkAndIcecap.start(REDIS.server().uri(), dir);
    icecap = both.icecap();
    spark = both.spark();
  }

  @AfterAll
  static void stop() {
    if (both != null) {
      both.close();
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
