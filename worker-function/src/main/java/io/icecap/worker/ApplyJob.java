package io.icecap.worker;

import static java.util.Objects.requireNonNull;

import io.icecap.replica.DuckDbReplica;
import io.icecap.replica.PartitionImporter;
import io.icecap.replica.ReplicaException;
import io.icecap.replica.ReplicaState;
import io.icecap.txn.log.JobState;
import io.icecap.txn.log.LogEntry;
import io.icecap.txn.log.TableLog;
import io.icecap.txn.log.TransactionLog;
import io.icecap.txn.record.RecordStatement;
import io.icecap.txn.record.ReplicaEntry;
import io.icecap.txn.record.TransactionResult;
import io.icecap.txn.validate.RecordCheck;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionData;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One round of an apply job on one table: plan the pending records, take the leases of the
 * partitions they touch, bring those partitions' replicas in, apply the records in place, and
 * checkpoint. A round that fails leaves nothing visible: the next one starts again from the last
 * committed replicas, whose applied sequence numbers say where to resume.
 */
final class ApplyJob {
  private static final Logger LOG = LoggerFactory.getLogger(ApplyJob.class);

  /** What a round did. */
  enum Outcome {
    /** No record was pending. */
    IDLE,
    /** Records were applied and published. */
    APPLIED,
    /** Another worker holds a lease this round needed. */
    BUSY,
    /** The state changed while the round was planned; plan again. */
    STALE
  }

  private final Catalog catalog;
  private final TransactionLog logs;
  private final WorkerSettings settings;
  private final PartitionCache cache;
  private final JobHooks hooks;
  private final PartitionTasks tasks;
  private final RecordCheck check = new RecordCheck();
  private final Set<LeaseKeeper> held;

