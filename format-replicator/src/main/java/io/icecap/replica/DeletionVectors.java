package io.icecap.replica;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.BaseDeleteLoader;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.PositionDeleteIndex;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.DeleteSchemaUtil;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.util.ContentFileUtil;

/**
 * Format v3 deletion vectors (a {@code deletion-vector-v1} blob in a Puffin file, naming the
 * deleted row positions of one data file), read with Iceberg's own delete loader and written as a
 * small Parquet file in the layout of an Iceberg position delete file: {@code file_path} (the data
 * file's location) and {@code pos}, in position order. DuckDB then applies it like any position
 * delete file, by an anti-join on the data file's row numbers.
 */
public final class DeletionVectors {
  private static final Schema POSITIONS = DeleteSchemaUtil.pathPosSchema();

  private DeletionVectors() {}

  /** Whether a delete file is a deletion vector. */
  public static boolean isDeletionVector(DeleteFile file) {
    return file.format() == FileFormat.PUFFIN || ContentFileUtil.isDV(file);
  }

  /**
   * Writes the positions a deletion vector deletes as a Parquet position delete file.
   *
   * @param io the table's file IO
   * @param dv the deletion vector
   * @param dataFileRows the number of rows of the data file it applies to, as the table's metadata
   *     says: a vector deleting more rows than that is refused before it is read, so that a small
   *     blob of runs cannot make billions of positions
   * @param target the Parquet file to create; an existing file is replaced
   * @return the number of positions written
   * @throws ReplicaException naming the Puffin file when it is missing, of another size than the
   *     table's metadata says, deletes more rows than its data file has, or its blob cannot be read
   */
  public static long toParquet(FileIO io, DeleteFile dv, long dataFileRows, Path target) {
    requireNonNull(io, "io is null");
    requireNonNull(dv, "dv is null");
    String dataFile = dv.referencedDataFile();
    if (dataFile == null) {
      throw new ReplicaException(
          "Deletion vector in %s (offset %s) names no data file; the table's metadata is invalid",
          dv.location(), dv.contentOffset());
    }
    if (dv.recordCount() < 0 || dv.recordCount() > dataFileRows) {
      // Iceberg's loader checks the blob holds exactly recordCount positions
      throw new ReplicaException(
          "Deletion vector in %s (offset %s) deletes %d rows of %s, which has %d; the table's"
              + " metadata is invalid",
          dv.location(), dv.contentOffset(), dv.recordCount(), dataFile, dataFileRows);
    }
    ParquetConverter.checkSize(io.newInputFile(dv.location()), dv.fileSizeInBytes());
    PositionDeleteIndex positions;
    try {
      positions =
          new BaseDeleteLoader(file -> io.newInputFile(file.location(), file.fileSizeInBytes()))
              .loadPositionDeletes(List.of(dv), dataFile);
    } catch (NotFoundException e) {
      throw new ReplicaException(
          e, "Table file %s is missing; the table's metadata names it", dv.location());
    } catch (RuntimeException e) {
      throw new ReplicaException(
          e,
          "Cannot read the deletion vector of %s in %s (offset %d, %d bytes): %s; the file is"
              + " damaged or was changed outside Iceberg",
          dataFile,
          dv.location(),
          dv.contentOffset(),
          dv.contentSizeInBytes(),
          e.getMessage());
    }
    long[] count = {0};
    try (DataWriter<Record> writer = ParquetConverter.parquetWriter(POSITIONS, target)) {
      GenericRecord record = GenericRecord.create(POSITIONS);
      positions.forEach(
          position -> {
            record.setField(MetadataColumns.DELETE_FILE_PATH.name(), dataFile);
            record.setField(MetadataColumns.DELETE_FILE_POS.name(), position);
            writer.write(record);
            count[0]++;
          });
    } catch (IOException | RuntimeException e) {
      ParquetConverter.deleteQuietly(target);
      throw new ReplicaException(
          e,
          "Cannot write the positions of deletion vector %s (offset %d) to %s: %s",
          dv.location(),
          dv.contentOffset(),
          target,
          e.getMessage());
    }
    return count[0];
  }
}
