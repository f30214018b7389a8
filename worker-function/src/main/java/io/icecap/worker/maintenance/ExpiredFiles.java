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
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileIO;

/**
 * The files that only expired snapshots reference, with their sizes, found the way Iceberg's
 * reachable-file clean-up finds them: the manifest lists and statistics files of the expired
 * snapshots, their manifests that no retained snapshot lists, and the data and delete files live in
 * those manifests that no retained manifest has live. A dry run reports them; a real run deletes
 * them. Sizes come from the metadata (a manifest's length, a data or delete file's size; a manifest
 * list's size is not known without asking storage, so it counts 0 bytes).
 */
final class ExpiredFiles {
  private ExpiredFiles() {}

  /**
   * The files only the expired snapshots reference, by location, with their sizes.
   *
   * @param before the table's metadata that held the expired snapshots
   * @param expired the snapshots expiry removes (or removed)
   * @param retained every snapshot that stays, including any committed since {@code before}
   */
  static Map<String, Long> of(
      FileIO io,
      TableMetadata before,
      Collection<Snapshot> expired,
      Collection<Snapshot> retained,
      MaintenanceTask task,
      MaintenanceProgress progress) {
    Set<Long> expiredIds = new HashSet<>();
    expired.forEach(snapshot -> expiredIds.add(snapshot.snapshotId()));
    Map<String, ManifestFile> retainedManifests = new HashMap<>();
    for (Snapshot snapshot : retained) {
      snapshot.allManifests(io).forEach(m -> retainedManifests.put(m.path(), m));
    }
    Set<String> retainedStatistics = new HashSet<>();
    for (StatisticsFile statistics : before.statisticsFiles()) {
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
    for (StatisticsFile statistics : before.statisticsFiles()) {
      if (expiredIds.contains(statistics.snapshotId())
          && !retainedStatistics.contains(statistics.path())) {
        removed.put(statistics.path(), statistics.fileSizeInBytes());
      }
    }
    if (removedManifests.isEmpty()) {
      return removed;
    }
    Map<Integer, PartitionSpec> specs = before.specsById();
    Map<String, Long> candidates = new LinkedHashMap<>();
    long read = 0;
    long total = removedManifests.size();
    for (ManifestFile manifest : removedManifests.values()) {
      removed.put(manifest.path(), manifest.length());
      liveFiles(io, specs, manifest, candidates::put);
      progress.progress(task, "reading expired manifests", ++read, total);
    }
    read = 0;
    total = retainedManifests.size();
    for (ManifestFile manifest : retainedManifests.values()) {
      liveFiles(io, specs, manifest, (location, size) -> candidates.remove(location));
      progress.progress(task, "reading retained manifests", ++read, total);
    }
    removed.putAll(candidates);
    return removed;
  }

  private interface FileSink {
    void accept(String location, long size);
  }

  private static void liveFiles(
      FileIO io, Map<Integer, PartitionSpec> specs, ManifestFile manifest, FileSink sink) {
    try (CloseableIterable<? extends ContentFile<?>> files =
        manifest.content() == ManifestContent.DATA
            ? ManifestFiles.read(manifest, io, specs)
            : ManifestFiles.readDeleteManifest(manifest, io, specs)) {
      for (ContentFile<?> file : files) {
        sink.accept(file.location(), file.fileSizeInBytes());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read manifest " + manifest.path(), e);
    }
  }
}
