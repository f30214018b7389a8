package io.icecap.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.DataFileSet;

/**
 * Which partitions of a snapshot a compaction rewrites, and which files its snapshot removes.
 *
 * <p>A partition is rewritten when it has at least {@link CompactionOptions#minSmallFiles} data
 * files smaller than three quarters of the target size, or any delete file, or rows of files
 * written under an older partition spec (then every partition those rows fall into is rewritten, in
 * the same snapshot, as an apply job does). The snapshot removes the partitions' data files and the
 * delete files that apply to no other data file ({@link BasePartitions#deletesDroppedWith}), plus
 * the delete files that apply to no data file at all (left by commits that rewrote what they
 * deleted while another partition still needed them).
 */
final class CompactionPlan {
  private final Map<String, BasePartitions.Files> partitions;
  private final Map<String, String> reasons;
  private final DataFileSet data;
  private final List<DeleteFile> deletes;

  private CompactionPlan(
      Map<String, BasePartitions.Files> partitions,
      Map<String, String> reasons,
      DataFileSet data,
      List<DeleteFile> deletes) {
    this.partitions = partitions;
    this.reasons = reasons;
    this.data = data;
    this.deletes = deletes;
  }

  /**
   * Plans the compaction of the snapshot whose files are {@code baseFiles}.
   *
   * @param skipped partitions to leave alone this time (their leases are held by apply jobs); when
   *     one holds rows of older-spec files, every such partition is left alone, since they can only
   *     be rewritten together
   */
  static CompactionPlan of(
      Table table,
      Snapshot snapshot,
      BasePartitions baseFiles,
      CompactionOptions options,
      Set<String> skipped) {
    boolean skipRewritten = baseFiles.rewritten().stream().anyMatch(skipped::contains);
    Map<String, BasePartitions.Files> partitions = new LinkedHashMap<>();
    Map<String, String> reasons = new LinkedHashMap<>();
    long small = options.smallFileBytes();
    for (BasePartitions.Files files : baseFiles.partitions().values()) {
      if (skipped.contains(files.key())
          || (skipRewritten && baseFiles.rewritten().contains(files.key()))) {
        continue;
      }
      long smallFiles = files.data().stream().filter(f -> f.fileSizeInBytes() < small).count();
      String reason = null;
      if (baseFiles.rewritten().contains(files.key())) {
        reason = "rows of files of an older partition spec";
      } else if (!files.deletes().isEmpty()) {
        reason = files.deletes().size() + " delete files";
      } else if (smallFiles >= options.minSmallFiles()) {
        reason = smallFiles + " data files smaller than " + small + " bytes";
      }
      if (reason != null) {
        partitions.put(files.key(), files);
        reasons.put(files.key(), reason);
      }
    }
    DataFileSet data = DataFileSet.create();
    Set<String> dropped = new LinkedHashSet<>();
    for (BasePartitions.Files files : partitions.values()) {
      data.addAll(files.data());
      files.data().forEach(file -> dropped.add(file.location()));
    }
    List<DeleteFile> deletes = new ArrayList<>(baseFiles.deletesDroppedWith(dropped));
    deletes.addAll(unused(table, snapshot, baseFiles));
    return new CompactionPlan(partitions, reasons, data, deletes);
  }

  /** The snapshot's delete files that apply to none of its data files. */
  private static List<DeleteFile> unused(Table table, Snapshot snapshot, BasePartitions baseFiles) {
    List<DeleteFile> unused = new ArrayList<>();
    for (ManifestFile manifest : snapshot.deleteManifests(table.io())) {
      try (ManifestReader<DeleteFile> reader =
          ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())) {
        for (DeleteFile delete : reader) {
          if (!baseFiles.appliesToAnyFile(delete.location())) {
            unused.add(delete.copyWithoutStats());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Cannot read delete manifest " + manifest.path() + " of " + table.name(), e);
      }
    }
    return unused;
  }

  /** The partitions to rewrite, by key. */
  Map<String, BasePartitions.Files> partitions() {
    return partitions;
  }

  /** Why each partition is rewritten, by key. */
  Map<String, String> reasons() {
    return reasons;
  }

  /** Whether the compaction has nothing to do. */
  boolean isEmpty() {
    return partitions.isEmpty() && deletes.isEmpty();
  }

  /** The data files the snapshot removes. */
  DataFileSet data() {
    return data;
  }

  /** The delete files the snapshot removes. */
  List<DeleteFile> deletes() {
    return deletes;
  }

  /** How many files the snapshot removes. */
  long files() {
    return data.size() + deletes.size();
  }

  /** Their sizes, as the manifests give them. */
  long bytes() {
    long bytes = 0;
    for (DataFile file : data) {
      bytes += file.fileSizeInBytes();
    }
    for (DeleteFile file : deletes) {
      bytes += file.fileSizeInBytes();
    }
    return bytes;
  }

  /** The locations of the files the snapshot removes. */
  List<String> locations() {
    List<String> locations = new ArrayList<>();
    data.forEach(file -> locations.add(file.location()));
    deletes.stream().map(ContentFile::location).forEach(locations::add);
    return locations;
  }
}
