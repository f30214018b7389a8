package io.icecap.worker.maintenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.PartitionStatisticsFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StatisticsFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Every file a table's metadata references, as {@link StorageFiles#key}s: the current metadata file
 * and those of its metadata log, statistics files, and of every snapshot (all branches and tags,
 * and snapshots no ref reaches yet) its manifest list, manifests and their live data and delete
 * files.
 */
final class ReferencedFiles {
  private ReferencedFiles() {}

  static Set<String> of(Table table, MaintenanceTask task, MaintenanceProgress progress) {
    TableMetadata metadata = ((HasTableOperations) table).operations().current();
    Set<String> files = new HashSet<>();
    files.add(StorageFiles.key(metadata.metadataFileLocation()));
    metadata.previousFiles().forEach(log -> files.add(StorageFiles.key(log.file())));
    for (StatisticsFile statistics : metadata.statisticsFiles()) {
      files.add(StorageFiles.key(statistics.path()));
    }
    for (PartitionStatisticsFile statistics : metadata.partitionStatisticsFiles()) {
      files.add(StorageFiles.key(statistics.path()));
    }
    Map<String, ManifestFile> manifests = new HashMap<>();
    for (Snapshot snapshot : metadata.snapshots()) {
      if (snapshot.manifestListLocation() != null) {
        files.add(StorageFiles.key(snapshot.manifestListLocation()));
      }
      snapshot.allManifests(table.io()).forEach(m -> manifests.put(m.path(), m));
    }
    long read = 0;
    for (ManifestFile manifest : manifests.values()) {
      files.add(StorageFiles.key(manifest.path()));
      try (CloseableIterable<? extends ContentFile<?>> content =
          manifest.content() == ManifestContent.DATA
              ? ManifestFiles.read(manifest, table.io(), metadata.specsById())
              : ManifestFiles.readDeleteManifest(manifest, table.io(), metadata.specsById())) {
        for (ContentFile<?> file : content) {
          files.add(StorageFiles.key(file.location()));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read manifest " + manifest.path(), e);
      }
      progress.progress(task, "reading manifests", ++read, manifests.size());
    }
    return files;
  }
}
