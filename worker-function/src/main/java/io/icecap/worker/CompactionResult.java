package io.icecap.worker;

import java.util.List;

/**
 * What a compaction did, or in a dry run would do.
 *
 * @param partitions the partitions rewritten, by path
 * @param filesRemoved data and delete files the snapshot removed from the table
 * @param bytesRemoved their sizes, as the manifests give them
 * @param filesWritten data files written
 * @param bytesWritten their sizes
 * @param manifestsRewritten small manifests rewritten into fewer, clustered by partition
 * @param files in a dry run, the data and delete files that would be removed; else empty
 * @param snapshotId the snapshot that removed the files, or null when none was committed
 * @param gaveUp why the compaction gave up (conflicting commits, leases held by apply jobs) with
 *     nothing changed, or null
 */
public record CompactionResult(
    List<String> partitions,
    long filesRemoved,
    long bytesRemoved,
    long filesWritten,
    long bytesWritten,
    int manifestsRewritten,
    List<String> files,
    Long snapshotId,
    String gaveUp) {
  /** Copies the lists. */
  public CompactionResult {
    partitions = List.copyOf(partitions);
    files = List.copyOf(files);
  }

  static CompactionResult gaveUp(String reason) {
    return new CompactionResult(List.of(), 0, 0, 0, 0, 0, List.of(), null, reason);
  }

  CompactionResult withManifests(int manifests) {
    return new CompactionResult(
        partitions,
        filesRemoved,
        bytesRemoved,
        filesWritten,
        bytesWritten,
        manifests,
        files,
        snapshotId,
        gaveUp);
  }
}
