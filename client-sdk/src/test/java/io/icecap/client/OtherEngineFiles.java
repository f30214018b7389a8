package io.icecap.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.BaseDVFileWriter;
import org.apache.iceberg.deletes.DVFileWriter;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteIndex;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.encryption.EncryptedFiles;
import org.apache.iceberg.encryption.EncryptedOutputFile;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;

/**
 * Data and delete files written with Iceberg's own Java writers, in any format and under any of a
 * table's partition specs, as Spark, Flink or PyIceberg would write them. Methods without a format
 * write Parquet; methods without a partition write an unpartitioned table's files.
 */
final class OtherEngineFiles {
  private OtherEngineFiles() {}

  static Record record(Schema schema, Object... values) {
    GenericRecord record = GenericRecord.create(schema);
    for (int i = 0; i < values.length; i++) {
      record.set(i, values[i]);
    }
    return record;
  }

  /** The partition of a row under the table's current spec. */
  static PartitionKey partitionOf(Table table, Record row) {
    PartitionKey key = new PartitionKey(table.spec(), table.schema());
    key.partition(new InternalRecordWrapper(table.schema().asStruct()).wrap(row));
    return key;
  }

  static DataFile data(Table table, FileFormat format, List<Record> rows) {
    return data(table, table.spec(), null, format, rows);
  }

  static DataFile data(Table table, StructLike partition, List<Record> rows) {
    return data(table, table.spec(), partition, FileFormat.PARQUET, rows);
  }

  static DataFile data(
      Table table, PartitionSpec spec, StructLike partition, FileFormat format, List<Record> rows) {
    GenericAppenderFactory factory = new GenericAppenderFactory(table.schema(), spec);
    DataWriter<Record> writer =
        factory.newDataWriter(output(table, spec, partition, format), format, partition);
    try (writer) {
      rows.forEach(writer::write);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return writer.toDataFile();
  }

  static DeleteFile positionDeletes(
      Table table, FileFormat format, String dataLocation, long... positions) {
    return positionDeletes(table, null, format, dataLocation, positions);
  }

  static DeleteFile positionDeletes(
      Table table, StructLike partition, String dataLocation, long... positions) {
    return positionDeletes(table, partition, FileFormat.PARQUET, dataLocation, positions);
  }

  private static DeleteFile positionDeletes(
      Table table,
      StructLike partition,
      FileFormat format,
      String dataLocation,
      long... positions) {
    GenericAppenderFactory factory = new GenericAppenderFactory(table.schema(), table.spec());
    PositionDeleteWriter<Record> writer =
        factory.newPosDeleteWriter(
            output(table, table.spec(), partition, format), format, partition);
    try (writer) {
      for (long position : positions) {
        PositionDelete<Record> delete = PositionDelete.create();
        writer.write(delete.set(dataLocation, position, null));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return writer.toDeleteFile();
  }

  static DeleteFile equalityDeletes(
      Table table, FileFormat format, List<String> columns, List<Record> keys) {
    return equalityDeletes(table, table.spec(), null, format, columns, keys);
  }

  static DeleteFile equalityDeletes(
      Table table, StructLike partition, List<String> columns, List<Record> keys) {
    return equalityDeletes(table, table.spec(), partition, FileFormat.PARQUET, columns, keys);
  }

  static DeleteFile equalityDeletes(
      Table table,
      PartitionSpec spec,
      StructLike partition,
      List<String> columns,
      List<Record> keys) {
    return equalityDeletes(table, spec, partition, FileFormat.PARQUET, columns, keys);
  }

  private static DeleteFile equalityDeletes(
      Table table,
      PartitionSpec spec,
      StructLike partition,
      FileFormat format,
      List<String> columns,
      List<Record> keys) {
    Schema deleteSchema = table.schema().select(columns);
    int[] ids = deleteSchema.columns().stream().mapToInt(f -> f.fieldId()).toArray();
    GenericAppenderFactory factory =
        new GenericAppenderFactory(table.schema(), spec, ids, deleteSchema, null);
    EqualityDeleteWriter<Record> writer =
        factory.newEqDeleteWriter(output(table, spec, partition, format), format, partition);
    try (writer) {
      keys.forEach(writer::write);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return writer.toDeleteFile();
  }

  /**
   * A deletion vector (format v3) of a data file: the positions given, and those of the data file's
   * previous deletion vector, which the new one replaces.
   */
  static DeleteFile deletionVector(
      Table table, String dataLocation, PositionDeleteIndex previous, long... positions) {
    OutputFileFactory files =
        OutputFileFactory.builderFor(table, 1, System.nanoTime()).format(FileFormat.PUFFIN).build();
    DVFileWriter writer = new BaseDVFileWriter(files, path -> previous);
    try (writer) {
      for (long position : positions) {
        writer.delete(dataLocation, position, table.spec(), null);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return writer.result().deleteFiles().get(0);
  }

  private static EncryptedOutputFile output(
      Table table, PartitionSpec spec, StructLike partition, FileFormat format) {
    String name = UUID.randomUUID() + "." + format.name().toLowerCase(Locale.ROOT);
    String location =
        spec.isPartitioned()
            ? table.locationProvider().newDataLocation(spec, partition, name)
            : table.locationProvider().newDataLocation(name);
    return EncryptedFiles.plainAsEncryptedOutput(table.io().newOutputFile(location));
  }
}
