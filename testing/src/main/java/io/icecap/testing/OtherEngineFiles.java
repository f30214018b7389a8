package io.icecap.testing;

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
 * table's partition specs, as Spark, Flink or PyIceberg would write them. A partition is null for
 * an unpartitioned spec; methods without a format write Parquet, and methods without a spec use the
 * table's current one. The files are written, not committed: the caller commits them.
 */
public final class OtherEngineFiles {
  private OtherEngineFiles() {}

  /** A row of {@code schema} with its top-level values in order. */
  public static Record record(Schema schema, Object... values) {
    GenericRecord record = GenericRecord.create(schema);
    for (int i = 0; i < values.length; i++) {
      record.set(i, values[i]);
    }
    return record;
  }

  /** The partition of a row under the table's current spec. */
  public static PartitionKey partitionOf(Table table, Record row) {
    PartitionKey key = new PartitionKey(table.spec(), table.schema());
    key.partition(new InternalRecordWrapper(table.schema().asStruct()).wrap(row));
    return key;
  }

  public static DataFile data(Table table, StructLike partition, List<Record> rows) {
    return data(table, table.spec(), partition, FileFormat.PARQUET, rows);
  }

  public static DataFile data(
      Table table, StructLike partition, FileFormat format, List<Record> rows) {
    return data(table, table.spec(), partition, format, rows);
  }

  public static DataFile data(
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

  public static DeleteFile positionDeletes(
      Table table, StructLike partition, String dataLocation, long... positions) {
    return positionDeletes(table, partition, FileFormat.PARQUET, dataLocation, positions);
  }

  public static DeleteFile positionDeletes(
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

  public static DeleteFile equalityDeletes(
      Table table, StructLike partition, List<String> columns, List<Record> keys) {
    return equalityDeletes(table, table.spec(), partition, FileFormat.PARQUET, columns, keys);
  }

  public static DeleteFile equalityDeletes(
      Table table,
      StructLike partition,
      FileFormat format,
      List<String> columns,
      List<Record> keys) {
    return equalityDeletes(table, table.spec(), partition, format, columns, keys);
  }

  public static DeleteFile equalityDeletes(
      Table table,
      PartitionSpec spec,
      StructLike partition,
      List<String> columns,
      List<Record> keys) {
    return equalityDeletes(table, spec, partition, FileFormat.PARQUET, columns, keys);
  }

  public static DeleteFile equalityDeletes(
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

  /** A deletion vector (format v3) of a data file, deleting the positions given. */
  public static DeleteFile deletionVector(
      Table table, StructLike partition, String dataLocation, long... positions) {
    return deletionVector(table, partition, dataLocation, null, positions);
  }

  /**
   * A deletion vector (format v3) of a data file: the positions given, and those of the data file's
   * previous deletion vector, which the new one replaces.
   */
  public static DeleteFile deletionVector(
      Table table,
      StructLike partition,
      String dataLocation,
      PositionDeleteIndex previous,
      long... positions) {
    OutputFileFactory files =
        OutputFileFactory.builderFor(table, 1, System.nanoTime()).format(FileFormat.PUFFIN).build();
    DVFileWriter writer = new BaseDVFileWriter(files, path -> previous);
    try (writer) {
      for (long position : positions) {
        writer.delete(dataLocation, position, table.spec(), partition);
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
