package io.icecap.replica;

import static io.icecap.testing.OtherEngineFiles.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.catalog.RedisCatalog;
import io.icecap.testing.OtherEngineFiles;
import io.icecap.testing.RedisServerExtension;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * ORC and Avro data and delete files, and format v3 deletion vectors, written with Iceberg's Java
 * API, become DuckDB replicas holding exactly the rows Iceberg's own reader returns.
 */
class PartitionImporterFormatsIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  private static final LocalDate DAY_1 = LocalDate.of(2026, 11, 20);
  private static final LocalDate DAY_2 = LocalDate.of(2026, 11, 21);

  @TempDir Path warehouse;
  @TempDir Path work;
  private RedisCatalog catalog;

  @AfterEach
  void tearDown() throws IOException {
    catalog.close();
  }

  @ParameterizedTest
  @EnumSource(
      value = FileFormat.class,
      names = {"ORC", "AVRO"})
  void orcAndAvroDataAndDeleteFilesAreApplied(FileFormat format) throws Exception {
    Table table = create("2");
    Schema v1 = table.schema();
    PartitionKey p1 = OtherEngineFiles.partitionOf(table, record(v1, 1L, "a", 1, DAY_1));
    PartitionKey p2 = OtherEngineFiles.partitionOf(table, record(v1, 1L, "a", 1, DAY_2));
    DataFile first = OtherEngineFiles.data(table, p1, format, rows(v1, 0, 20, DAY_1));
    DataFile other = OtherEngineFiles.data(table, p2, format, rows(v1, 20, 30, DAY_2));
    table.newAppend().appendFile(first).appendFile(other).commit();
    table
        .newRowDelta()
        .addDeletes(OtherEngineFiles.positionDeletes(table, p1, format, first.location(), 0, 7))
        .addDeletes(
            OtherEngineFiles.equalityDeletes(
                table, p1, format, List.of("qty"), List.of(record(v1.select("qty"), 3))))
        .commit();
    table.updateSchema().renameColumn("name", "label").commit();
    Schema v2 = table.schema();
    DataFile later = OtherEngineFiles.data(table, p1, format, rows(v2, 100, 105, DAY_1));
    table.newAppend().appendFile(later).commit();
    table
        .newRowDelta()
        .addDeletes(
            OtherEngineFiles.equalityDeletes(
                table, p1, format, List.of("label"), List.of(record(v2.select("label"), "n4"))))
        .commit();

    try (DuckDbReplica replica =
        new PartitionImporter(work)
            .importPartition(table, table.currentSnapshot(), p1, work.resolve("p1.duckdb"))) {
      List<String> expected = icebergRows(table, DAY_1);
      assertThat(expected).isNotEmpty().hasSizeLessThan(25);
      assertThat(replicaRows(replica)).containsExactlyElementsOf(expected);
    }
    try (DuckDbReplica replica =
        new PartitionImporter(work)
            .importPartition(table, table.currentSnapshot(), p2, work.resolve("p2.duckdb"))) {
      assertThat(replicaRows(replica)).containsExactlyElementsOf(icebergRows(table, DAY_2));
    }
  }

  @Test
  void deletionVectorsAreApplied() throws Exception {
    Table table = create("3");
    Schema schema = table.schema();
    PartitionKey p1 = OtherEngineFiles.partitionOf(table, record(schema, 1L, "a", 1, DAY_1));
    DataFile first = OtherEngineFiles.data(table, p1, rows(schema, 0, 20, DAY_1));
    DataFile second = OtherEngineFiles.data(table, p1, rows(schema, 20, 40, DAY_1));
    table.newAppend().appendFile(first).appendFile(second).commit();
    table
        .newRowDelta()
        .addDeletes(OtherEngineFiles.deletionVector(table, p1, first.location(), 0, 5, 19))
        .addDeletes(OtherEngineFiles.deletionVector(table, p1, second.location(), 3))
        .commit();

    try (DuckDbReplica replica =
        new PartitionImporter(work)
            .importPartition(table, table.currentSnapshot(), p1, work.resolve("dv.duckdb"))) {
      List<String> expected = icebergRows(table, DAY_1);
      assertThat(expected).hasSize(36);
      assertThat(replicaRows(replica)).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void aTruncatedDeletionVectorIsNamed() throws Exception {
    Table table = create("3");
    Schema schema = table.schema();
    PartitionKey p1 = OtherEngineFiles.partitionOf(table, record(schema, 1L, "a", 1, DAY_1));
    DataFile data = OtherEngineFiles.data(table, p1, rows(schema, 0, 20, DAY_1));
    table.newAppend().appendFile(data).commit();
    DeleteFile dv = OtherEngineFiles.deletionVector(table, p1, data.location(), 1);
    table.newRowDelta().addDeletes(dv).commit();
    try (RandomAccessFile raw = new RandomAccessFile(dv.location(), "rw")) {
      raw.setLength(raw.length() - 8);
    }
    Path target = work.resolve("bad.duckdb");
    assertThatThrownBy(
            () ->
                new PartitionImporter(work)
                    .importPartition(table, table.currentSnapshot(), p1, target))
        .isInstanceOf(ReplicaException.class)
        .hasMessageContaining("partition day=2026-11-20")
        .hasMessageContaining(dv.location())
        .hasMessageContaining("truncated or replaced");
    assertThat(target).doesNotExist();
  }

  private Table create(String formatVersion) {
    catalog = TestCatalogs.fresh(REDIS, warehouse);
    Schema schema =
        new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "name", Types.StringType.get()),
            Types.NestedField.optional(3, "qty", Types.IntegerType.get()),
            Types.NestedField.required(4, "day", Types.DateType.get()));
    return catalog
        .buildTable(TableIdentifier.of("db", "orders"), schema)
        .withPartitionSpec(PartitionSpec.builderFor(schema).identity("day").build())
        .withProperty("format-version", formatVersion)
        .create();
  }

  private static List<Record> rows(Schema schema, long from, long to, LocalDate day) {
    List<Record> rows = new ArrayList<>();
    for (long id = from; id < to; id++) {
      rows.add(record(schema, id, "n" + id % 5, (int) (id % 4), day));
    }
    return rows;
  }

  private static List<String> icebergRows(Table table, LocalDate day) throws IOException {
    List<String> rows = new ArrayList<>();
    try (CloseableIterable<Record> records =
        IcebergGenerics.read(table).where(Expressions.equal("day", day.toString())).build()) {
      for (Record record : records) {
        List<String> values = new ArrayList<>();
        // the reader may add metadata columns (_pos) after the schema's own
        for (int i = 0; i < table.schema().columns().size(); i++) {
          values.add(String.valueOf(record.get(i)));
        }
        rows.add(String.join("|", values));
      }
    }
    rows.sort(Comparator.comparingLong(row -> Long.parseLong(row.split("\\|")[0])));
    return rows;
  }

  private static List<String> replicaRows(DuckDbReplica replica) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Statement statement = replica.connection().createStatement();
        ResultSet result =
            statement.executeQuery("SELECT * FROM " + DuckDbReplica.ROWS + " ORDER BY id")) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          Object value = result.getObject(i);
          values.add(value == null ? "null" : result.getString(i));
        }
        rows.add(String.join("|", values));
      }
    }
    return rows;
  }
}