  /**
   * Creates the job.
   *
   * @param held the worker's keepers of leases, which every round's keeper joins while it holds
   *     leases
   */
  ApplyJob(
      Catalog catalog,
      TransactionLog logs,
      WorkerSettings settings,
      PartitionCache cache,
      PartitionTasks tasks,
      JobHooks hooks,
      Set<LeaseKeeper> held) {
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.logs = requireNonNull(logs, "logs is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.cache = requireNonNull(cache, "cache is null");
    this.hooks = requireNonNull(hooks, "hooks is null");
    this.tasks = requireNonNull(tasks, "tasks is null");
    this.held = requireNonNull(held, "held is null");
  }

  /** Runs one round on the table. */
  Outcome round(TableIdentifier identifier) throws SQLException {
    TableLog log = logs.table(identifier);
    JobState state = log.state();
    if (!state.hasPending()) {
      return Outcome.IDLE;
    }
    Table table = catalog.loadTable(identifier);
    if (!state.metadataLocation().equals(metadataLocation(table))) {
      return Outcome.STALE;
    }
    List<LogEntry> entries =
        log.read(state.watermark() + 1, state.head(), settings.maxRecords() + state.done().size());
    Snapshot base = table.currentSnapshot();
    BasePartitions baseFiles = BasePartitions.of(table, base, settings.workDir().resolve("jobs"));
    JobPlan plan = JobPlan.of(table, state, entries, baseFiles, check);
    if (plan.records().isEmpty()) {
      return Outcome.STALE;
    }
    Optional<Long> token = Optional.of(0L);
    if (!plan.touched().isEmpty()) {
      token = log.acquireLeases(settings.owner(), settings.leaseTime(), plan.touched());
      if (token.isEmpty()) {
        return Outcome.BUSY;
      }
    }
    String jobId = UUID.randomUUID().toString();
    Path jobDir = createJobDir(jobId);
    Map<String, WorkingReplica> replicas = new LinkedHashMap<>();
    Map<String, Path> olderSpecFiles = new java.util.concurrent.ConcurrentHashMap<>();
    Checkpoint checkpoint = new Checkpoint(table, base, baseFiles, jobDir, token.get());
    boolean committed = false;
    try (LeaseKeeper keeper =
        new LeaseKeeper(log, token.get(), settings.leaseTime(), plan.touched(), held)) {
      hooks.at(JobStep.LEASED);
      // the leases are ours now: a state read before them may miss another job's last commit
      if (!log.state().metadataLocation().equals(state.metadataLocation())) {
        return Outcome.STALE;
      }
      for (Map.Entry<String, PartitionData> partition : plan.partitions().entrySet()) {
        WorkingReplica replica =
            open(
                table,
                base,
                baseFiles,
                state,
                partition.getKey(),
                partition.getValue(),
                jobDir,
                olderSpecFiles);
        replicas.put(partition.getKey(), replica);
        if (baseFiles.rewritten().contains(partition.getKey())) {
          replica.markChanged(); // it takes rows of older-spec files, which the commit drops
        }
      }
      Map<String, Path> staged = downloadStaged(table, plan, jobDir);
      Map<Long, TransactionResult> results =
          new RecordApplier(identifier, replicas, staged, tasks, table.schema())
              .apply(plan.records());
      for (WorkingReplica replica : replicas.values()) {
        if (!replica.changed()) {
          replica.connection().rollback();
        }
      }
      hooks.at(JobStep.APPLIED);
      checkpoint.writeAll(
          replicas.values().stream().filter(WorkingReplica::changed).toList(),
          plan.lastSequence(),
          tasks);
      hooks.at(JobStep.UPLOADED);
      keeper.checkHeld();
      checkpoint.commit(
          log, token.get(), results, settings.resultRetention(), jobId, settings.owner());
      committed = true;
      hooks.at(JobStep.COMMITTED);
      deleteApplied(table, staged.keySet());
      deleteReplaced(table, state, checkpoint.entries());
      LOG.debug(
          "Applied records up to {} of {} to {} partitions",
          plan.lastSequence(),
          identifier,
          checkpoint.entries().size());
      return Outcome.APPLIED;
    } finally {
      finishReplicas(replicas, checkpoint, committed);
      if (!committed) {
        checkpoint.discard();
      }
      deleteTree(jobDir);
    }
  }

  /**
   * Opens the working replica of one partition: the one the replica map names when it reflects the
   * partition's files, from the cache or storage, else built from the snapshot's files.
   */
  WorkingReplica open(
      Table table,
      Snapshot base,
      BasePartitions baseFiles,
      JobState state,
      String key,
      PartitionData partition,
      Path jobDir,
      Map<String, Path> olderSpecFiles)
      throws SQLException {
    Path target =
        replicaDir(settings.workDir())
            .resolve(
                "p" + Integer.toHexString(key.hashCode()) + "-" + UUID.randomUUID() + ".duckdb");
    BasePartitions.Files files = baseFiles.partitions().get(key);
    String digest =
        files == null ? BasePartitions.Files.digest(List.of(), List.of()) : files.digest();
    ReplicaEntry entry = ReplicaEntries.decode(table, key, state.replicas().get(key));
    boolean current =
        entry != null
            && entry.files().equals(digest)
            && entry.schemaId() == table.schema().schemaId()
            && entry.specId() == table.spec().specId();
    if (current) {
      WorkingReplica kept = cache.takeOpen(entry.duckdb());
      if (kept != null) {
        try {
          return kept.resume(entry);
        } catch (SQLException | RuntimeException e) {
          PartitionCache.discard(kept);
          throw e;
        }
      }
    }
    DuckDbReplica replica = null;
    try {
      replica = current ? copy(table, entry, key, target) : null;
      if (replica == null) {
        current = false;
      }
      replica =
          replica != null
              ? replica
              : files != null
                  ? importer(baseFiles.rewritten().contains(key), jobDir, olderSpecFiles)
                      .importPartition(
                          table, base, table.spec().isPartitioned() ? partition : null, target)
                  : DuckDbReplica.create(
                      target,
                      table.schema(),
                      new ReplicaState(
                          table.uuid().toString(),
                          table.name(),
                          table.spec().specId(),
                          key,
                          base == null ? null : base.snapshotId(),
                          table.schema().schemaId(),
                          0));
      return WorkingReplica.prepare(
          key,
          table.spec(),
          partition,
          replica,
          current ? entry : null,
          Math.max(1, Runtime.getRuntime().availableProcessors() / settings.partitionThreads()),
          settings.workDir());
    } catch (SQLException | RuntimeException e) {
      if (replica != null) {
        replica.close();
      }
      deleteQuietly(target);
      throw e;
    }
  }

  /**
   * The importer of a partition's Iceberg files. The partitions that rows of older-spec files fall
   * into each read all of those files: they share one download of each, kept in the job directory.
   */
  private static PartitionImporter importer(
      boolean rewritten, Path jobDir, Map<String, Path> olderSpecFiles) {
    if (!rewritten) {
      return new PartitionImporter(jobDir);
    }
    Path downloads = jobDir.resolve("older-spec-files");
    try {
      Files.createDirectories(downloads);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + downloads, e);
    }
    return new PartitionImporter(downloads, olderSpecFiles);
  }

  /**
   * The replica named by the replica map, from the cache or else downloaded, opened; null when it
   * is missing from storage, is not a DuckDB replica, or is the replica of another table or
   * partition (the caller then builds the partition from its Iceberg files). A failure to reach
   * storage is not a missing replica: it fails the job, which is tried again.
   */
  private DuckDbReplica copy(Table table, ReplicaEntry entry, String key, Path target) {
    try {
      if (!cache.take(entry.duckdb(), target)) {
        download(table, entry.duckdb(), target);
      }
    } catch (NotFoundException e) {
      LOG.warn(
          "The replica {} of partition {} of {} is missing from storage; building the partition"
              + " from its Iceberg files",
          entry.duckdb(),
          key,
          table.name());
      deleteQuietly(target);
      return null;
    }
    DuckDbReplica replica;
    try {
      replica = DuckDbReplica.open(target);
    } catch (ReplicaException e) {
      LOG.warn(
          "The replica {} of partition {} of {} is damaged ({}); building the partition from its"
              + " Iceberg files",
          entry.duckdb(),
          key,
          table.name(),
          e.getMessage());
      deleteQuietly(target);
      return null;
    }
    ReplicaState state = replica.state();
    if (!state.tableUuid().equals(table.uuid().toString()) || !state.partitionPath().equals(key)) {
      LOG.warn(
          "The replica {} named for partition {} of {} holds partition '{}' of table {}; building"
              + " the partition from its Iceberg files",
          entry.duckdb(),
          key,
          table.name(),
          state.partitionPath(),
          state.tableUuid());
      replica.close();
      deleteQuietly(target);
      return null;
    }
    return replica;
  }

