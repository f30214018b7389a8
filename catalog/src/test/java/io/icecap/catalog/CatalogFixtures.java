package io.icecap.catalog;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;

/** Catalogs and data files for the catalog's own tests. */
final class CatalogFixtures {
  static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "data", Types.StringType.get()));

  private CatalogFixtures() {}

  static Map<String, String> properties(String uri, Path warehouse) {
    Map<String, String> properties = new HashMap<>();
    properties.put(RedisCatalogProperties.URI, uri);
    properties.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse.toString());
    return properties;
  }

  static RedisCatalog catalog(String uri, Path warehouse) {
    return catalog(properties(uri, warehouse));
  }

  static RedisCatalog catalog(Map<String, String> properties) {
    RedisCatalog catalog = new RedisCatalog();
    catalog.initialize("test", properties);
    return catalog;
  }

  /** A data file entry (the file itself is not needed to commit it). */
  static DataFile dataFile(String name) {
    return DataFiles.builder(PartitionSpec.unpartitioned())
        .withPath("/data/" + name + "-" + UUID.randomUUID() + ".parquet")
        .withFileSizeInBytes(100)
        .withRecordCount(1)
        .build();
  }
}
