package io.icecap.worker;

import io.icecap.txn.record.PartitionValues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionData;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;

/**
 * The data and delete files of each partition of a table's snapshot, by partition of the table's
 * current spec.
 *
 * <p>Data files written under an older partition spec (the spec changed since: a field added or
 * removed, the table partitioned or unpartitioned) may each hold rows of several current
 * partitions. Every current partition their rows fall into is <em>rewritten</em>: its files list
 * all the older-spec files (whose rows the replica takes, filtered by the partition's predicate),
 * and a job that touches any partition rewrites all of them in its snapshot and drops the
 * older-spec files, so every row stays exactly once and the table is left under its current spec.
 *
 * <p>A delete file is dropped by a commit only when every data file it applies to in the snapshot
 * is dropped by it: an equality delete of an unpartitioned spec applies to the files of every
 * partition, and a partition that is not rewritten still needs it. A delete file that stays does
 * not apply to the rewritten files, which get the commit's newer sequence number.
 */
final class BasePartitions {
  private static final BasePartitions NONE = new BasePartitions(Map.of(), Set.of(), Map.of());

  private final Map<String, Files> partitions;
  private final Set<String> rewritten;
  private final Map<String, Set<String>> deleteTargets;

  private BasePartitions(
      Map<String, Files> partitions,
      Set<String> rewritten,
      Map<String, Set<String>> deleteTargets) {
    this.partitions = partitions;
    this.rewritten = rewritten;
    this.deleteTargets = deleteTargets;
  }

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

  /** The files of the snapshot's partitions, by partition key. */
  Map<String, Files> partitions() {
    return partitions;
  }

  /**
   * The keys of the partitions that hold rows of data files written under an older spec: a job that
   * touches any partition rewrites all of these with it.
   */
  Set<String> rewritten() {
    return rewritten;
  }

  /**
   * The delete files a commit that drops the data files at {@code dropped} drops with them: those
   * that apply to no other data file of the snapshot.
   */
  List<DeleteFile> deletesDroppedWith(Set<String> dropped) {
    List<DeleteFile> deletes = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (Files files : partitions.values()) {
      for (DeleteFile delete : files.deletes()) {
        if (seen.add(delete.location())
            && dropped.containsAll(deleteTargets.getOrDefault(delete.location(), Set.of()))) {
          deletes.add(delete);
        }
      }
    }
    return deletes;
  }

  /** Whether the delete file at {@code location} applies to a data file of the snapshot. */
  boolean appliesToAnyFile(String location) {
    return deleteTargets.containsKey(location);
  }

  /**
   * Plans the snapshot's files by partition of the table's current spec.
   *
   * @param workDir a local directory where the partition columns of older-spec files are read
   */
  static BasePartitions of(Table table, Snapshot snapshot, Path workDir) {
    if (snapshot == null) {
      return NONE;
    }
    PartitionSpec spec = table.spec();
    Map<String, Files> partitions = new LinkedHashMap<>();
    Map<String, Map<String, DeleteFile>> deletes = new LinkedHashMap<>();
    Map<String, Set<String>> targets = new LinkedHashMap<>();
    List<DataFile> older = new ArrayList<>();
    Map<String, DeleteFile> olderDeletes = new LinkedHashMap<>();
    try (CloseableIterable<FileScanTask> tasks =
        table.newScan().useSnapshot(snapshot.snapshotId()).planFiles()) {
      for (FileScanTask task : tasks) {
        DataFile file = task.file();
        for (DeleteFile delete : task.deletes()) {
          targets
              .computeIfAbsent(delete.location(), k -> new LinkedHashSet<>())
              .add(file.location());
        }
        if (file.specId() != spec.specId()) {
          older.add(file.copyWithoutStats());
          task.deletes().forEach(delete -> olderDeletes.putIfAbsent(delete.location(), delete));
          continue;
        }
        PartitionData partition =
            spec.isPartitioned()
                ? (PartitionData) ((PartitionData) file.partition()).copy()
                : new PartitionData(spec.partitionType());
        Files files = filesOf(partitions, spec, partition);
        files.data().add(file.copyWithoutStats());
        Map<String, DeleteFile> partitionDeletes =
            deletes.computeIfAbsent(files.key(), k -> new LinkedHashMap<>());
        for (DeleteFile delete : task.deletes()) {
          partitionDeletes.putIfAbsent(delete.location(), delete);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot plan the files of " + table.name(), e);
    }
    Set<String> rewritten = new LinkedHashSet<>();
    if (!older.isEmpty()) {
      for (PartitionData partition : OlderSpecRows.partitions(table, older, workDir)) {
        Files files = filesOf(partitions, spec, partition);
        files.data().addAll(older);
        Map<String, DeleteFile> partitionDeletes =
            deletes.computeIfAbsent(files.key(), k -> new LinkedHashMap<>());
        olderDeletes.forEach(partitionDeletes::putIfAbsent);
        rewritten.add(files.key());
      }
    }
    deletes.forEach((key, files) -> partitions.get(key).deletes().addAll(files.values()));
    return new BasePartitions(partitions, rewritten, targets);
  }

  private static Files filesOf(
      Map<String, Files> partitions, PartitionSpec spec, PartitionData partition) {
    String key = PartitionValues.key(spec, partition);
    return partitions.computeIfAbsent(
        key, k -> new Files(k, partition, new ArrayList<>(), new ArrayList<>()));
  }
}