  /**
   * Deletes the staged insert files of the records this job applied: their results are published
   * with the snapshot, so no job applies them again. A file left by a job that stopped between its
   * commit and here is the orphan clean-up's.
   */
  private static void deleteApplied(Table table, Collection<String> stagedFiles) {
    for (String location : stagedFiles) {
      try {
        table.io().deleteFile(location);
      } catch (RuntimeException e) {
        LOG.warn(
            "Cannot delete the applied staged insert file {} of {}: {}",
            location,
            table.name(),
            e.getMessage());
      }
    }
  }

  /**
   * Deletes the replicas the replica map named, before this job's commit, for the partitions the
   * job wrote: the map names the new ones now, and no job reads a replica the map does not name. A
   * replica left by a job that stopped between its commit and here is snapshot expiry's.
   */
  static void deleteReplaced(Table table, JobState state, Map<String, ReplicaEntry> written) {
    written.forEach(
        (key, entry) -> {
          String previous = ReplicaEntries.replicaFile(table, state.replicas().get(key));
          if (previous == null || previous.equals(entry.duckdb())) {
            return;
          }
          try {
            table.io().deleteFile(previous);
          } catch (RuntimeException e) {
            LOG.warn(
                "Cannot delete the replaced replica {} of partition {} of {}: {}",
                previous,
                key,
                table.name(),
                e.getMessage());
          }
        });
  }

  private Map<String, Path> downloadStaged(Table table, JobPlan plan, Path jobDir) {
    Map<String, Path> staged = new LinkedHashMap<>();
    for (JobPlan.Pending record : plan.records()) {
      if (record.abort() != null) {
        continue;
      }
      for (RecordStatement statement : record.record().statements()) {
        if (statement.staged() != null && !staged.containsKey(statement.staged())) {
          Path target = jobDir.resolve("staged-" + staged.size() + ".parquet");
          try {
            download(table, statement.staged(), target);
            staged.put(statement.staged(), target);
          } catch (NotFoundException e) {
            // the record can never be applied: the applier aborts it for want of its file
            LOG.warn(
                "The staged insert file {} of {} is missing", statement.staged(), table.name());
          }
        }
      }
    }
    return staged;
  }

  /**
   * After a committed job, keeps each replica open in the cache under the location the replica map
   * now names for it; after a failed one, or for a replica the map does not name, closes and
   * deletes it.
   */
  private void finishReplicas(
      Map<String, WorkingReplica> replicas, Checkpoint checkpoint, boolean committed) {
    for (WorkingReplica replica : replicas.values()) {
      ReplicaEntry written = committed ? checkpoint.entries().get(replica.key()) : null;
      String location =
          written != null
              ? written.duckdb()
              : committed && !replica.changed() && replica.origin() != null
                  ? replica.origin().duckdb()
                  : null;
      if (location == null) {
        PartitionCache.discard(replica);
        continue;
      }
      try {
        cache.putOpen(location, replica);
      } catch (RuntimeException e) {
        LOG.warn("Cannot keep the replica of partition {} in the cache", replica.key(), e);
      }
    }
  }

  /** Where a worker's working replicas live while jobs use them or the cache holds them open. */
  static Path replicaDir(Path workDir) {
    return workDir.resolve("replicas");
  }

  private static String metadataLocation(Table table) {
    return ((HasTableOperations) table).operations().current().metadataFileLocation();
  }

  private static void download(Table table, String location, Path target) {
    try (InputStream in = table.io().newInputFile(location).newStream()) {
      Files.copy(in, target);
    } catch (NoSuchFileException | FileNotFoundException e) {
      throw new NotFoundException(e, "Cannot download %s: it does not exist", location);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot download " + location + " to " + target, e);
    }
  }

  private Path createJobDir(String jobId) {
    try {
      return Files.createDirectories(settings.workDir().resolve("jobs").resolve(jobId));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the job directory in " + settings.workDir(), e);
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(ApplyJob::deleteQuietly);
    } catch (IOException e) {
      LOG.warn("Cannot delete {}", dir, e);
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      LOG.warn("Cannot delete {}", path, e);
    }
  }
}
