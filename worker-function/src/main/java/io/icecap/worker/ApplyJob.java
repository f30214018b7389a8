package io.icecap.worker;

import static java.util.Objects.requireNonNull;

import io.icecap.replica.DuckDbReplica;
import io.icecap.replica.PartitionImporter;
import io.icecap.replica.ReplicaState;
import io.icecap.txn.log.JobState;
import io.icecap.txn.log.LogEntry;
import io.icecap.txn.log.TableLog;
import io.icecap.txn.log.TransactionLog;
import io.icecap.txn.record.RecordCodec;
import io.icecap.txn.record.RecordStatement;
import io.icecap.txn.record.ReplicaEntry;
import io.icecap.txn.record.TransactionResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionData;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
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

  ApplyJob(
      Catalog catalog,
      TransactionLog logs,
      WorkerSettings settings,
      PartitionCache cache,
      JobHooks hooks) {
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.logs = requireNonNull(logs, "logs is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.cache = requireNonNull(cache, "cache is null");
    this.hooks = requireNonNull(hooks, "hooks is null");
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
    Map<String, BasePartitions.Files> baseFiles = BasePartitions.of(table, base);
    JobPlan plan = JobPlan.of(table, state, entries, baseFiles);
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
    hooks.at(JobStep.LEASED);
    String jobId = UUID.randomUUID().toString();
    Path jobDir = createJobDir(jobId);
    Map<String, WorkingReplica> replicas = new LinkedHashMap<>();
    Checkpoint checkpoint = new Checkpoint(table, base, baseFiles, jobDir);
    boolean committed = false;
    try (LeaseKeeper keeper =
        new LeaseKeeper(log, token.get(), settings.leaseTime(), plan.touched())) {
      // the leases are ours now: a state read before them may miss another job's last commit
      if (!log.state().metadataLocation().equals(state.metadataLocation())) {
        return Outcome.STALE;
      }
      for (Map.Entry<String, PartitionData> partition : plan.partitions().entrySet()) {
        replicas.put(
            partition.getKey(),
            open(table, base, baseFiles, state, partition.getKey(), partition.getValue(), jobDir));
      }
      Map<String, Path> staged = downloadStaged(table, plan, jobDir);
      Map<Long, TransactionResult> results =
          new RecordApplier(identifier, replicas, staged).apply(plan.records());
      hooks.at(JobStep.APPLIED);
      for (WorkingReplica replica : replicas.values()) {
        if (replica.changed()) {
          checkpoint.write(replica, plan.lastSequence());
        }
      }
      hooks.at(JobStep.UPLOADED);
      keeper.checkHeld();
      checkpoint.commit(log, token.get(), results, settings.resultRetention(), jobId);
      committed = true;
      hooks.at(JobStep.COMMITTED);
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

  private WorkingReplica open(
      Table table,
      Snapshot base,
      Map<String, BasePartitions.Files> baseFiles,
      JobState state,
      String key,
      PartitionData partition,
      Path jobDir)
      throws SQLException {
    Path target =
        jobDir.resolve(
            "p" + Integer.toHexString(key.hashCode()) + "-" + UUID.randomUUID() + ".duckdb");
    BasePartitions.Files files = baseFiles.get(key);
    String digest =
        files == null ? BasePartitions.Files.digest(List.of(), List.of()) : files.digest();
    String value = state.replicas().get(key);
    ReplicaEntry entry =
        value == null
            ? null
            : RecordCodec.decode(value, ReplicaEntry.class, "replica entry " + key);
    DuckDbReplica replica;
    if (entry != null
        && entry.files().equals(digest)
        && entry.schemaId() == table.schema().schemaId()
        && entry.specId() == table.spec().specId()) {
      if (!cache.take(entry.duckdb(), target)) {
        download(table, entry.duckdb(), target);
      }
      replica = DuckDbReplica.open(target);
    } else if (files != null) {
      entry = null;
      replica =
          new PartitionImporter(jobDir)
              .importPartition(
                  table, base, table.spec().isPartitioned() ? partition : null, target);
    } else {
      entry = null;
      replica =
          DuckDbReplica.create(
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
    }
    try {
      return WorkingReplica.prepare(key, table.spec(), partition, replica, entry);
    } catch (SQLException | RuntimeException e) {
      replica.close();
      throw e;
    }
  }

  private Map<String, Path> downloadStaged(Table table, JobPlan plan, Path jobDir) {
    Map<String, Path> staged = new LinkedHashMap<>();
    for (JobPlan.Pending record : plan.records()) {
      for (RecordStatement statement : record.record().statements()) {
        if (statement.staged() != null && !staged.containsKey(statement.staged())) {
          Path target = jobDir.resolve("staged-" + staged.size() + ".parquet");
          download(table, statement.staged(), target);
          staged.put(statement.staged(), target);
        }
      }
    }
    return staged;
  }

  private void finishReplicas(
      Map<String, WorkingReplica> replicas, Checkpoint checkpoint, boolean committed) {
    for (WorkingReplica replica : replicas.values()) {
      replica.close();
      if (!committed) {
        continue;
      }
      ReplicaEntry written = checkpoint.entries().get(replica.key());
      if (written != null) {
        cache.put(written.duckdb(), replica.file());
      } else if (replica.origin() != null) {
        cache.put(replica.origin().duckdb(), replica.file());
      }
    }
  }

  private static String metadataLocation(Table table) {
    return ((HasTableOperations) table).operations().current().metadataFileLocation();
  }

  private static void download(Table table, String location, Path target) {
    try (InputStream in = table.io().newInputFile(location).newStream()) {
      Files.copy(in, target);
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
