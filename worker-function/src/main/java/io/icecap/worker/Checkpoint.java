package io.icecap.worker;

import static java.util.Objects.requireNonNull;

import io.icecap.catalog.TableCommits;
import io.icecap.replica.ParquetReplicaWriter;
import io.icecap.txn.log.Finish;
import io.icecap.txn.log.TableLog;
import io.icecap.txn.record.PartitionValues;
import io.icecap.txn.record.RecordCodec;
import io.icecap.txn.record.ReplicaEntry;
import io.icecap.txn.record.TransactionResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.expressions.UnboundTerm;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.transforms.Transform;
import org.apache.iceberg.util.DataFileSet;
import org.apache.iceberg.util.DeleteFileSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's checkpoint: the Parquet and DuckDB replicas of every changed partition written to the
 * table's storage, then one Iceberg snapshot that replaces those partitions' files, whose pointer
 * swap publishes the replica map, the applied records and their results in the same Redis script.
 */
final class Checkpoint {
  private static final Logger LOG = LoggerFactory.getLogger(Checkpoint.class);

  /** Snapshot summary property: the highest sequence number the checkpoint applied. */
  static final String SUMMARY_SEQUENCE = "icecap.sequence";

  /** Snapshot summary property: the id of the job that wrote the snapshot. */
  static final String SUMMARY_JOB = "icecap.job";

  /** Snapshot summary property: the id of the worker that ran the job. */
  static final String SUMMARY_WORKER = "icecap.worker";

  private final Table table;
  private final Snapshot base;
  private final BasePartitions baseFiles;
  private final Path workDir;
  private final long token;
  private final List<String> uploaded = Collections.synchronizedList(new ArrayList<>());
  private final List<DataFile> written = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, ReplicaEntry> entries = new LinkedHashMap<>();

  /**
   * @param token the fencing token of the job's leases, which starts the names of the files it
   *     uploads ({@link JobFiles})
   */
  Checkpoint(Table table, Snapshot base, BasePartitions baseFiles, Path workDir, long token) {
    this.table = requireNonNull(table, "table is null");
    this.token = token;
    this.base = base;
    this.baseFiles = requireNonNull(baseFiles, "baseFiles is null");
    this.workDir = requireNonNull(workDir, "workDir is null");
  }

  /**
   * Writes both replicas of each changed partition, partitions in parallel. The job's open DuckDB
   * transaction is committed together with the replica's new state, then the replica is uploaded
   * after a {@code CHECKPOINT}, which leaves its file complete and its write-ahead log empty; it
   * stays open, with no transaction, for the next job.
   */
  void writeAll(List<WorkingReplica> changed, long sequence, PartitionTasks tasks)
      throws SQLException {
    List<Callable<ReplicaEntry>> writes = new ArrayList<>();
    for (WorkingReplica replica : changed) {
      writes.add(() -> write(replica, sequence));
    }
    List<ReplicaEntry> written;
    try {
      written = tasks.runAll(writes);
    } catch (UpdateBatch.DuplicateKeys e) {
      throw new IllegalStateException("A checkpoint found duplicate keys", e);
    }
    for (int i = 0; i < changed.size(); i++) {
      entries.put(changed.get(i).key(), written.get(i));
    }
  }

  private ReplicaEntry write(WorkingReplica replica, long sequence) throws SQLException {
    replica
        .replica()
        .updateState(
            replica
                .replica()
                .state()
                .advancedTo(sequence, base == null ? null : base.snapshotId()));
    replica.connection().commit();
    replica.connection().setAutoCommit(true);
    long rows;
    try (Statement statement = replica.connection().createStatement();
        ResultSet count = statement.executeQuery("SELECT count(*) FROM rows")) {
      count.next();
      rows = count.getLong(1);
    }
    replica.replica().checkpoint();
    PartitionSpec spec = table.spec();
    StructLike partition = spec.isPartitioned() ? replica.partition() : null;
    List<DataFile> files =
        new ParquetReplicaWriter(workDir, JobFiles.prefix(token))
            .write(replica.connection(), "rows", table, partition);
    written.addAll(files);
    String key = replica.key();
    String location =
        ReplicaEntries.location(table)
            + (key.isEmpty() ? "" : key + "/")
            + JobFiles.prefix(token)
            + UUID.randomUUID()
            + ".duckdb";
    long bytes = upload(replica.file(), table.io(), location);
    uploaded.add(location);
    return new ReplicaEntry(
        location,
        sequence,
        BasePartitions.Files.digest(files.stream().map(DataFile::location).toList(), List.of()),
        table.schema().schemaId(),
        spec.specId(),
        PartitionValues.toJson(spec, replica.partition()),
        rows,
        bytes);
  }

  /** The data files written so far. */
  List<DataFile> written() {
    return List.copyOf(written);
  }

  /** The replica map entries of the partitions written so far. */
  Map<String, ReplicaEntry> entries() {
    return entries;
  }

