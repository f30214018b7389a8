package io.icecap.worker.maintenance;

import io.icecap.catalog.RedisCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.util.LocationUtil;
import org.apache.iceberg.util.PropertyUtil;

/**
 * Deletes the files under a table's location that nothing references, older than the grace period:
 * not a live snapshot's (of any branch or tag) manifest list, manifest, data or delete file, not a
 * metadata file (current, or in the metadata log), statistics file, replica the replica map names,
 * staged file of an unapplied record, nor a file of a job that still holds its lease; and never a
 * file under another table's location (tables nest: table {@code a.x} at {@code <wh>/a/x}, table
 * {@code a.x.data} at {@code <wh>/a/x/data}).
 */
final class OrphanFiles {
  /**
   * A hidden temporary file of {@code LocalFileIO} ({@code .<name>.<uuid>.tmp}) is a write under
   * way until it is moved into place; one left by a writer that stopped is deleted only when older
   * than this as well as the grace period, so a short grace never breaks a write in progress.
   */
  static final Duration TEMPORARY_MARGIN = Duration.ofHours(1);

  private static final MaintenanceTask TASK = MaintenanceTask.ORPHANS;

  TaskReport run(MaintenanceContext context) {
    long started = System.nanoTime();
    Table table = context.table();
    String location = LocationUtil.stripTrailingSlash(table.location());
    String directory = location + "/";
    checkNotRoot(context, location);
    if (!PropertyUtil.propertyAsBoolean(
        table.properties(), TableProperties.GC_ENABLED, TableProperties.GC_ENABLED_DEFAULT)) {
      throw new IllegalStateException(
          String.format(
              "Cannot delete orphan files of %s: its property %s is false (its files may be"
                  + " shared with other tables); nothing was deleted",
              table.name(), TableProperties.GC_ENABLED));
    }
    String metadataBefore =
        ((HasTableOperations) table).operations().current().metadataFileLocation();
    List<String> others = OtherTables.under(context.catalog(), table, TASK, context.progress());
    List<FileInfo> listed =
        StorageFiles.list(table.io(), table.name(), directory, TASK, context.progress());
    // what references files is read after the listing: a file listed was written before, so it is
    // in the metadata read now, or its job still holds its lease now, or it is an orphan (or
    // younger than the grace period)
    LogReferences log = LogReferences.read(table, context.log());
    table.refresh();
    Set<String> referenced = ReferencedFiles.of(table, TASK, context.progress());
    checkSameForm(table, metadataBefore, listed, location);
    log.replicas().forEach(file -> referenced.add(StorageFiles.key(file)));
    log.staged().forEach(file -> referenced.add(StorageFiles.key(file)));
    List<String> otherKeys = others.stream().map(other -> StorageFiles.key(other + "/")).toList();
    long now = System.currentTimeMillis();
    long graceCutoff = now - context.policy().orphanGrace().toMillis();
    long temporaryCutoff = Math.min(graceCutoff, now - TEMPORARY_MARGIN.toMillis());
    List<String> orphans = new ArrayList<>();
    List<String> shown = new ArrayList<>();
    long bytes = 0;
    for (FileInfo file : listed) {
      String key = StorageFiles.key(file.location());
      if (referenced.contains(key)
          || log.ofRunningJob(file.location())
          || otherKeys.stream().anyMatch(key::startsWith)) {
        continue;
      }
      long cutoff = isTemporary(file.location()) ? temporaryCutoff : graceCutoff;
      if (file.createdAtMillis() >= cutoff) {
        continue;
      }
      orphans.add(file.location());
      bytes += file.size();
      if (shown.size() < TaskReport.LISTED_FILES) {
        shown.add(file.location());
      }
    }
    long removed = orphans.size();
    if (!context.dryRun()) {
      removed = StorageFiles.delete(table.io(), table.name(), orphans, TASK, context.progress());
      if (removed < orphans.size()) {
        bytes = 0; // which files failed is not known; their bytes are not claimed
      }
    }
    return new TaskReport(
        TASK,
        0,
        removed,
        bytes,
        0,
        0,
        0,
        context.dryRun() ? shown : List.of(),
        Duration.ofNanos(System.nanoTime() - started));
  }

  /** Refuses a table whose location is the warehouse root, or holds it, or is a bucket or root. */
  private static void checkNotRoot(MaintenanceContext context, String location) {
    String key = StorageFiles.key(location);
    String path = key.replaceFirst("^[a-z0-9+.-]+://[^/]*", "");
    boolean root = path.isEmpty() || path.equals("/");
    if (!root && context.catalog() instanceof RedisCatalog redis) {
      String warehouse = StorageFiles.key(redis.warehouseLocation());
      root = warehouse.equals(key) || warehouse.startsWith(key + "/");
    }
    if (root) {
      throw new IllegalStateException(
          String.format(
              "Cannot delete orphan files of %s: its location %s is the warehouse root or holds"
                  + " it, where the files of every table live; nothing was deleted. Move the"
                  + " table to a location of its own",
              context.table().name(), location));
    }
  }

  /**
   * Refuses to go on when the current metadata file lies under the table's location but the listing
   * does not have it in the same form: the metadata would name files in another form than storage
   * lists them (another scheme, another bucket alias), and every file would look orphaned.
   */
  private static void checkSameForm(
      Table table, String metadataFile, List<FileInfo> listed, String location) {
    String current = StorageFiles.key(metadataFile);
    if (!current.startsWith(StorageFiles.key(location + "/"))) {
      return;
    }
    boolean found = listed.stream().anyMatch(f -> StorageFiles.key(f.location()).equals(current));
    if (!found) {
      throw new IllegalStateException(
          String.format(
              "Cannot delete orphan files of %s: listing %s did not find its current metadata file"
                  + " %s, so the listing and the metadata name files differently; nothing was"
                  + " deleted",
              table.name(), location, metadataFile));
    }
  }

  private static boolean isTemporary(String location) {
    String name = location.substring(location.lastIndexOf('/') + 1);
    return name.startsWith(".") && name.endsWith(".tmp");
  }
}
