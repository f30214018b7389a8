package io.icecap.replica;

import static java.util.Objects.requireNonNull;

import io.icecap.catalog.io.LocalFileIO;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DeleteSchemaUtil;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.iceberg.util.StructLikeWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the DuckDB replica of one partition from the table's Iceberg data files as of a snapshot:
 * columns are resolved by field id (so renamed, added, dropped and widened columns read right), and
 * position deletes, deletion vectors and equality deletes are applied. ORC and Avro files are
 * converted to Parquet with Iceberg's readers first ({@link ParquetConverter}), since DuckDB reads
 * Parquet only.
 */
public final class PartitionImporter {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionImporter.class);

  private final Path workDir;
  private final Map<String, Path> shared;

  /**
   * Creates an importer that downloads files under {@code workDir}.
   *
   * @param workDir a local directory for downloaded files; it must exist
   */
  public PartitionImporter(Path workDir) {
    this.workDir = requireNonNull(workDir, "workDir is null");
    this.shared = null;
  }

  /**
   * Creates an importer that keeps the files it downloads in {@code downloads} and in {@code
   * shared} (by location), and takes from there the files an earlier import downloaded: the
   * partitions that rows of older-spec files fall into each read all those files. The caller
   * deletes the directory's files.
   *
   * @param downloads a local directory for downloaded files; it must exist
   * @param shared the files downloaded so far, by location; updated as files are downloaded
   */
  public PartitionImporter(Path downloads, Map<String, Path> shared) {
    this.workDir = requireNonNull(downloads, "downloads is null");
    this.shared = requireNonNull(shared, "shared is null");
  }

  /**
   * Builds a new replica file holding the rows of one partition as of a snapshot.
   *
   * @param table the table
   * @param snapshot the snapshot to read, or null for an empty replica of a table with none
   * @param partition the partition under the table's current spec, or null when unpartitioned
   * @param target the replica file to create; it must not exist
   * @return the open replica; its state names the snapshot and sequence 0
   * @throws ReplicaException when a file is missing, corrupt, or of a kind not supported; the
   *     target file is then removed
   */
  public DuckDbReplica importPartition(
      Table table, Snapshot snapshot, StructLike partition, Path target) {
    PartitionSpec spec = table.spec();
    String partitionPath = spec.isPartitioned() ? spec.partitionToPath(partition) : "";
    String what =
        "partition " + (partitionPath.isEmpty() ? "(all)" : partitionPath) + " of " + table;
    // the latest state reads with the table's schema (columns added since the last commit
    // included); an older snapshot reads with its own schema, as Iceberg's time travel does
    Snapshot current = table.currentSnapshot();
    Schema schema =
        snapshot == null || (current != null && current.snapshotId() == snapshot.snapshotId())
            ? table.schema()
            : SnapshotUtil.schemaFor(table, snapshot.snapshotId());
    ReplicaState state =
        new ReplicaState(
            table.uuid().toString(),
            table.name(),
            spec.specId(),
            partitionPath,
            snapshot == null ? null : snapshot.snapshotId(),
            schema.schemaId(),
            0);
    Path downloads = shared == null ? createDirectory() : workDir;
    DuckDbReplica replica = DuckDbReplica.create(target, schema, state);
    try {
      if (snapshot != null) {
        Map<String, Path> fetched = shared == null ? new HashMap<>() : shared;
        List<FileScanTask> tasks = plan(table, snapshot, partition, what);
        // files written under an older partition spec may hold rows of this partition among
        // others: their rows are filtered by the current spec's transforms
        boolean olderSpecs = tasks.stream().anyMatch(t -> t.file().specId() != spec.specId());
        String olderSpecFilter =
            olderSpecs && spec.isPartitioned()
                ? PartitionSql.register(replica.connection(), spec).predicate(partition)
                : null;
        for (FileScanTask task : tasks) {
          String rowFilter = task.file().specId() == spec.specId() ? null : olderSpecFilter;
          insert(replica, table, schema, task, rowFilter, fetched, downloads, what);
        }
      }
      replica.checkpoint();
      return replica;
    } catch (RuntimeException e) {
      replica.close();
      deleteReplicaFiles(target);
      throw e;
    } finally {
      if (shared == null) {
        deleteTree(downloads);
      }
    }
  }

  private static List<FileScanTask> plan(
      Table table, Snapshot snapshot, StructLike partition, String what) {
    PartitionSpec spec = table.spec();
    StructLikeWrapper wanted =
        spec.isPartitioned()
            ? StructLikeWrapper.forType(spec.partitionType()).set(partition)
            : null;
    List<FileScanTask> tasks = new ArrayList<>();
    try (CloseableIterable<FileScanTask> planned =
        table.newScan().useSnapshot(snapshot.snapshotId()).planFiles()) {
      for (FileScanTask task : planned) {
        DataFile file = task.file();
        if (file.specId() != spec.specId()) {
          tasks.add(task); // filtered row by row on insert
        } else if (wanted == null
            || StructLikeWrapper.forType(spec.partitionType())
                .set(file.partition())
                .equals(wanted)) {
          tasks.add(task);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot plan the files of " + what, e);
    }
    return tasks;
  }

  private static void insert(
      DuckDbReplica replica,
      Table table,
      Schema schema,
      FileScanTask task,
      String rowFilter,
      Map<String, Path> fetched,
      Path downloads,
      String what) {
    DataFile data = task.file();
    long rows = data.recordCount();
    Path local = parquetOf(table, data, schema, rows, fetched, downloads, what);
    List<String> positionDeletes = new ArrayList<>();
    List<String> conditions = new ArrayList<>();
    for (DeleteFile delete : task.deletes()) {
      if (delete.content() == FileContent.POSITION_DELETES) {
        Path deleteFile =
            parquetOf(
                table, delete, DeleteSchemaUtil.pathPosSchema(), rows, fetched, downloads, what);
        positionDeletes.add(DuckDbTypes.literal(deleteFile.toString()));
      } else {
        Schema keys = TypeUtil.select(schema, new HashSet<>(delete.equalityFieldIds()));
        Path deleteFile = parquetOf(table, delete, keys, rows, fetched, downloads, what);
        conditions.add(equalityCondition(schema, delete, deleteFile, what));
      }
    }
    if (rowFilter != null) {
      conditions.add("(" + rowFilter + ")");
    }
    if (!positionDeletes.isEmpty()) {
      conditions.add(
          "d.file_row_number NOT IN (SELECT pos FROM read_parquet(["
              + String.join(", ", positionDeletes)
              + "]) WHERE file_path = "
              + DuckDbTypes.literal(data.location())
              + ")");
    }
    try (Statement statement = replica.connection().createStatement()) {
      NestedFieldMapping names = NestedFieldMapping.of(replica.connection(), local.toString());
      List<String> columns = new ArrayList<>();
      Map<Integer, String> readTypes = new HashMap<>();
      for (Types.NestedField field : schema.columns()) {
        String column = "d." + DuckDbTypes.quote(field.name());
        if (names.matches(field.type())) {
          columns.add(column);
        } else {
          // struct fields renamed since the file was written: read by the file's names
          readTypes.put(field.fieldId(), names.readType(field.type()));
          columns.add(names.rename(column, field.type()));
        }
      }
      String sql =
          "INSERT INTO "
              + DuckDbReplica.ROWS
              + " SELECT "
              + String.join(", ", columns)
              + " FROM read_parquet("
              + DuckDbTypes.literal(local.toString())
              + ", schema = "
              + DuckDbTypes.fieldIdSchema(schema.columns(), readTypes)
              + ", file_row_number = true) AS d"
              + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions));
      statement.execute(sql);
    } catch (SQLException e) {
      throw new ReplicaException(
          e,
          "Cannot build the DuckDB replica of %s from data file %s%s: %s",
          what,
          data.location(),
          task.deletes().isEmpty() ? "" : " and its " + task.deletes().size() + " delete file(s)",
          e.getMessage());
    }
  }

  /** Rows whose equality columns match a row of the delete file are left out (nulls match). */
  private static String equalityCondition(
      Schema schema, DeleteFile delete, Path deleteFile, String what) {
    List<Types.NestedField> fields = new ArrayList<>();
    List<String> matches = new ArrayList<>();
    for (int id : delete.equalityFieldIds()) {
      Types.NestedField field = schema.findField(id);
      if (field == null) {
        throw new ReplicaException(
            "Cannot apply equality delete file %s to %s: its field id %d is not in the schema",
            delete.location(), what, id);
      }
      fields.add(field);
      String column = DuckDbTypes.quote(field.name());
      matches.add("e." + column + " IS NOT DISTINCT FROM d." + column);
    }
    return "NOT EXISTS (SELECT 1 FROM read_parquet("
        + DuckDbTypes.literal(deleteFile.toString())
        + ", schema = "
        + DuckDbTypes.fieldIdSchema(fields, Map.of())
        + ") AS e WHERE "
        + String.join(" AND ", matches)
        + ")";
  }

  /**
   * The local Parquet file of a table file: a Parquet file fetched as it is; an ORC or Avro file
   * converted with Iceberg's readers (the same rows in the same order, with the projection's
   * columns); a deletion vector written as a Parquet position delete file.
   */
  private static Path parquetOf(
      Table table,
      ContentFile<?> file,
      Schema projection,
      long dataFileRows,
      Map<String, Path> fetched,
      Path downloads,
      String what) {
    boolean dv = file instanceof DeleteFile delete && DeletionVectors.isDeletionVector(delete);
    if (file.format() == FileFormat.PARQUET && !dv) {
      return fetch(table, file, fetched, downloads, what);
    }
    if (!dv && file.format() != FileFormat.ORC && file.format() != FileFormat.AVRO) {
      throw new ReplicaException(
          "Cannot build the DuckDB replica of %s: %s is a %s file; data and delete files are read"
              + " in Parquet, ORC or Avro, and deletion vectors in Puffin",
          what, file.location(), file.format());
    }
    String key =
        dv
            ? file.location() + "@" + ((DeleteFile) file).contentOffset()
            : file.location() + "#" + projection.asStruct();
    return fetched.computeIfAbsent(
        key,
        k -> {
          Path local = downloads.resolve(UUID.randomUUID() + ".parquet");
          try {
            if (dv) {
              DeletionVectors.toParquet(table.io(), (DeleteFile) file, dataFileRows, local);
            } else {
              ParquetConverter.convert(
                  table.io().newInputFile(file.location(), file.fileSizeInBytes()),
                  file.format(),
                  file.fileSizeInBytes(),
                  projection,
                  local);
            }
          } catch (ReplicaException e) {
            throw new ReplicaException(
                e, "Cannot build the DuckDB replica of %s: %s", what, e.getMessage());
          }
          return local;
        });
  }

  private static Path fetch(
      Table table, ContentFile<?> file, Map<String, Path> fetched, Path downloads, String what) {
    return fetched.computeIfAbsent(
        file.location(),
        location -> {
          Path local = downloads.resolve(UUID.randomUUID() + ".parquet");
          try {
            if (table.io() instanceof LocalFileIO) {
              // a local warehouse is read in place
              local = ((LocalFileIO) table.io()).pathOf(location);
              if (!Files.isRegularFile(local)) {
                throw new NotFoundException("File does not exist: %s", location);
              }
            } else {
              try (InputStream in = table.io().newInputFile(location).newStream()) {
                Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
              }
            }
          } catch (NotFoundException e) {
            throw new ReplicaException(
                e, "Cannot build the DuckDB replica of %s: file %s is missing", what, location);
          } catch (IOException e) {
            throw new ReplicaException(
                e,
                "Cannot build the DuckDB replica of %s: cannot read %s: %s",
                what,
                location,
                e.getMessage());
          }
          long expected = file.fileSizeInBytes();
          long actual = local.toFile().length();
          if (expected > 0 && actual != expected) {
            throw new ReplicaException(
                "Cannot build the DuckDB replica of %s: file %s has %d bytes, but the table's"
                    + " metadata says %d (truncated or replaced)",
                what, location, actual, expected);
          }
          return local;
        });
  }

  private Path createDirectory() {
    try {
      return Files.createTempDirectory(workDir, "import-");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a download directory under " + workDir, e);
    }
  }

  private static void deleteReplicaFiles(Path target) {
    for (Path file : List.of(target, Path.of(target + ".wal"))) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        LOG.warn("Cannot delete the unfinished replica file {}", file, e);
      }
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("Cannot delete download directory {}", root, e);
    }
  }
}
