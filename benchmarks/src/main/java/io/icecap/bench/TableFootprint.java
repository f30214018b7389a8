package io.icecap.bench;

import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * What a table holds in storage at one moment: every file under its location (listed through its
 * FileIO, a local directory or an S3 prefix alike), by kind, beside what its current snapshot
 * needs.
 *
 * @param files files under the table's location
 * @param bytes their bytes
 * @param metadataFiles of them, files under {@code metadata/}: metadata.json, manifest lists,
 *     manifests
 * @param metadataBytes their bytes
 * @param versionFiles of those, the metadata.json files: the current one and the earlier versions
 *     the table keeps ({@code write.metadata.previous-versions-max})
 * @param versionBytes their bytes
 * @param replicaFiles DuckDB replicas ({@code .duckdb})
 * @param replicaBytes their bytes
 * @param stagedFiles staged inserts ({@code icecap/staged/})
 * @param stagedBytes their bytes
 * @param snapshots snapshots in the table's metadata
 * @param metadataJsonBytes the size of the current {@code metadata.json}
 * @param liveFiles data and delete files of the current snapshot ({@code total-data-files} plus
 *     {@code total-delete-files})
 * @param liveBytes their bytes ({@code total-files-size})
 */
record TableFootprint(
    long files,
    long bytes,
    long metadataFiles,
    long metadataBytes,
    long versionFiles,
    long versionBytes,
    long replicaFiles,
    long replicaBytes,
    long stagedFiles,
    long stagedBytes,
    int snapshots,
    long metadataJsonBytes,
    long liveFiles,
    long liveBytes) {

  /** Bytes under the table's location beyond what its current snapshot's data files take. */
  long beyondLive() {
    return bytes - liveBytes;
  }

  /**
   * Measures a table as it is now (it is refreshed first). A file deleted while the listing runs is
   * left out of it.
   *
   * @throws IllegalArgumentException when the table's FileIO cannot list a prefix
   */
  static TableFootprint of(Table table) {
    table.refresh();
    if (!(table.io() instanceof SupportsPrefixOperations io)) {
      throw new IllegalArgumentException(
          "Cannot list the files of "
              + table.name()
              + ": its FileIO "
              + table.io().getClass().getName()
              + " cannot list a prefix");
    }
    String root = table.location().endsWith("/") ? table.location() : table.location() + "/";
    return of(table, io, root);
  }

  private static TableFootprint of(Table table, SupportsPrefixOperations io, String root) {
    long files = 0;
    long bytes = 0;
    long metadataFiles = 0;
    long metadataBytes = 0;
    long versionFiles = 0;
    long versionBytes = 0;
    long replicaFiles = 0;
    long replicaBytes = 0;
    long stagedFiles = 0;
    long stagedBytes = 0;
    for (FileInfo file : io.listPrefix(root)) {
      files++;
      bytes += file.size();
      // a FileIO may give the location with the root's slash doubled ("t//metadata/...")
      String relative =
          file.location()
              .substring(Math.min(root.length(), file.location().length()))
              .replaceFirst("^/+", "");
      if (relative.startsWith("metadata/")) {
        metadataFiles++;
        metadataBytes += file.size();
        if (relative.endsWith(".metadata.json")) {
          versionFiles++;
          versionBytes += file.size();
        }
      } else if (relative.endsWith(".duckdb")) {
        replicaFiles++;
        replicaBytes += file.size();
      } else if (relative.startsWith("icecap/staged/")) {
        stagedFiles++;
        stagedBytes += file.size();
      }
    }
    int snapshots = 0;
    for (Snapshot ignored : table.snapshots()) {
      snapshots++;
    }
    String metadataJson =
        ((HasTableOperations) table).operations().current().metadataFileLocation();
    long metadataJsonBytes = table.io().newInputFile(metadataJson).getLength();
    Snapshot current = table.currentSnapshot();
    long liveFiles =
        current == null
            ? 0
            : summary(current, SnapshotSummary.TOTAL_DATA_FILES_PROP)
                + summary(current, SnapshotSummary.TOTAL_DELETE_FILES_PROP);
    long liveBytes = current == null ? 0 : summary(current, SnapshotSummary.TOTAL_FILE_SIZE_PROP);
    return new TableFootprint(
        files,
        bytes,
        metadataFiles,
        metadataBytes,
        versionFiles,
        versionBytes,
        replicaFiles,
        replicaBytes,
        stagedFiles,
        stagedBytes,
        snapshots,
        metadataJsonBytes,
        liveFiles,
        liveBytes);
  }

  private static long summary(Snapshot snapshot, String property) {
    String value = snapshot.summary().get(property);
    return value == null ? 0 : Long.parseLong(value);
  }
}
