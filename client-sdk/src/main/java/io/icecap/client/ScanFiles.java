package io.icecap.client;

import io.icecap.replica.DeletionVectors;
import io.icecap.replica.ParquetConverter;
import io.icecap.replica.ReplicaException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.DeleteSchemaUtil;
import org.apache.iceberg.types.TypeUtil;

/**
 * Brings the files of a table scan into the read cache, in parallel, as Parquet files DuckDB reads:
 * Parquet data and delete files as they are; ORC and Avro files converted once with Iceberg's
 * readers ({@link ParquetConverter}); a deletion vector written once as a Parquet position delete
 * file ({@link DeletionVectors}). A file several tasks share is held once.
 */
final class ScanFiles {
  /** A delete file of a task, and the local Parquet file DuckDB reads for it. */
  record LocalDelete(DeleteFile file, String path) {}

  /**
   * A data file of the scan, with the delete files that apply to it (Iceberg's planner gives them
   * by its sequence-number rules).
   *
   * @param location the data file's location, as position delete files name it
   * @param path the local Parquet file DuckDB reads for it
   * @param positions its position delete files and deletion vectors, as Parquet position deletes
   * @param equalities its equality delete files, as Parquet files of the equality columns
   */
  record LocalTask(
      String location, String path, List<LocalDelete> positions, List<LocalDelete> equalities) {
    LocalTask {
      positions = List.copyOf(positions);
      equalities = List.copyOf(equalities);
    }

    boolean hasDeletes() {
      return !positions.isEmpty() || !equalities.isEmpty();
    }
  }

  /** A file held in the cache, and its local path. */
  private record Fetched(ReadPlanner.Held held, Path path) {}

  private final ReadCache cache;
  private final ExecutorService fetchers;

  ScanFiles(ReadCache cache, ExecutorService fetchers) {
    this.cache = cache;
    this.fetchers = fetchers;
  }

  /**
   * Holds the local files of the tasks; each file held is added to {@code held}, also when another
   * fails, so that the caller releases them.
   *
   * @param schema the schema the scan reads with; converted data files get its columns
   */
  List<LocalTask> hold(
      Table table, Schema schema, List<FileScanTask> tasks, List<ReadPlanner.Held> held) {
    Map<String, Supplier<Fetched>> wanted = new LinkedHashMap<>();
    Map<String, String> paths = new HashMap<>();
    for (FileScanTask task : tasks) {
      long rows = task.file().recordCount();
      want(table, task.file(), schema, rows, wanted);
      for (DeleteFile delete : task.deletes()) {
        want(table, delete, schema, rows, wanted);
      }
    }
    List<String> keys = new ArrayList<>(wanted.keySet());
    List<CompletableFuture<Fetched>> fetches = new ArrayList<>();
    for (String key : keys) {
      fetches.add(CompletableFuture.supplyAsync(wanted.get(key), fetchers));
    }
    RuntimeException failure = null;
    for (int i = 0; i < fetches.size(); i++) {
      try {
        Fetched file = fetches.get(i).join();
        held.add(file.held());
        paths.put(keys.get(i), file.path().toString());
      } catch (CompletionException e) {
        failure =
            failure != null
                ? failure
                : e.getCause() instanceof RuntimeException cause
                    ? cause
                    : new UncheckedIOException(new IOException(e.getCause()));
      }
    }
    if (failure != null) {
      throw failure;
    }
    List<LocalTask> local = new ArrayList<>();
    for (FileScanTask task : tasks) {
      List<LocalDelete> positions = new ArrayList<>();
      List<LocalDelete> equalities = new ArrayList<>();
      for (DeleteFile delete : task.deletes()) {
        LocalDelete file = new LocalDelete(delete, paths.get(key(delete, schema)));
        (delete.content() == FileContent.EQUALITY_DELETES ? equalities : positions).add(file);
      }
      local.add(
          new LocalTask(
              task.file().location(), paths.get(key(task.file(), schema)), positions, equalities));
    }
    return local;
  }

  /** What a file is held by: its location, or what it is converted from. */
  private static String key(ContentFile<?> file, Schema schema) {
    String source = file.location() + "#" + file.fileSizeInBytes();
    if (file instanceof DeleteFile delete && DeletionVectors.isDeletionVector(delete)) {
      return source + " deletion vector at " + delete.contentOffset();
    }
    if (file.format() == FileFormat.PARQUET) {
      return file.location();
    }
    return switch (file.content()) {
      case POSITION_DELETES -> source + " as Parquet position deletes";
      case EQUALITY_DELETES ->
          source
              + " as Parquet of fields "
              + ((DeleteFile) file).equalityFieldIds()
              + " of schema "
              + schema.schemaId();
      default -> source + " as Parquet of schema " + schema.schemaId();
    };
  }

  /**
   * Adds how to bring in a file, unless it is wanted already.
   *
   * @param dataFileRows the rows of the data file (the file itself, or the one a delete file
   *     applies to), which bound the positions a deletion vector may delete
   */
  private void want(
      Table table,
      ContentFile<?> file,
      Schema schema,
      long dataFileRows,
      Map<String, Supplier<Fetched>> to) {
    String key = key(file, schema);
    if (to.containsKey(key)) {
      return;
    }
    String location = file.location();
    long size = file.fileSizeInBytes();
    if (file instanceof DeleteFile delete && DeletionVectors.isDeletionVector(delete)) {
      long estimate = delete.contentSizeInBytes() == null ? size : 4 * delete.contentSizeInBytes();
      to.put(
          key,
          () ->
              derived(
                  key,
                  estimate,
                  target -> DeletionVectors.toParquet(table.io(), delete, dataFileRows, target)));
      return;
    }
    switch (file.format()) {
      case PARQUET ->
          to.put(
              key,
              () ->
                  new Fetched(
                      new ReadPlanner.Held(location, size),
                      cache.hold(table.io(), location, size)));
      case ORC, AVRO -> {
        Schema projection =
            switch (file.content()) {
              case POSITION_DELETES -> DeleteSchemaUtil.pathPosSchema();
              case EQUALITY_DELETES ->
                  TypeUtil.select(schema, new HashSet<>(((DeleteFile) file).equalityFieldIds()));
              default -> schema;
            };
        to.put(
            key,
            () ->
                derived(
                    key,
                    size,
                    target ->
                        ParquetConverter.convert(
                            table.io().newInputFile(location, size),
                            file.format(),
                            size,
                            projection,
                            target)));
      }
      default ->
          throw new IcecapException(
              ErrorCode.UNSUPPORTED,
              "Cannot read %s of table %s: it is a %s file; queries read Parquet, ORC and Avro"
                  + " files and Puffin deletion vectors",
              location,
              table.name(),
              file.format());
    }
  }

  private Fetched derived(String key, long estimate, Consumer<Path> writer) {
    Path path =
        cache.holdDerived(
            key,
            estimate,
            target -> {
              try {
                writer.accept(target);
              } catch (ReplicaException e) {
                throw new IcecapException(ErrorCode.STORAGE_ERROR, e, "%s", e.getMessage());
              }
            });
    return new Fetched(new ReadPlanner.Held(key, ReadCache.DERIVED), path);
  }
}
