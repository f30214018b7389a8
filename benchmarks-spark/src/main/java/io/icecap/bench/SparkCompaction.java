package io.icecap.bench;

import io.icecap.catalog.RedisCatalogProperties;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Spark's compaction beside Icecap's in the compaction benchmark: Iceberg's {@code
 * rewrite_data_files} procedure (bin-packing, its defaults, the table's target file size) through
 * Spark SQL in local mode on Icecap's catalog ({@link SparkSide}). Spark is started before the
 * timing; the time is the {@code CALL} alone. Found by the benchmark with {@link
 * java.util.ServiceLoader} when this module is on the class path.
 */
public final class SparkCompaction implements CompactionBaseline {
  private SparkSide spark;
  private String catalogName;

  /** For {@link java.util.ServiceLoader}. */
  public SparkCompaction() {}

  @Override
  public String name() {
    return "Spark rewrite_data_files";
  }

  @Override
  public String tableName() {
    return "compact_spark";
  }

  @Override
  public void start(String catalogName, Map<String, String> catalogProperties, Path dir) {
    Map<String, String> others = new LinkedHashMap<>(catalogProperties);
    String uri = others.remove(RedisCatalogProperties.URI);
    String warehouse = others.remove(CatalogProperties.WAREHOUSE_LOCATION);
    this.catalogName = catalogName;
    this.spark = SparkSide.start(catalogName, uri, warehouse, others, dir);
  }

  /**
   * Runs {@code CALL <catalog>.system.rewrite_data_files(table => '<catalog>.<namespace>.<name>')}
   * (the catalog named, or a namespace of the catalog's name is taken for the catalog); its answer
   * is one row: rewritten data files, added data files, rewritten bytes, failed files.
   */
  @Override
  public Outcome compact(TableIdentifier table) {
    if (spark == null) {
      throw new IllegalStateException("Spark is not started: call start first");
    }
    List<List<Object>> rows =
        spark.sql(
            "CALL "
                + catalogName
                + ".system.rewrite_data_files(table => '"
                + catalogName
                + "."
                + table.namespace()
                + "."
                + table.name()
                + "')");
    List<Object> row = rows.get(0);
    long failed = row.size() > 3 ? ((Number) row.get(3)).longValue() : 0;
    if (failed > 0) {
      throw new IllegalStateException(
          "Spark's rewrite_data_files of " + table + " failed on " + failed + " data files");
    }
    return new Outcome(((Number) row.get(1)).longValue(), -1);
  }

  @Override
  public void close() throws IOException {
    if (spark != null) {
      spark.close();
      spark = null;
    }
  }
}
