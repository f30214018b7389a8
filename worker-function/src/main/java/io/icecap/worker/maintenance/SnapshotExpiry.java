package io.icecap.worker.maintenance;

import io.icecap.worker.JobFiles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.ExpireSnapshots;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.io.FileInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expires the snapshots past the table's retention with Iceberg's {@code expireSnapshots}, and
 * deletes what only they referenced ({@link ExpiredFiles}, deleted in bulk). Then sweeps the DuckDB
 * replicas the replica map no longer names and the staged insert files no unapplied record names.
 */
final class SnapshotExpiry {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotExpiry.class);

  /**
   * A replica whose name carries no fencing token (written by an Icecap version before tokens were
   * in names) is deleted only when older than this: far longer than an apply round takes from
   * uploading its replicas to committing them (a job runs at most 60 s; its leases last 30 s by
   * default and are renewed), so a job of such a version still running is never robbed.
   */
  static final Duration REPLICA_MARGIN = Duration.ofMinutes(10);

  /**
   * A staged insert file no unapplied record names is deleted only when older than this. A submit
   * uploads its staged files before it appends the record that names them, so a file of a submit
   * under way is named by no record yet: the longest submit is the uploads of its other staged
   * files plus the append, which is resent for at most a minute ({@code
   * TableLog.MAX_RESEND_WINDOW}). An hour is far beyond that.
   */
  static final Duration STAGED_MARGIN = Duration.ofHours(1);

  private static final MaintenanceTask TASK = MaintenanceTask.EXPIRE;

  TaskReport run(MaintenanceContext context) {
    long started = System.nanoTime();
    Table table = context.table();
    MaintenancePolicy policy = context.policy();
    MaintenanceProgress progress = context.progress();
    List<String> listed = new ArrayList<>();
    progress.progress(TASK, "expiring snapshots", 0, 1);
    long olderThan = System.currentTimeMillis() - policy.maxSnapshotAge().toMillis();
    TableOperations operations = ((HasTableOperations) table).operations();
    TableMetadata before = operations.refresh();
    List<Snapshot> expired;
    List<Snapshot> retained;
    if (context.dryRun()) {
      expired = expire(table, policy, olderThan).apply();
      Set<Long> ids = ids(expired);
      retained = before.snapshots().stream().filter(s -> !ids.contains(s.snapshotId())).toList();
    } else {
      // the commit is a compare-and-swap of the pointer like every commit: a concurrent apply job's
      // commit makes one of them retry on the other's metadata. The files are not deleted by
      // Iceberg's clean-up, which (for a table with one branch) leaves the files that a retained
      // snapshot deleted until that snapshot expires too; they are found here, by reachability
      // from the snapshots that stay (Iceberg's reachable-file clean-up), and deleted in bulk
      if (!expire(table, policy, olderThan).apply().isEmpty()) {
        // nothing to expire commits nothing, so a table expired every minute does not race its
        // apply jobs for the pointer in vain
        expire(table, policy, olderThan).cleanExpiredFiles(false).commit();
      }
      TableMetadata after = operations.refresh();
      Set<Long> kept = ids(after.snapshots());
      expired = before.snapshots().stream().filter(s -> !kept.contains(s.snapshotId())).toList();
      retained = after.snapshots();
    }
    Map<String, Long> sizes =
        expired.isEmpty()
            ? Map.of()
            : ExpiredFiles.of(table.io(), before, expired, retained, TASK, progress);
    long files;
    long bytes = sizes.values().stream().mapToLong(Long::longValue).sum();
    if (context.dryRun()) {
      files = sizes.size();
      sizes.keySet().forEach(file -> list(listed, file));
    } else {
      List<String> toDelete = List.copyOf(sizes.keySet());
      files = StorageFiles.delete(table.io(), table.name(), toDelete, TASK, progress);
      if (files < toDelete.size()) {
        bytes = 0; // which files failed is not known; their bytes are not claimed
      }
    }
    progress.progress(TASK, "expiring snapshots", 1, 1);
    long[] swept = sweep(context, listed);
    return new TaskReport(
        TASK,
        expired.size(),
        files + swept[0],
        bytes + swept[1],
        0,
        0,
        0,
        context.dryRun() ? listed : List.of(),
        Duration.ofNanos(System.nanoTime() - started));
  }

  private static Set<Long> ids(List<Snapshot> snapshots) {
    Set<Long> ids = new HashSet<>();
    snapshots.forEach(snapshot -> ids.add(snapshot.snapshotId()));
    return ids;
  }

  private static ExpireSnapshots expire(Table table, MaintenancePolicy policy, long olderThan) {
    // history.expire.max-ref-age-ms is read by Iceberg from the same property the policy checked
    return table
        .expireSnapshots()
        .expireOlderThan(olderThan)
        .retainLast(policy.minSnapshotsToKeep());
  }

  /**
   * Deletes the replicas the replica map does not name and the staged files no unapplied record
   * names, that no running job may still commit; returns the files and bytes removed.
   */
  private static long[] sweep(MaintenanceContext context, List<String> listed) {
    Table table = context.table();
    if (!StorageFiles.canList(table.io())) {
      LOG.warn(
          "Not sweeping the replicas and staged files of {}: its FileIO {} cannot list files",
          table.name(),
          table.io().getClass().getName());
      return new long[] {0, 0};
    }
    String replicaDir = JobFiles.replicaLocation(table);
    String stagedDir = JobFiles.stagedLocation(table);
    List<FileInfo> replicas =
        StorageFiles.list(table.io(), table.name(), replicaDir, TASK, context.progress());
    List<FileInfo> staged =
        StorageFiles.list(table.io(), table.name(), stagedDir, TASK, context.progress());
    // read after listing: a file listed was uploaded before, so a job that may still commit it
    // holds its lease now, and a replica committed since is named
    LogReferences references = LogReferences.read(table, context.log());
    long now = System.currentTimeMillis();
    List<FileInfo> unused = new ArrayList<>();
    for (FileInfo file : replicas) {
      String location = file.location();
      if (!location.endsWith(".duckdb")
          || references.replicas().contains(location)
          || references.ofRunningJob(location)) {
        continue;
      }
      boolean tokenNamed = JobFiles.token(location).isPresent();
      if (tokenNamed || file.createdAtMillis() < now - REPLICA_MARGIN.toMillis()) {
        unused.add(file);
      }
    }
    for (FileInfo file : staged) {
      if (!references.staged().contains(file.location())
          && file.createdAtMillis() < now - STAGED_MARGIN.toMillis()) {
        unused.add(file);
      }
    }
    if (!unused.isEmpty()) {
      // a table of a child namespace may be located inside these directories (a table named
      // duckdb in namespace <table>.icecap): its files are never this table's
      List<String> nested =
          OtherTables.under(context.catalog(), table, TASK, context.progress(), false).stream()
              .map(other -> StorageFiles.key(other + "/"))
              .toList();
      unused.removeIf(
          file -> nested.stream().anyMatch(StorageFiles.key(file.location())::startsWith));
    }
    long bytes = unused.stream().mapToLong(FileInfo::size).sum();
    List<String> locations = unused.stream().map(FileInfo::location).toList();
    if (context.dryRun()) {
      locations.forEach(file -> list(listed, file));
      return new long[] {locations.size(), bytes};
    }
    long deleted =
        StorageFiles.delete(table.io(), table.name(), locations, TASK, context.progress());
    return new long[] {deleted, deleted == locations.size() ? bytes : 0};
  }

  private static void list(List<String> listed, String file) {
    if (listed.size() < TaskReport.LISTED_FILES) {
      listed.add(file);
    }
  }
}
