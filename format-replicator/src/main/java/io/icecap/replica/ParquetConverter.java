package io.icecap.replica;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.encryption.EncryptedFiles;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.formats.FormatModelRegistry;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.InputFile;

/**
 * Copies an ORC or Avro file of a table (a data file or a delete file) into a local Parquet file,
 * read and written with Iceberg's own generic readers and Parquet writer. DuckDB reads Parquet only
 * (it has no ORC reader, and its Avro extension cannot be installed where workers run), so such a
 * file is converted once and then read like any Parquet file. The rows keep their order, so a
 * position delete names the same row in the copy as in the original, and the columns are the
 * projection's, with its field ids: Iceberg's reader resolves the file's columns by field id
 * (renamed, added, dropped and widened columns read as in any Iceberg scan).
 */
public final class ParquetConverter {
  /** Row groups small enough for DuckDB to scan a large converted file on several threads. */
  private static final String ROW_GROUP_BYTES = String.valueOf(16L << 20);

  private ParquetConverter() {}

  /**
   * Writes the rows of an ORC or Avro file as Parquet.
   *
   * @param source the table file
   * @param format the file's format (ORC, Avro, or Parquet, which is copied the same way)
   * @param expectedSize the file's size in the table's metadata, or -1 when not known
   * @param projection the columns to write, resolved in the file by field id
   * @param target the Parquet file to create; an existing file is replaced
   * @return the number of rows written
   * @throws ReplicaException when the file is missing, of another size than the metadata says, or
   *     cannot be read; the message names it
   */
  public static long convert(
      InputFile source, FileFormat format, long expectedSize, Schema projection, Path target) {
    requireNonNull(source, "source is null");
    requireNonNull(projection, "projection is null");
    checkSize(source, expectedSize);
    long rows = 0;
    try (CloseableIterable<Record> records =
            FormatModelRegistry.<Record, Object>readBuilder(format, Record.class, source)
                .project(projection)
                .build();
        DataWriter<Record> writer = parquetWriter(projection, target)) {
      for (Record record : records) {
        writer.write(record);
        rows++;
      }
    } catch (NotFoundException e) {
      deleteQuietly(target);
      throw new ReplicaException(
          e, "Table file %s is missing; the table's metadata names it", source.location());
    } catch (IOException | RuntimeException e) {
      deleteQuietly(target);
      throw new ReplicaException(
          e,
          "Cannot read table file %s (%s): %s; the file is damaged or was changed outside Iceberg",
          source.location(),
          format,
          e.getMessage());
    }
    return rows;
  }

  /** A writer of a local Parquet file with Iceberg's field ids and no column metrics. */
  static DataWriter<Record> parquetWriter(Schema schema, Path target) throws IOException {
    return FormatModelRegistry.<Record, Object>dataWriteBuilder(
            FileFormat.PARQUET,
            Record.class,
            EncryptedFiles.plainAsEncryptedOutput(
                org.apache.iceberg.Files.localOutput(target.toFile())))
        .schema(schema)
        .spec(PartitionSpec.unpartitioned())
        .metricsConfig(
            MetricsConfig.fromProperties(Map.of("write.metadata.metrics.default", "none")))
        .set("write.parquet.row-group-size-bytes", ROW_GROUP_BYTES)
        .overwrite()
        .build();
  }

  /**
   * Checks that a table file exists and has the size the table's metadata gives it.
   *
   * @throws ReplicaException naming the file when it is missing or of another size
   */
  static void checkSize(InputFile source, long expectedSize) {
    long length;
    try {
      length = source.getLength();
    } catch (NotFoundException e) {
      throw new ReplicaException(
          e, "Table file %s is missing; the table's metadata names it", source.location());
    } catch (RuntimeException e) {
      throw new ReplicaException(
          e, "Cannot read table file %s: %s", source.location(), e.getMessage());
    }
    if (expectedSize >= 0 && length != expectedSize) {
      throw new ReplicaException(
          "Table file %s has %d bytes, but the table's metadata says %d (truncated or replaced)",
          source.location(), length, expectedSize);
    }
  }

  static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // left for the cache's or the import's own clean-up
    }
  }
}
