package io.icecap.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.encryption.EncryptedFiles;
import org.apache.iceberg.encryption.EncryptedOutputFile;
import org.apache.iceberg.io.DataWriter;

/**
 * Commits to a test table of {@link SparkTablesIT} with Iceberg's Java API, as an engine that
 * writes equality deletes (Flink's upserts, for one) does: Parquet equality delete files on one
 * column, one per partition, and data files beside them in the same row delta.
 */
final class IcebergJavaWrites {
  private IcebergJavaWrites() {}

  /** Deletes {@code rows} by equality on {@code column}, in one commit. */
  static void equalityDeletes(Table table, String column, List<SparkTablesIT.Row> rows) {
    upsert(table, column, rows, List.of());
  }

  /**
   * In one commit, deletes {@code deleted} by equality on {@code column} and adds {@code added}:
   * the added rows' sequence number is the deletes', so the deletes do not apply to them.
   */
  static void upsert(
      Table table, String column, List<SparkTablesIT.Row> deleted, List<SparkTablesIT.Row> added) {
    RowDelta delta = table.newRowDelta();
    Schema deleteSchema = table.schema().select(column);
    for (Map.Entry<PartitionKey, List<Record>> part : byPartition(table, deleted).entrySet()) {
      List<Record> keys =
          part.getValue().stream()
              .map(
                  row -> {
                    GenericRecord record = GenericRecord.create(deleteSchema);
                    record.setField(column, row.getField(column));
                    return (Record) record;
                  })
              .toList();
      delta.addDeletes(equalityDeleteFile(table, deleteSchema, part.getKey(), keys));
    }
    for (Map.Entry<PartitionKey, List<Record>> part : byPartition(table, added).entrySet()) {
      delta.addRows(dataFile(table, part.getKey(), part.getValue()));
    }
    delta.commit();
  }

  /** The rows as records of the table, by partition (the table's current spec). */
  private static Map<PartitionKey, List<Record>> byPartition(
      Table table, List<SparkTablesIT.Row> rows) {
    Map<String, PartitionKey> keys = new LinkedHashMap<>();
    Map<PartitionKey, List<Record>> parts = new LinkedHashMap<>();
    InternalRecordWrapper wrapper = new InternalRecordWrapper(table.schema().asStruct());
    for (SparkTablesIT.Row row : rows) {
      Record record = record(table, row);
      PartitionKey partition = new PartitionKey(table.spec(), table.schema());
      partition.partition(wrapper.wrap(record));
      PartitionKey key = keys.computeIfAbsent(partition.toPath(), path -> partition);
      parts.computeIfAbsent(key, k -> new ArrayList<>()).add(record);
    }
    return parts;
  }

  private static Record record(Table table, SparkTablesIT.Row row) {
    GenericRecord record = GenericRecord.create(table.schema());
    record.setField("id", row.id());
    record.setField("name", row.name());
    record.setField("qty", row.qty());
    record.setField("day", row.day());
    return record;
  }

  private static DeleteFile equalityDeleteFile(
      Table table, Schema deleteSchema, PartitionKey partition, List<Record> keys) {
    int[] ids = deleteSchema.columns().stream().mapToInt(f -> f.fieldId()).toArray();
    GenericAppenderFactory factory =
        new GenericAppenderFactory(table.schema(), table.spec(), ids, deleteSchema, null);
    EqualityDeleteWriter<Record> writer =
        factory.newEqDeleteWriter(output(table, partition), FileFormat.PARQUET, partition);
    try (writer) {
      keys.forEach(writer::write);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return writer.toDeleteFile();
  }

  private static DataFile dataFile(Table table, PartitionKey partition, List<Record> rows) {
    GenericAppenderFactory factory = new GenericAppenderFactory(table.schema(), table.spec());
    DataWriter<Record> writer =
        factory.newDataWriter(output(table, partition), FileFormat.PARQUET, partition);
    try (writer) {
      rows.forEach(writer::write);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return writer.toDataFile();
  }

  private static EncryptedOutputFile output(Table table, PartitionKey partition) {
    String location =
        table
            .locationProvider()
            .newDataLocation(table.spec(), partition, UUID.randomUUID() + ".parquet");
    return EncryptedFiles.plainAsEncryptedOutput(table.io().newOutputFile(location));
  }
}
