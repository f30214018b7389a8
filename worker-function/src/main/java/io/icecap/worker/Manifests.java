package io.icecap.worker;

import java.util.List;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.util.PropertyUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites the small data manifests of a table's current snapshot into manifests of the target
 * manifest size ({@code commit.manifest.target-size-bytes}), clustered by partition: the partitions
 * are spread over as many groups as target-size manifests the entries fill, so a manifest holds
 * whole partitions and scan planning skips the others by the manifest's partition summary.
 */
final class Manifests {
  private static final Logger LOG = LoggerFactory.getLogger(Manifests.class);

  private Manifests() {}

  /**
   * Rewrites the manifests when the current snapshot has at least {@link
   * CompactionOptions#minSmallFiles} smaller than the target size; commits through the catalog's
   * compare-and-swap (a conflict with a concurrent commit is retried by Iceberg; one that still
   * fails leaves the manifests as they were, with a warning).
   *
   * @return how many manifests were rewritten (in a dry run: would be)
   */
  static int rewrite(Table table, CompactionOptions options, String worker) {
    table.refresh();
    Snapshot current = table.currentSnapshot();
    if (current == null) {
      return 0;
    }
    long target =
        PropertyUtil.propertyAsLong(
            table.properties(),
            TableProperties.MANIFEST_TARGET_SIZE_BYTES,
            TableProperties.MANIFEST_TARGET_SIZE_BYTES_DEFAULT);
    List<ManifestFile> small =
        current.dataManifests(table.io()).stream().filter(m -> m.length() < target).toList();
    if (small.size() < Math.max(2, options.minSmallFiles()) || options.dryRun()) {
      return small.size() < Math.max(2, options.minSmallFiles()) ? 0 : small.size();
    }
    long bytes = small.stream().mapToLong(ManifestFile::length).sum();
    int groups = (int) Math.max(1, Math.min(small.size() - 1L, (bytes + target - 1) / target));
    try {
      table
          .rewriteManifests()
          .rewriteIf(manifest -> manifest.length() < target)
          .clusterBy(
              file -> {
                PartitionSpec spec = table.specs().get(file.specId());
                int hash = spec.partitionToPath(file.partition()).hashCode();
                return file.specId() + "/" + Math.floorMod(hash, groups);
              })
          .set(Checkpoint.SUMMARY_WORKER, worker)
          .set(Compactor.SUMMARY_OPERATION, "rewrite-manifests")
          .commit();
    } catch (CommitFailedException e) {
      LOG.warn(
          "Cannot rewrite the manifests of {}; they stay as they are: {}",
          table.name(),
          e.getMessage());
      return 0;
    }
    LOG.info("Rewrote {} small manifests of {} into {} groups", small.size(), table.name(), groups);
    return small.size();
  }
}
