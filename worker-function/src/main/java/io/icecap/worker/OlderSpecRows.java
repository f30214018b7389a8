package io.icecap.worker;

import io.icecap.catalog.io.LocalFileIO;
import io.icecap.replica.DuckDbTypes;
import io.icecap.replica.ParquetConverter;
import io.icecap.replica.PartitionSql;
import io.icecap.replica.ReplicaException;
import io.icecap.txn.record.PartitionValues;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionData;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.types.Types;

/**
 * The partitions of a table's current spec that the rows of data files written under an older spec
 * fall into. Such a file may hold rows of several current partitions, so a job that rewrites one of
 * them must rewrite all of them (and drop the file) to keep every row exactly once.
 *
 * <p>When every field of the current spec is a field of the file's spec too (same source, same
 * transform: a field was removed, or the spec changed back), the file's own partition values say
 * its one current partition. Otherwise the files' partition source columns are read in DuckDB, by
 * field id, and put through the current spec's transforms ({@link PartitionSql}, Iceberg's own
 * transform code); ORC and Avro files are converted to Parquet for that first. Deleted rows are
 * counted too: a partition whose rows are all deleted is rewritten empty, which is harmless.
 */
final class OlderSpecRows {
  private OlderSpecRows() {}

  /**
   * The distinct current-spec partitions of the rows of {@code files}.
   *
   * @param workDir a local directory for files downloaded from object storage; they are removed
   *     before this returns
   */
  static List<PartitionData> partitions(Table table, List<DataFile> files, Path workDir) {
    PartitionSpec spec = table.spec();
    if (files.isEmpty() || !spec.isPartitioned()) {
      return List.of(new PartitionData(spec.partitionType()));
    }
    Map<String, PartitionData> found = new LinkedHashMap<>();
    List<DataFile> unknown = new ArrayList<>();
    for (DataFile file : files) {
      PartitionData partition = fromFilePartition(spec, table.specs().get(file.specId()), file);
      if (partition == null) {
        unknown.add(file);
      } else {
        found.putIfAbsent(PartitionValues.key(spec, partition), partition);
      }
    }
    if (!unknown.isEmpty()) {
      for (PartitionData partition : read(table, unknown, workDir)) {
        found.putIfAbsent(PartitionValues.key(spec, partition), partition);
      }
    }
    return List.copyOf(found.values());
  }

  /**
   * The current partition of all of a file's rows, from its partition under its own spec; null when
   * a current field is not a field of that spec.
   */
  private static PartitionData fromFilePartition(
      PartitionSpec spec, PartitionSpec older, DataFile file) {
    if (older == null) {
      return null;
    }
    PartitionData partition = new PartitionData(spec.partitionType());
    List<PartitionField> fields = spec.fields();
    for (int i = 0; i < fields.size(); i++) {
      PartitionField field = fields.get(i);
      if (field.transform().isVoid()) {
        partition.set(i, null);
        continue;
      }
      int position = -1;
      for (int j = 0; j < older.fields().size(); j++) {
        PartitionField candidate = older.fields().get(j);
        if (candidate.sourceId() == field.sourceId()
            && !candidate.transform().isVoid()
            && candidate.transform().equals(field.transform())) {
          position = j;
        }
      }
      if (position < 0) {
        return null;
      }
      Object value = file.partition().get(position, Object.class);
      Class<?> expected = spec.partitionType().fields().get(i).type().typeId().javaClass();
      if (value != null && !expected.isInstance(value)) {
        return null; // the source column was widened since: read the rows
      }
      partition.set(i, value);
    }
    return partition;
  }

  private static List<PartitionData> read(Table table, List<DataFile> files, Path workDir) {
    PartitionSpec spec = table.spec();
    Map<Integer, Types.NestedField> sources = new LinkedHashMap<>();
    for (PartitionField field : spec.fields()) {
      if (!field.transform().isVoid()) {
        sources.put(field.sourceId(), spec.schema().findField(field.sourceId()));
      }
    }
    Path downloads;
    try {
      Files.createDirectories(workDir);
      downloads = Files.createTempDirectory(workDir, "older-spec-");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a download directory in " + workDir, e);
    }
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:")) {
      Schema projection = new Schema(List.copyOf(sources.values()));
      List<String> paths = new ArrayList<>();
      for (DataFile file : files) {
        paths.add(DuckDbTypes.literal(local(table, file, downloads, projection).toString()));
      }
      PartitionSql sql = PartitionSql.register(duckdb, spec);
      String relation =
          "read_parquet(["
              + String.join(", ", paths)
              + "], schema = "
              + DuckDbTypes.fieldIdSchema(List.copyOf(sources.values()), Map.of())
              + ")";
      return sql.partitions(duckdb, relation);
    } catch (SQLException e) {
      throw new IllegalStateException(
          String.format(
              "Cannot read the partitions of the %d data file(s) of %s written under an older"
                  + " partition spec: %s",
              files.size(), table.name(), e.getMessage()),
          e);
    } finally {
      ApplyJob.deleteTree(downloads);
    }
  }

  /**
   * A local Parquet file of {@code file}'s rows: a local Parquet file itself, a downloaded copy of
   * one in object storage, or an ORC or Avro file's source columns converted to Parquet with
   * Iceberg's readers ({@link ParquetConverter}, field ids kept), since DuckDB reads Parquet only.
   */
  private static Path local(Table table, DataFile file, Path downloads, Schema sources) {
    if (file.format() != FileFormat.PARQUET) {
      Path converted = downloads.resolve(UUID.randomUUID() + ".parquet");
      try {
        ParquetConverter.convert(
            table.io().newInputFile(file.location(), file.fileSizeInBytes()),
            file.format(),
            file.fileSizeInBytes(),
            sources,
            converted);
      } catch (NotFoundException e) {
        throw missing(table, file, e);
      } catch (ReplicaException e) {
        throw new IllegalStateException(
            String.format(
                "Cannot apply writes to table %s: reading the partition columns of its data file"
                    + " %s, written under the older partition spec %d, failed: %s",
                table.name(), file.location(), file.specId(), e.getMessage()),
            e);
      }
      return converted;
    }
    if (table.io() instanceof LocalFileIO io) {
      return io.pathOf(file.location()); // a local warehouse is read in place
    }
    Path target = downloads.resolve(UUID.randomUUID() + ".parquet");
    try (InputStream in = table.io().newInputFile(file.location()).newStream()) {
      Files.copy(in, target);
    } catch (NoSuchFileException | FileNotFoundException | NotFoundException e) {
      throw missing(table, file, e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot download " + file.location(), e);
    }
    return target;
  }

  private static IllegalStateException missing(Table table, DataFile file, Exception cause) {
    return new IllegalStateException(
        String.format(
            "Cannot apply writes to table %s: its data file %s is missing",
            table.name(), file.location()),
        cause);
  }
}