  /**
   * Commits the snapshot and publishes the results, or, when no partition changed, publishes the
   * results alone.
   */
  void commit(
      TableLog log,
      long token,
      Map<Long, TransactionResult> results,
      Duration resultRetention,
      String jobId,
      String worker) {
    Map<String, String> replicaValues = new LinkedHashMap<>();
    entries.forEach((key, entry) -> replicaValues.put(key, RecordCodec.encode(entry)));
    SortedMap<Long, String> encoded = new TreeMap<>();
    results.forEach((sequence, result) -> encoded.put(sequence, RecordCodec.encode(result)));
    Finish finish = new Finish(entries.isEmpty() ? 0 : token, replicaValues, encoded);
    if (entries.isEmpty()) {
      log.finish(null, null, finish, resultRetention);
      return;
    }
    OverwriteFiles overwrite = table.newOverwrite();
    DataFileSet deletedData = DataFileSet.create();
    DeleteFileSet deletedDeletes = DeleteFileSet.create();
    List<StructLike> partitions = new ArrayList<>();
    Set<String> dropped = new HashSet<>();
    for (String key : entries.keySet()) {
      BasePartitions.Files files = baseFiles.partitions().get(key);
      if (files != null) {
        deletedData.addAll(files.data());
        files.data().forEach(file -> dropped.add(file.location()));
        partitions.add(files.partition());
      }
    }
    if (!Collections.disjoint(entries.keySet(), baseFiles.rewritten())
        && !entries.keySet().containsAll(baseFiles.rewritten())) {
      throw new IllegalStateException(
          String.format(
              "Cannot commit to %s: a checkpoint that drops the files of an older partition spec"
                  + " must rewrite every partition their rows fall into (%s), not only %s",
              table.name(), baseFiles.rewritten(), entries.keySet()));
    }
    // a delete file another partition's files still need stays; it does not apply to the files
    // written here, whose sequence number is newer
    deletedDeletes.addAll(baseFiles.deletesDroppedWith(dropped));
    overwrite.deleteFiles(deletedData, deletedDeletes);
    written.forEach(overwrite::addFile);
    if (base != null) {
      overwrite
          .validateFromSnapshot(base.snapshotId())
          .conflictDetectionFilter(filterOf(table.spec(), partitions))
          .validateNoConflictingData()
          .validateNoConflictingDeletes();
    }
    // the summary stays a few properties whatever the checkpoint wrote: every metadata file keeps
    // the summaries of every snapshot it holds. The partitions' replicas are in the replica map.
    overwrite.set(
        SUMMARY_SEQUENCE, Long.toString(results.keySet().stream().max(Long::compare).orElse(0L)));
    overwrite.set(SUMMARY_JOB, jobId);
    overwrite.set(SUMMARY_WORKER, worker);
    TableCommits.commitWith(
        table,
        (expected, next) -> log.finish(expected, next, finish, resultRetention),
        overwrite::commit);
  }

  /** Deletes what was uploaded, after a failed commit. */
  void discard() {
    FileIO io = table.io();
    for (String location : uploaded) {
      deleteQuietly(io, location);
    }
    for (DataFile file : written) {
      deleteQuietly(io, file.location());
    }
  }

  /**
   * A row filter that selects exactly the given partitions, for Iceberg's conflict validation:
   * another writer's change to any other partition is no conflict.
   */
  @SuppressWarnings("unchecked")
  static Expression filterOf(PartitionSpec spec, List<StructLike> partitions) {
    if (!spec.isPartitioned()) {
      return Expressions.alwaysTrue();
    }
    Expression any = Expressions.alwaysFalse();
    for (StructLike partition : partitions) {
      Expression all = Expressions.alwaysTrue();
      List<PartitionField> fields = spec.fields();
      for (int i = 0; i < fields.size(); i++) {
        PartitionField field = fields.get(i);
        if (field.transform().isVoid()) {
          continue;
        }
        String source = spec.schema().findColumnName(field.sourceId());
        Object value = partition.get(i, Object.class);
        UnboundTerm<Object> term =
            field.transform().isIdentity()
                ? Expressions.ref(source)
                : Expressions.transform(source, (Transform<?, Object>) field.transform());
        all =
            Expressions.and(
                all, value == null ? Expressions.isNull(term) : Expressions.equal(term, value));
      }
      any = Expressions.or(any, all);
    }
    return any;
  }

  private static long upload(Path file, FileIO io, String location) {
    OutputFile output = io.newOutputFile(location);
    try (InputStream in = Files.newInputStream(file);
        OutputStream out = output.createOrOverwrite()) {
      return in.transferTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot upload replica " + file + " to " + location, e);
    }
  }

  private static void deleteQuietly(FileIO io, String location) {
    try {
      io.deleteFile(location);
    } catch (RuntimeException e) {
      LOG.warn("Cannot delete uncommitted file {}", location, e);
    }
  }
}
