package io.icecap.catalog.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.testing.RedisServerExtension;
import io.icecap.testing.S3ServerExtension;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog loaded the way an engine loads it, by class name from the runtime jar, beside plain
 * Iceberg jars and no Lettuce, Netty of Icecap's or Reactor: it opens Icecap's catalog under
 * another name, creates and commits tables on a real Redis, stored locally and through the class
 * path's S3FileIO.
 */
class RuntimeJarCatalogIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  @RegisterExtension static final S3ServerExtension S3 = new S3ServerExtension();

  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "data", Types.StringType.get()));

  @TempDir Path warehouse;

  private static Catalog load(String engineName, Map<String, String> properties) {
    Map<String, String> all = new HashMap<>(properties);
    all.put(CatalogProperties.CATALOG_IMPL, "io.icecap.catalog.RedisCatalog");
    all.put(CatalogProperties.URI, REDIS.server().uri());
    return CatalogUtil.buildIcebergCatalog(engineName, all, null);
  }

  @Test
  void theCatalogComesFromTheJarAndItsLibrariesAreRelocated() throws Exception {
    Catalog catalog =
        load("lake", Map.of(CatalogProperties.WAREHOUSE_LOCATION, warehouse.toString()));
    try {
      assertThat(catalog.getClass().getProtectionDomain().getCodeSource().getLocation().getPath())
          .isEqualTo(RuntimeJar.built().path().toUri().getPath());
      ClassLoader loader = catalog.getClass().getClassLoader();
      assertThatThrownBy(() -> Class.forName("io.lettuce.core.RedisClient", false, loader))
          .isInstanceOf(ClassNotFoundException.class);
      assertThatThrownBy(() -> Class.forName("reactor.core.publisher.Mono", false, loader))
          .isInstanceOf(ClassNotFoundException.class);
      assertThat(Class.forName("io.icecap.shaded.io.lettuce.core.RedisClient", false, loader))
          .isNotNull();
    } finally {
      ((Closeable) catalog).close();
    }
  }

  @Test
  void anEngineCatalogNamedLakeOpensIcecapsCatalog() throws IOException {
    Map<String, String> local = Map.of(CatalogProperties.WAREHOUSE_LOCATION, warehouse.toString());
    Map<String, String> named = new HashMap<>(local);
    named.put("icecap.catalog-name", "icecap");
    Catalog icecap = load("icecap", local);
    Catalog lake = load("lake", named);
    Catalog other = load("lake", local);
    try {
      ((SupportsNamespaces) icecap).createNamespace(Namespace.of("db"));
      TableIdentifier id = TableIdentifier.of("db", "events");
      icecap.createTable(id, SCHEMA);

      Table table = lake.loadTable(id);
      assertThat(table.name()).isEqualTo("lake.db.events");
      assertThat(table.io().getClass().getName()).isEqualTo("io.icecap.catalog.io.LocalFileIO");
      table.newAppend().appendFile(dataFile(table.location())).commit();

      Table seen = icecap.loadTable(id);
      assertThat(seen.currentSnapshot().snapshotId())
          .isEqualTo(table.currentSnapshot().snapshotId());
      assertThat(seen.currentSnapshot().addedDataFiles(seen.io())).hasSize(1);
      // without the property, the engine's name is the catalog's: another, empty catalog
      assertThat(((SupportsNamespaces) other).listNamespaces()).isEmpty();
    } finally {
      ((Closeable) icecap).close();
      ((Closeable) lake).close();
      ((Closeable) other).close();
    }
  }

  @Test
  void tablesOnS3GoThroughTheClassPathsS3FileIo() throws IOException {
    String bucket = "runtime-" + UUID.randomUUID();
    S3.server().createBucket(bucket);
    Map<String, String> properties = new HashMap<>(S3.server().fileIoProperties());
    properties.put(CatalogProperties.WAREHOUSE_LOCATION, "s3://" + bucket + "/warehouse");
    Catalog catalog = load("s3lake", properties);
    try {
      ((SupportsNamespaces) catalog).createNamespace(Namespace.of("db"));
      Table table = catalog.createTable(TableIdentifier.of("db", "t"), SCHEMA);
      assertThat(table.io().getClass().getName()).isEqualTo("org.apache.iceberg.aws.s3.S3FileIO");
      assertThat(table.location()).isEqualTo("s3://" + bucket + "/warehouse/db/t");
      table.newAppend().appendFile(dataFile(table.location())).commit();
      Table reloaded = catalog.loadTable(TableIdentifier.of("db", "t"));
      assertThat(reloaded.currentSnapshot().snapshotId())
          .isEqualTo(table.currentSnapshot().snapshotId());
    } finally {
      ((Closeable) catalog).close();
    }
  }

  private static DataFile dataFile(String tableLocation) {
    return DataFiles.builder(PartitionSpec.unpartitioned())
        .withPath(tableLocation + "/data/" + UUID.randomUUID() + ".parquet")
        .withFileSizeInBytes(100)
        .withRecordCount(1)
        .build();
  }
}
