package io.icecap.worker;

import io.icecap.txn.record.PartitionValues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionData;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;

/** The data and delete files of each partition of a table's snapshot. */
final class BasePartitions {
  private BasePartitions() {}

  /**
   * The files of a partition in the snapshot a job starts from.
   *
   * @param key the partition key
   * @param partition the partition's values
   * @param data its data files
   * @param deletes the delete files that apply to them
   */
  record Files(String key, PartitionData partition, List<DataFile> data, List<DeleteFile> deletes) {
    /** A digest of the file paths, which changes whenever another writer changes the partition. */
    String digest() {
      return digest(data.stream().map(f -> f.location()).toList(), deleteLocations());
    }

    private List<String> deleteLocations() {
      return deletes.stream().map(f -> f.location()).toList();
    }

    static String digest(Collection<String> dataFiles, Collection<String> deleteFiles) {
      try {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (String location : new TreeSet<>(dataFiles)) {
          digest.update(location.getBytes(StandardCharsets.UTF_8));
          digest.update((byte) '\n');
        }
        digest.update((byte) 0);
        for (String location : new TreeSet<>(deleteFiles)) {
          digest.update(location.getBytes(StandardCharsets.UTF_8));
          digest.update((byte) '\n');
        }
        return HexFormat.of().formatHex(digest.digest(), 0, 16);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is not available", e);
      }
    }
  }

  /**
   * Plans the snapshot's files by partition of the table's current spec.
   *
   * @throws UnsupportedOperationException when the snapshot holds files of an older partition spec
   */
  static Map<String, Files> of(Table table, Snapshot snapshot) {
    Map<String, Files> partitions = new LinkedHashMap<>();
    if (snapshot == null) {
      return partitions;
    }
    PartitionSpec spec = table.spec();
    Map<String, Map<String, DeleteFile>> deletes = new LinkedHashMap<>();
    try (CloseableIterable<FileScanTask> tasks =
        table.newScan().useSnapshot(snapshot.snapshotId()).planFiles()) {
      for (FileScanTask task : tasks) {
        DataFile file = task.file();
        if (file.specId() != spec.specId()) {
          throw new UnsupportedOperationException(
              String.format(
                  "Cannot apply writes to table %s: data file %s was written under partition spec"
                      + " %d, not the current spec %d. Rewrite the table's files under the"
                      + " current spec first",
                  table.name(), file.location(), file.specId(), spec.specId()));
        }
        PartitionData partition =
            spec.isPartitioned()
                ? (PartitionData) ((PartitionData) file.partition()).copy()
                : new PartitionData(spec.partitionType());
        String key = PartitionValues.key(spec, partition);
        Files files =
            partitions.computeIfAbsent(
                key, k -> new Files(k, partition, new ArrayList<>(), new ArrayList<>()));
        files.data().add(file.copyWithoutStats());
        Map<String, DeleteFile> partitionDeletes =
            deletes.computeIfAbsent(key, k -> new LinkedHashMap<>());
        for (DeleteFile delete : task.deletes()) {
          partitionDeletes.putIfAbsent(delete.location(), delete);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot plan the files of " + table.name(), e);
    }
    deletes.forEach((key, files) -> partitions.get(key).deletes().addAll(files.values()));
    return partitions;
  }
}
