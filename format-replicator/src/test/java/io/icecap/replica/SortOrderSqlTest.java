package io.icecap.replica;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.NullOrder;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ORDER BY that Parquet files of a table with a sort order are written in. */
class SortOrderSqlTest {
  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "Name", Types.StringType.get()),
          Types.NestedField.optional(3, "ts", Types.TimestampType.withZone()),
          Types.NestedField.optional(
              4,
              "s",
              Types.StructType.of(Types.NestedField.optional(5, "x", Types.IntegerType.get()))));

  @TempDir Path warehouse;
  private InMemoryCatalog catalog;

  @BeforeEach
  void setUp() {
    catalog = new InMemoryCatalog();
    catalog.initialize("mem", Map.of(CatalogProperties.WAREHOUSE_LOCATION, warehouse.toString()));
    catalog.createNamespace(Namespace.of("db"));
  }

  private Table table() {
    return catalog.createTable(
        TableIdentifier.of("db", "t"), SCHEMA, PartitionSpec.unpartitioned());
  }

  @Test
  void anUnsortedTableHasNoOrderBy() {
    assertThat(ParquetReplicaWriter.orderBy(table())).isEmpty();
  }

  @Test
  void fieldsAreSortedWithTheirDirectionAndNullOrder() {
    Table table = table();
    table
        .replaceSortOrder()
        .asc("Name", NullOrder.NULLS_LAST)
        .desc(Expressions.day("ts"), NullOrder.NULLS_FIRST)
        .asc(Expressions.truncate("id", 10))
        .commit();
    assertThat(ParquetReplicaWriter.orderBy(table))
        .isEqualTo(
            " ORDER BY \"Name\" ASC NULLS LAST, \"ts\" DESC NULLS FIRST, \"id\" ASC NULLS FIRST");
  }

  @Test
  void theSortStopsAtTheFirstFieldDuckDbCannotOrderBy() {
    Table table = table();
    table.replaceSortOrder().asc("id").asc(Expressions.bucket("Name", 4)).desc("ts").commit();
    assertThat(ParquetReplicaWriter.orderBy(table)).isEqualTo(" ORDER BY \"id\" ASC NULLS FIRST");

    table.replaceSortOrder().asc("s.x").asc("id").commit();
    assertThat(ParquetReplicaWriter.orderBy(table)).isEmpty();
  }
}
