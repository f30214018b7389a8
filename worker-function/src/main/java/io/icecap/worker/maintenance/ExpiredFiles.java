package io.icecap.worker.maintenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StatisticsFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileIO;

/**
 * The files that only expired snapshots reference, with their sizes, found the way Iceberg's
 * reachable-file clean-up finds them: the manifest lists and statistics files of the expired
 * snapshots, their manifests that no retained snapshot lists, and the data and delete files live in
 * those manifests that no retained manifest has live. A dry run reports exactly these; a real run
 * deletes what Iceberg's own clean-up names and takes the sizes from here (a manifest list's size
 * is not known without asking storage, so it counts 0 bytes).
 */
final class ExpiredFiles {
  private ExpiredFiles() {}

  /**
   * The files only the expired snapshots reference, by location, with their sizes.
   *
   * @param table the table before the expiry
   * @param expired the snapshots expiry removes
   */
  static Map<String, Long> of(
      Table table,
      Collection<Snapshot> expired,
      MaintenanceTask task,
      MaintenanceProgress progress) {
    Set<Long> expiredIds = new HashSet<>();
    expired.forEach(snapshot -> expiredIds.add(snapshot.snapshotId()));
    FileIO io = table.io();
    Map<String, ManifestFile> retainedManifests = new HashMap<>();
    Set<String> retainedStatistics = new HashSet<>();
    for (Snapshot snapshot : table.snapshots()) {
      if (!expiredIds.contains(snapshot.snapshotId())) {
        snapshot.allManifests(io).forEach(m -> retainedManifests.put(m.path(), m));
      }
    }
    for (StatisticsFile statistics : table.statisticsFiles()) {
      if (!expiredIds.contains(statistics.snapshotId())) {
        retainedStatistics.add(statistics.path());
      }
    }
    Map<String, Long> removed = new LinkedHashMap<>();
    Map<String, ManifestFile> removedManifests = new HashMap<>();
    for (Snapshot snapshot : expired) {
      if (snapshot.manifestListLocation() != null) {
        removed.put(snapshot.manifestListLocation(), 0L);
      }
      for (ManifestFile manifest : snapshot.allManifests(io)) {
        if (!retainedManifests.containsKey(manifest.path())) {
          removedManifests.put(manifest.path(), manifest);
        }
      }
    }
    for (StatisticsFile statistics : table.statisticsFiles()) {
      if (expiredIds.contains(statistics.snapshotId())
          && !retainedStatistics.contains(statistics.path())) {
        removed.put(statistics.path(), statistics.fileSizeInBytes());
      }
    }
    if (removedManifests.isEmpty()) {
      return removed;
    }
    Map<String, Long> candidates = new LinkedHashMap<>();
    long read = 0;
    long total = removedManifests.size();
    for (ManifestFile manifest : removedManifests.values()) {
      removed.put(manifest.path(), manifest.length());
      liveFiles(table, manifest, (location, size) -> candidates.put(location, size));
      progress.progress(task, "reading expired manifests", ++read, total);
    }
    read = 0;
    total = retainedManifests.size();
    for (ManifestFile manifest : retainedManifests.values()) {
      liveFiles(table, manifest, (location, size) -> candidates.remove(location));
      progress.progress(task, "reading retained manifests", ++read, total);
    }
    removed.putAll(candidates);
    return removed;
  }

  private interface FileSink {
    void accept(String location, long size);
  }

  private static void liveFiles(Table table, ManifestFile manifest, FileSink sink) {
    Map<Integer, PartitionSpec> specs = table.specs();
    try (CloseableIterable<? extends ContentFile<?>> files =
        manifest.content() == ManifestContent.DATA
            ? ManifestFiles.read(manifest, table.io(), specs)
            : ManifestFiles.readDeleteManifest(manifest, table.io(), specs)) {
      for (ContentFile<?> file : files) {
        sink.accept(file.location(), file.fileSizeInBytes());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read manifest " + manifest.path(), e);
    }
  }
}
