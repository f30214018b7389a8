package io.icecap.worker.maintenance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.iceberg.io.BulkDeletionFailureException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsBulkOperations;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Lists and deletes files of a table's storage for maintenance, reporting progress. */
final class StorageFiles {
  private static final Logger LOG = LoggerFactory.getLogger(StorageFiles.class);
  private static final int BATCH = 1000;

  private StorageFiles() {}

  /** Whether the FileIO can list files by prefix. */
  static boolean canList(FileIO io) {
    return io instanceof SupportsPrefixOperations;
  }

  /**
   * Every file whose location starts with {@code directory} (which ends with {@code /}).
   *
   * @throws UnsupportedOperationException when the FileIO cannot list files
   * @throws IllegalStateException when the listing fails part way; nothing may be deleted then
   */
  static List<FileInfo> list(
      FileIO io,
      String table,
      String directory,
      MaintenanceTask task,
      MaintenanceProgress progress) {
    if (!canList(io)) {
      throw new UnsupportedOperationException(
          String.format(
              "Cannot look for unreferenced files of %s: its FileIO %s cannot list files by"
                  + " prefix (SupportsPrefixOperations); use S3FileIO or Icecap's LocalFileIO",
              table, io.getClass().getName()));
    }
    String parent = directory.substring(0, directory.length() - 1);
    String key = key(directory);
    List<FileInfo> files = new ArrayList<>();
    try {
      // listed without the trailing slash (LocalFileIO lists a directory's files as
      // <prefix>/<name>), then kept only below the directory
      for (FileInfo file : ((SupportsPrefixOperations) io).listPrefix(parent)) {
        if (key(file.location()).startsWith(key)) {
          files.add(file);
          if (files.size() % BATCH == 0) {
            progress.progress(task, "listing files", files.size(), -1);
          }
        }
      }
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          String.format(
              "Cannot list the files of %s under %s: %s; nothing was deleted",
              table, directory, e.getMessage()),
          e);
    }
    progress.progress(task, "listing files", files.size(), files.size());
    return files;
  }

  /**
   * Deletes files, in batches through the FileIO's bulk delete where it has one.
   *
   * @return how many were deleted (a file that could not be deleted is logged and not counted)
   */
  static long delete(
      FileIO io,
      String table,
      List<String> locations,
      MaintenanceTask task,
      MaintenanceProgress progress) {
    long deleted = 0;
    long done = 0;
    progress.progress(task, "deleting files", 0, locations.size());
    for (int from = 0; from < locations.size(); from += BATCH) {
      List<String> batch = locations.subList(from, Math.min(locations.size(), from + BATCH));
      if (io instanceof SupportsBulkOperations bulk) {
        try {
          bulk.deleteFiles(batch);
          deleted += batch.size();
        } catch (BulkDeletionFailureException e) {
          deleted += batch.size() - e.numberFailedObjects();
          LOG.warn(
              "Cannot delete {} of {} files of {}; the next run tries again",
              e.numberFailedObjects(),
              batch.size(),
              table);
        } catch (RuntimeException e) {
          LOG.warn("Cannot delete {} files of {}: {}", batch.size(), table, e.getMessage());
        }
      } else {
        for (String location : batch) {
          try {
            io.deleteFile(location);
            deleted++;
          } catch (RuntimeException e) {
            LOG.warn("Cannot delete {} of {}: {}", location, table, e.getMessage());
          }
        }
      }
      done += batch.size();
      progress.progress(task, "deleting files", done, locations.size());
    }
    return deleted;
  }

  /**
   * A location in one form whatever wrote it, for comparing what metadata names with what storage
   * lists: {@code s3a:} and {@code s3n:} as {@code s3:}, {@code file:} URIs as paths, runs of
   * {@code /} in the path as one.
   */
  static String key(String location) {
    String text = location;
    String scheme = "";
    int colon = text.indexOf(':');
    if (colon > 0 && text.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
      scheme = text.substring(0, colon).toLowerCase(Locale.ROOT);
      text = text.substring(colon + 1);
    }
    if (scheme.equals("file")) {
      scheme = "";
      text = text.startsWith("//") && !text.startsWith("///") ? text.substring(2) : text;
    } else if (scheme.equals("s3a") || scheme.equals("s3n")) {
      scheme = "s3";
    }
    String authority = "";
    if (!scheme.isEmpty() && text.startsWith("//")) {
      int slash = text.indexOf('/', 2);
      authority = slash < 0 ? text : text.substring(0, slash);
      text = slash < 0 ? "" : text.substring(slash);
    }
    text = text.replaceAll("/{2,}", "/");
    return (scheme.isEmpty() ? "" : scheme + ":") + authority + text;
  }
}
