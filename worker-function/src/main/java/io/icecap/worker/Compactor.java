package io.icecap.worker;

import static java.util.Objects.requireNonNull;

import io.icecap.catalog.CommitRejectedException;
import io.icecap.catalog.TableCommits;
import io.icecap.txn.log.Finish;
import io.icecap.txn.log.JobState;
import io.icecap.txn.log.Lease;
import io.icecap.txn.log.TableLog;
import io.icecap.txn.log.TransactionLog;
import io.icecap.txn.record.RecordCodec;
import io.icecap.txn.record.ReplicaEntry;
import io.icecap.txn.validate.WritableTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.ValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts a table's partitions as an apply job without records: it leases the partitions (so apply
 * jobs and compactions exclude each other per partition, and the fencing token guards the commit),
 * builds each partition's rows (its replica when the replica map entry is current, else from its
 * Iceberg files with their deletes applied), writes them as Parquet files of the target size,
 * sorted by the table's sort order, and commits one {@code replace} snapshot whose pointer swap
 * publishes the partitions' new replicas. A compaction that conflicts with another commit, or finds
 * a partition leased, is planned again from the new snapshot, a few times, then gives up having
 * changed nothing.
 */
final class Compactor {
  private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);

  /** Snapshot summary property: which Icecap operation wrote the snapshot. */
  static final String SUMMARY_OPERATION = "icecap.operation";

  /** The value of {@link #SUMMARY_OPERATION} for compaction snapshots. */
  static final String COMPACTION = "compaction";

  private static final long PAUSE_MILLIS = 200;
  private static final Pattern FILE_PATH = Pattern.compile("file_path=([^,}]+)");

  private final Catalog catalog;
  private final TransactionLog logs;
  private final WorkerSettings settings;
  private final ApplyJob job;
  private final PartitionCache cache;
  private final PartitionTasks tasks;
  private final JobHooks hooks;
  private final Set<LeaseKeeper> held;
  private final Set<TableIdentifier> running = ConcurrentHashMap.newKeySet();

  Compactor(
      Catalog catalog,
      TransactionLog logs,
      WorkerSettings settings,
      ApplyJob job,
      PartitionCache cache,
      PartitionTasks tasks,
      JobHooks hooks,
      Set<LeaseKeeper> held) {
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.logs = requireNonNull(logs, "logs is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.job = requireNonNull(job, "job is null");
    this.cache = requireNonNull(cache, "cache is null");
    this.tasks = requireNonNull(tasks, "tasks is null");
    this.hooks = requireNonNull(hooks, "hooks is null");
    this.held = requireNonNull(held, "held is null");
  }

  /**
   * The owner name of a compaction's leases: not the worker's own, so that the worker's apply jobs
   * find the partitions busy, as another worker's would be, instead of taking the leases over.
   */
  String owner() {
    return settings.owner() + "/compaction";
  }

  CompactionResult compact(
      TableIdentifier identifier, CompactionOptions options, CompactionProgress progress)
      throws SQLException {
    Table table = catalog.loadTable(identifier);
    Optional<String> problem = WritableTables.problem(table);
    if (problem.isPresent()) {
      throw new CompactionRefusedException(
          String.format("Cannot compact %s: %s", identifier, problem.get()));
    }
    if (!running.add(identifier)) {
      return CompactionResult.gaveUp(
          String.format(
              "%s is being compacted by this worker already; nothing was changed", identifier));
    }
    try {
      TableLog log = logs.table(identifier);
      String last = null;
      for (int attempt = 1; attempt <= options.attempts(); attempt++) {
        if (attempt > 1) {
          pause(attempt);
          table.refresh();
        }
        Attempt tried = attempt(table, log, options, progress);
        if (tried.result() != null) {
          return tried.result().withManifests(Manifests.rewrite(table, options, settings.owner()));
        }
        last = tried.problem();
        LOG.info(
            "Compaction of {} (attempt {} of {}) is planned again: {}",
            identifier,
            attempt,
            options.attempts(),
            last);
      }
      String message =
          String.format(
              "Gave up compacting %s after %d attempts; nothing was changed; the last attempt: %s."
                  + " Run it again when the table's writes are quieter",
              identifier, options.attempts(), last);
      LOG.warn(message);
      return CompactionResult.gaveUp(message);
    } finally {
      running.remove(identifier);
    }
  }

  /** The result of one attempt, or why it must be planned again. */
  private record Attempt(CompactionResult result, String problem) {}

  private Attempt attempt(
      Table table, TableLog log, CompactionOptions options, CompactionProgress progress)
      throws SQLException {
    Snapshot base = table.currentSnapshot();
    if (base == null) {
      return new Attempt(result(List.of(), 0, 0, List.of(), List.of(), null), null);
    }
    String jobId = UUID.randomUUID().toString();
    Path jobDir = createJobDir(jobId);
    try {
      BasePartitions baseFiles = BasePartitions.of(table, base, jobDir);
      CompactionPlan plan = CompactionPlan.of(table, base, baseFiles, options, Set.of());
      Set<String> busy = options.dryRun() ? Set.of() : busy(log, plan.partitions().keySet());
      if (!busy.isEmpty()) {
        CompactionPlan rest = CompactionPlan.of(table, base, baseFiles, options, busy);
        if (rest.partitions().isEmpty()) {
          return new Attempt(null, "apply jobs hold the leases of its partitions " + busy);
        }
        LOG.info(
            "Compaction of {} leaves partitions {} alone this time: apply jobs hold their leases",
            table.name(),
            busy);
        plan = rest;
      }
      List<String> keys = List.copyOf(plan.partitions().keySet());
      if (options.dryRun() || plan.isEmpty()) {
        plan.reasons()
            .forEach(
                (key, reason) ->
                    LOG.info(
                        "{} partition '{}' of {}: {}",
                        options.dryRun() ? "Would compact" : "Compacting",
                        key,
                        table.name(),
                        reason));
        return new Attempt(
            result(keys, plan.files(), plan.bytes(), List.of(), plan.locations(), null), null);
      }
      if (keys.isEmpty()) {
        // only delete files that apply to nothing: no partition changes, no lease is needed
        try {
          rewrite(table, base, plan, List.of(), jobId).commit();
        } catch (ValidationException e) {
          return new Attempt(null, "another commit changed its files: " + brief(e));
        }
        table.refresh();
        return new Attempt(
            result(
                keys,
                plan.files(),
                plan.bytes(),
                List.of(),
                List.of(),
                table.currentSnapshot().snapshotId()),
            null);
      }
      Optional<Long> token = log.acquireLeases(owner(), settings.leaseTime(), keys);
      if (token.isEmpty()) {
        return new Attempt(null, "an apply job holds a lease of one of its partitions " + keys);
      }
      return rewrite(table, log, base, baseFiles, plan, token.get(), jobId, jobDir, progress);
    } finally {
      ApplyJob.deleteTree(jobDir);
    }
  }

  /** The partitions among {@code keys} whose lease another job holds now. */
  private Set<String> busy(TableLog log, Set<String> keys) {
    Map<String, Lease> leases = log.state().leases();
    long now = log.serverTime().toEpochMilli();
    Set<String> busy = new TreeSet<>();
    for (String key : keys) {
      Lease lease = leases.get(key);
      if (lease != null && lease.expiresAtMillis() > now && !lease.owner().equals(owner())) {
        busy.add(key);
      }
    }
    return busy;
  }

  private Attempt rewrite(
      Table table,
      TableLog log,
      Snapshot base,
      BasePartitions baseFiles,
      CompactionPlan plan,
      long token,
      String jobId,
      Path jobDir,
      CompactionProgress progress)
      throws SQLException {
    List<String> keys = List.copyOf(plan.partitions().keySet());
    Map<String, WorkingReplica> replicas = new LinkedHashMap<>();
    Checkpoint checkpoint = new Checkpoint(table, base, baseFiles, jobDir, token);
    boolean committed = false;
    try (LeaseKeeper keeper =
        new LeaseKeeper(log, token, settings.leaseTime(), Set.copyOf(keys), held)) {
      hooks.at(JobStep.LEASED);
      // the leases are ours now: an apply job may have committed between the plan and them
      JobState state = log.state();
      if (!state.metadataLocation().equals(metadataLocation(table))) {
        return new Attempt(null, "the table changed while the compaction was planned");
      }
      Map<String, Path> olderSpecFiles = new ConcurrentHashMap<>();
      long sequence = state.watermark();
      for (String key : keys) {
        WorkingReplica replica =
            job.open(
                table,
                base,
                baseFiles,
                state,
                key,
                plan.partitions().get(key).partition(),
                jobDir,
                olderSpecFiles);
        replicas.put(key, replica);
        replica.markChanged();
        if (replica.origin() != null) {
          sequence = Math.max(sequence, replica.origin().sequence());
        }
        progress.partition("read", key, replicas.size(), keys.size());
      }
      checkpoint.writeAll(List.copyOf(replicas.values()), sequence, tasks);
      for (int i = 0; i < keys.size(); i++) {
        progress.partition("written", keys.get(i), i + 1, keys.size());
      }
      hooks.at(JobStep.UPLOADED);
      keeper.checkHeld();
      List<DataFile> written = checkpoint.written();
      RewriteFiles rewrite = rewrite(table, base, plan, written, jobId);
      Map<String, String> entries = new LinkedHashMap<>();
      checkpoint.entries().forEach((key, entry) -> entries.put(key, RecordCodec.encode(entry)));
      Finish finish = new Finish(token, entries, new TreeMap<>());
      try {
        TableCommits.commitWith(
            table,
            (expected, next) -> log.finish(expected, next, finish, settings.resultRetention()),
            rewrite::commit);
      } catch (ValidationException e) {
        return new Attempt(null, "another commit changed its partitions: " + brief(e));
      } catch (CommitRejectedException e) {
        return new Attempt(null, e.getMessage());
      }
      committed = true;
      hooks.at(JobStep.COMMITTED);
      ApplyJob.deleteReplaced(table, state, checkpoint.entries());
      table.refresh();
      LOG.info(
          "Compacted {} partitions of {}: {} files ({} bytes) replaced by {} files",
          keys.size(),
          table.name(),
          plan.files(),
          plan.bytes(),
          written.size());
      return new Attempt(
          result(
              keys,
              plan.files(),
              plan.bytes(),
              written,
              List.of(),
              table.currentSnapshot().snapshotId()),
          null);
    } finally {
      finishReplicas(replicas, checkpoint, committed);
      if (!committed) {
        checkpoint.discard();
      }
    }
  }

  /**
   * The snapshot: a {@code replace} of the partitions' files, validated from the base snapshot. A
   * concurrent append to a partition is kept beside the new files (its rows are not in them); a
   * concurrent delete file for, or removal of, a file being replaced fails the validation, and the
   * compaction is planned again.
   */
  private RewriteFiles rewrite(
      Table table, Snapshot base, CompactionPlan plan, List<DataFile> written, String jobId) {
    RewriteFiles rewrite = table.newRewrite().validateFromSnapshot(base.snapshotId());
    plan.data().forEach(rewrite::deleteFile);
    plan.deletes().forEach(rewrite::deleteFile);
    written.forEach(rewrite::addFile);
    rewrite.set(Checkpoint.SUMMARY_JOB, jobId);
    rewrite.set(Checkpoint.SUMMARY_WORKER, settings.owner());
    rewrite.set(SUMMARY_OPERATION, COMPACTION);
    return rewrite;
  }

  private void finishReplicas(
      Map<String, WorkingReplica> replicas, Checkpoint checkpoint, boolean committed) {
    for (WorkingReplica replica : replicas.values()) {
      ReplicaEntry written = committed ? checkpoint.entries().get(replica.key()) : null;
      if (written == null) {
        PartitionCache.discard(replica);
        continue;
      }
      try {
        cache.putOpen(written.duckdb(), replica);
      } catch (RuntimeException e) {
        LOG.warn("Cannot keep the replica of partition {} in the cache", replica.key(), e);
      }
    }
  }

  private static CompactionResult result(
      List<String> partitions,
      long filesRemoved,
      long bytesRemoved,
      List<DataFile> written,
      List<String> files,
      Long snapshotId) {
    return new CompactionResult(
        partitions,
        filesRemoved,
        bytesRemoved,
        written.size(),
        written.stream().mapToLong(DataFile::fileSizeInBytes).sum(),
        0,
        files,
        snapshotId,
        null);
  }

  /** Iceberg's validation message without the whole description of the file it names. */
  static String brief(ValidationException e) {
    String message = String.valueOf(e.getMessage());
    Matcher file = FILE_PATH.matcher(message);
    int description = message.indexOf("Generic");
    if (description > 0 && file.find()) {
      return message.substring(0, description) + file.group(1);
    }
    return message.length() > 500 ? message.substring(0, 500) + "…" : message;
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(PAUSE_MILLIS * (1L << Math.min(attempt - 2, 5)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting to compact again", e);
    }
  }

  private static String metadataLocation(Table table) {
    return ((HasTableOperations) table).operations().current().metadataFileLocation();
  }

  private Path createJobDir(String jobId) {
    try {
      return Files.createDirectories(settings.workDir().resolve("jobs").resolve(jobId));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the job directory in " + settings.workDir(), e);
    }
  }
}
