package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.testing.OtherEngineFiles;
import io.icecap.testing.RedisServerExtension;
import io.icecap.testing.S3ServerExtension;
import io.icecap.txn.CommitToken;
import io.icecap.txn.SqlStatement;
import io.icecap.txn.log.TableLog;
import io.icecap.txn.record.RecordCodec;
import io.icecap.txn.record.ReplicaEntry;
import io.icecap.worker.maintenance.MaintenanceProgress;
import io.icecap.worker.maintenance.MaintenanceReport;
import io.icecap.worker.maintenance.MaintenanceRequest;
import io.icecap.worker.maintenance.MaintenanceTask;
import io.icecap.worker.maintenance.TableMaintenance;
import io.icecap.worker.maintenance.TablePropertyException;
import io.icecap.worker.maintenance.TaskReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.StreamSupport;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.NullOrder;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction on a warehouse in an S3-API server with a real Redis: small files, other engines'
 * delete files and older-spec files are rewritten into sorted files of the target size in one
 * {@code replace} snapshot, with the rows unchanged; a concurrent commit makes it plan again or
 * give up with nothing changed; apply jobs wait for it; bad input changes nothing.
 */
class CompactionIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  @RegisterExtension static final S3ServerExtension S3 = new S3ServerExtension();

  private static final TableIdentifier ITEMS = TableIdentifier.of("db", "items");
  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "v", Types.StringType.get()));
  private static final long TARGET = 100_000;
  private static final MaintenanceRequest COMPACT =
      new MaintenanceRequest(EnumSet.of(MaintenanceTask.COMPACT), false);
  private static final MaintenanceRequest DRY_RUN =
      new MaintenanceRequest(EnumSet.of(MaintenanceTask.COMPACT), true);

  @TempDir Path work;
  private S3WritePath path;
  private Worker worker;
  private Worker compactor;
  private TableMaintenance maintenance;
  private final List<Consumer<JobStep>> hooks = new CopyOnWriteArrayList<>();
  private final Random random = new Random(20261208L);

  @BeforeEach
  void setUp() {
    path = S3WritePath.start(REDIS, S3.server(), work, properties -> S3WritePath.NO_INVOKER);
    worker =
        new Worker(
            path.catalog,
            path.logs,
            WorkerSettings.defaults("w1", work.resolve("w1")),
            JobHooks.NONE);
    compactor =
        new Worker(
            path.catalog,
            path.logs,
            WorkerSettings.defaults("c1", work.resolve("c1")),
            step -> hooks.forEach(hook -> hook.accept(step)));
    maintenance = new TableMaintenance(path.catalog, path.logs, compactor, "c1-maintenance");
  }

  @AfterEach
  void tearDown() {
    compactor.close();
    worker.close();
    path.close();
  }

  @Test
  void manySmallFilesBecomeFewFilesOfTheTargetSizeWithTheSameRows() throws Exception {
    Table table = create(PartitionSpec.builderFor(SCHEMA).bucket("id", 2).build(), Map.of());
    appendSmallFiles(table, 20, 1000, 0);
    table.refresh();
    List<String> before = rows(table);
    List<DataFile> oldFiles = dataFiles(table);
    assertThat(oldFiles).hasSize(40);
    assertThat(table.currentSnapshot().dataManifests(table.io())).hasSize(20);
    List<String> progress = new CopyOnWriteArrayList<>();

    MaintenanceReport report =
        maintenance.run(
            ITEMS,
            COMPACT,
            (task, step, done, total) -> progress.add(step + " " + done + "/" + total));

    table.refresh();
    assertThat(rows(table)).containsExactlyElementsOf(before);
    List<DataFile> files = dataFiles(table);
    assertThat(files).hasSizeBetween(4, 12);
    Map<String, List<Long>> sizes = new LinkedHashMap<>();
    for (DataFile file : files) {
      sizes
          .computeIfAbsent(table.spec().partitionToPath(file.partition()), k -> new ArrayList<>())
          .add(file.fileSizeInBytes());
    }
    assertThat(sizes).hasSize(2);
    sizes.forEach(
        (partition, partitionSizes) -> {
          // every file but a partition's last is about the target size
          List<Long> sorted = new ArrayList<>(partitionSizes);
          Collections.sort(sorted);
          for (long size : sorted.subList(1, sorted.size())) {
            assertThat(size)
                .as("a file of %s: %s", partition, sorted)
                .isBetween(TARGET / 2, TARGET * 2);
          }
        });
    TaskReport task = report.tasks().get(0);
    assertThat(task.partitions()).isEqualTo(2);
    assertThat(task.filesRemoved()).isEqualTo(40);
    assertThat(task.bytesRemoved())
        .isEqualTo(oldFiles.stream().mapToLong(DataFile::fileSizeInBytes).sum());
    assertThat(task.filesWritten()).isEqualTo(files.size());
    assertThat(task.bytesWritten())
        .isEqualTo(files.stream().mapToLong(DataFile::fileSizeInBytes).sum());
    assertThat(progress)
        .anySatisfy(step -> assertThat(step).startsWith("written partition id_bucket=0 "))
        .anySatisfy(step -> assertThat(step).startsWith("written partition id_bucket=1 "))
        .anySatisfy(step -> assertThat(step).endsWith(" 2/2"));

    Snapshot compaction = compactionSnapshot(table);
    assertThat(compaction.operation()).isEqualTo("replace");
    assertThat(compaction.summary())
        .containsEntry(Compactor.SUMMARY_OPERATION, Compactor.COMPACTION)
        .containsEntry(Checkpoint.SUMMARY_WORKER, "c1")
        .containsKey(Checkpoint.SUMMARY_JOB);
    // the small manifests are rewritten after the compaction
    assertThat(table.currentSnapshot().summary())
        .containsEntry(Compactor.SUMMARY_OPERATION, "rewrite-manifests");
    assertThat(table.currentSnapshot().dataManifests(table.io())).hasSizeLessThan(4);
    assertThat(rows(table)).containsExactlyElementsOf(before);

    // the partitions' replicas are published with the snapshot and name its files
    TableLog log = path.logs.table(ITEMS);
    Map<String, String> replicas = log.state().replicas();
    assertThat(replicas).containsOnlyKeys("id_bucket=0", "id_bucket=1");
    for (Map.Entry<String, String> replica : replicas.entrySet()) {
      ReplicaEntry entry = RecordCodec.decode(replica.getValue(), ReplicaEntry.class, "entry");
      List<String> locations =
          files.stream()
              .filter(f -> table.spec().partitionToPath(f.partition()).equals(replica.getKey()))
              .map(DataFile::location)
              .toList();
      assertThat(entry.files()).isEqualTo(BasePartitions.Files.digest(locations, List.of()));
      assertThat(entry.rows())
          .isEqualTo(locations.isEmpty() ? 0 : rowCount(files, replica.getKey(), table));
    }

    // Icecap's writes apply on the compacted partitions
    CommitToken insert = path.insert(ITEMS, 1_000_000);
    CommitToken update =
        path.orchestrator.submit(
            ITEMS, List.of(SqlStatement.of("UPDATE items SET v = 'x' WHERE id < ?", 10L)));
    assertThat(worker.apply(ITEMS)).isFalse();
    assertThat(path.orchestrator.await(insert, Duration.ofSeconds(5)).totalRows()).isEqualTo(1);
    assertThat(path.orchestrator.await(update, Duration.ofSeconds(5)).totalRows()).isEqualTo(10);
    List<String> expected = new ArrayList<>();
    for (String row : before) {
      long id = Long.parseLong(row.substring(0, row.indexOf(',')));
      expected.add(id < 10 ? id + ",x" : row);
    }
    expected.add("1000000,v1000000");
    table.refresh();
    assertThat(rows(table)).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void otherEnginesPositionAndEqualityDeletesAreRemoved() throws Exception {
    Table table = create(PartitionSpec.builderFor(SCHEMA).bucket("id", 2).build(), Map.of());
    appendSmallFiles(table, 2, 100, 0);
    table.refresh();
    List<DataFile> files = dataFiles(table);
    DataFile first = files.get(0);
    DataFile second =
        files.stream()
            .filter(
                f ->
                    !f.partition()
                        .get(0, Integer.class)
                        .equals(first.partition().get(0, Integer.class)))
            .findFirst()
            .orElseThrow();
    List<String> firstRows = rowsOf(table, first);
    List<String> secondRows = rowsOf(table, second);
    DeleteFile positions =
        OtherEngineFiles.positionDeletes(table, first.partition(), first.location(), 0, 3, 7);
    long deletedId = Long.parseLong(secondRows.get(5).split(",")[0]);
    DeleteFile equality =
        OtherEngineFiles.equalityDeletes(
            table,
            second.partition(),
            List.of("id"),
            List.of(OtherEngineFiles.record(table.schema().select("id"), deletedId)));
    table.newRowDelta().addDeletes(positions).addDeletes(equality).commit();
    table.refresh();
    List<String> before = rows(table);
    assertThat(before)
        .doesNotContain(firstRows.get(0), firstRows.get(3), firstRows.get(7), secondRows.get(5))
        .contains(firstRows.get(1));
    assertThat(deleteFiles(table)).hasSize(2);

    TaskReport report = maintenance.run(ITEMS, COMPACT, MaintenanceProgress.NONE).tasks().get(0);

    table.refresh();
    assertThat(deleteFiles(table)).isEmpty();
    assertThat(liveDeleteFiles(table)).isEmpty();
    assertThat(rows(table)).containsExactlyElementsOf(before);
    assertThat(report.partitions()).isEqualTo(2);
    assertThat(report.filesRemoved()).isEqualTo(4 + 2);
  }

  @Test
  void deleteFilesThatApplyToNoDataFileAreRemovedWithoutRewritingAPartition() throws Exception {
    Table table = create(PartitionSpec.builderFor(SCHEMA).bucket("id", 2).build(), Map.of());
    appendSmallFiles(table, 2, 100, 0);
    table.refresh();
    DataFile file = dataFiles(table).get(0);
    table
        .newRowDelta()
        .addDeletes(
            OtherEngineFiles.positionDeletes(table, file.partition(), file.location(), 0, 1))
        .commit();
    // another engine drops the partition's data files; the position delete file stays, applying
    // to nothing
    var drop = table.newDelete();
    dataFiles(table).stream()
        .filter(
            f -> f.partition().get(0, Integer.class).equals(file.partition().get(0, Integer.class)))
        .forEach(drop::deleteFile);
    drop.commit();
    table.refresh();
    List<String> before = rows(table);
    assertThat(liveDeleteFiles(table)).hasSize(1);
    assertThat(deleteFiles(table)).isEmpty();

    TaskReport report = maintenance.run(ITEMS, COMPACT, MaintenanceProgress.NONE).tasks().get(0);

    table.refresh();
    assertThat(report.partitions()).isZero();
    assertThat(report.filesRemoved()).isEqualTo(1);
    assertThat(liveDeleteFiles(table)).isEmpty();
    assertThat(rows(table)).containsExactlyElementsOf(before);
    assertThat(table.currentSnapshot().operation()).isEqualTo("replace");
    assertThat(table.currentSnapshot().summary())
        .containsEntry(Compactor.SUMMARY_OPERATION, Compactor.COMPACTION);
  }

  @Test
  void aSortedTableGetsSortedFilesFromCompactionAndFromCheckpoints() throws Exception {
    Table table = create(PartitionSpec.builderFor(SCHEMA).bucket("id", 2).build(), Map.of());
    table.replaceSortOrder().asc("v", NullOrder.NULLS_FIRST).desc("id").commit();
    appendSmallFiles(table, 10, 500, 0);
    table.refresh();
    List<String> before = rows(table);

    maintenance.run(ITEMS, COMPACT, MaintenanceProgress.NONE);

    table.refresh();
    assertThat(rows(table)).containsExactlyElementsOf(before);
    List<DataFile> files = dataFiles(table);
    assertThat(files).isNotEmpty();
    for (DataFile file : files) {
      assertSorted(table, file);
    }
    // an apply job's checkpoint writes in the sort order too
    path.orchestrator.submit(
        ITEMS,
        List.of(
            SqlStatement.of(
                "INSERT INTO items VALUES (5000001, 'zz'), (5000002, NULL), (5000003, 'zz')")));
    assertThat(worker.apply(ITEMS)).isFalse();
    table.refresh();
    for (DataFile file : dataFiles(table)) {
      assertSorted(table, file);
    }
  }

  @Test
  void filesOfAnOlderSpecAreRewrittenUnderTheCurrentOneAndWritesApplyAfter() throws Exception {
    Table table = create(PartitionSpec.builderFor(SCHEMA).bucket("id", 2).build(), Map.of());
    appendSmallFiles(table, 3, 200, 0);
    table.updateSpec().addField(Expressions.truncate("v", 1)).commit();
    table.refresh();
    appendSmallFiles(table, 2, 200, 10_000);
    table.refresh();
    List<String> before = rows(table);
    assertThat(dataFiles(table).stream().map(DataFile::specId).distinct()).hasSize(2);
    Thread.sleep(1_100); // the orchestrator refreshes a table's metadata once a second

    TaskReport report = maintenance.run(ITEMS, COMPACT, MaintenanceProgress.NONE).tasks().get(0);

    table.refresh();
    assertThat(rows(table)).containsExactlyElementsOf(before);
    assertThat(dataFiles(table))
        .allSatisfy(f -> assertThat(f.specId()).isEqualTo(table.spec().specId()));
    assertThat(report.partitions()).isEqualTo(4); // bucket 0 and 1, v starting with a or b
    assertThat(table.snapshots())
        .filteredOn(s -> Compactor.COMPACTION.equals(s.summary().get(Compactor.SUMMARY_OPERATION)))
        .hasSize(1);

    CommitToken insert = path.insert(ITEMS, 2_000_000);
    CommitToken delete =
        path.orchestrator.submit(
            ITEMS, List.of(SqlStatement.of("DELETE FROM items WHERE id < ?", 100L)));
    assertThat(worker.apply(ITEMS)).isFalse();
    assertThat(path.orchestrator.await(insert, Duration.ofSeconds(5)).totalRows()).isEqualTo(1);
    assertThat(path.orchestrator.await(delete, Duration.ofSeconds(5)).totalRows()).isEqualTo(100);
    List<String> expected = new ArrayList<>();
    for (String row : before) {
      if (Long.parseLong(row.substring(0, row.indexOf(','))) >= 100) {
        expected.add(row);
      }
    }
    expected.add("2000000,v2000000");
    table.refresh();
    assertThat(rows(table)).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void aConcurrentAppendToACompactedPartitionIsKept() throws Exception {
    Table table = create(PartitionSpec.builderFor(SCHEMA).bucket("id", 2).build(), Map.of());
    appendSmallFiles(table, 6, 200, 0);
    table.refresh();
    List<String> before = new ArrayList<>(rows(table));
    List<String> appended = new ArrayList<>();
    hooks.add(
        once(
            JobStep.UPLOADED,
            () -> appended.addAll(appendSmallFiles(path.catalog.loadTable(ITEMS), 1, 50, 90_000))));

    CompactionResult result = compact(CompactionOptions.DEFAULT_ATTEMPTS);

    assertThat(result.gaveUp()).isNull();
    assertThat(result.partitions()).hasSize(2);
    table.refresh();
    before.addAll(appended);
    assertThat(rows(table)).containsExactlyInAnyOrderElementsOf(before);
    // the replica named for a partition the append changed no longer matches its files: the next
    // job builds the partition from its Iceberg files
    CommitToken update =
        path.orchestrator.submit(
            ITEMS, List.of(SqlStatement.of("UPDATE items SET v = 'y' WHERE id >= ?", 90_000L)));
    assertThat(worker.apply(ITEMS)).isFalse();
    assertThat(path.orchestrator.await(update, Duration.ofSeconds(5)).totalRows()).isEqualTo(50);
  }

  @Test
  void aConcurrentDeleteMakesTheCompactionPlanAgain() throws Exception {
    Table table = create(PartitionSpec.builderFor(SCHEMA).bucket("id", 2).build(), Map.of());
    appendSmallFiles(table, 6, 200, 0);
    table.refresh();
    AtomicInteger deletes = new AtomicInteger();
    List<String> deleted = new CopyOnWriteArrayList<>();
    hooks.add(
        once(
            JobStep.UPLOADED,
            () -> deleted.add(deleteFirstRow(path.catalog.loadTable(ITEMS), deletes))));

    CompactionResult result = compact(CompactionOptions.DEFAULT_ATTEMPTS);

    assertThat(result.gaveUp()).isNull();
    assertThat(deleted).hasSize(1);
    table.refresh();
    assertThat(rows(table)).hasSize(1199).doesNotContain(deleted.get(0));
    assertThat(deleteFiles(table)).isEmpty();
    // one compaction snapshot: the first attempt left nothing behind
    assertThat(table.snapshots())
        .filteredOn(s -> Compactor.COMPACTION.equals(s.summary().get(Compactor.SUMMARY_OPERATION)))
        .hasSize(1);
    assertThat(objects(table.location() + "/data/"))
        .containsExactlyInAnyOrderElementsOf(everCommitted(table));
  }

  @Test
  void aCompactionThatKeepsConflictingGivesUpHavingChangedNothing() throws Exception {
    Table table = create(PartitionSpec.builderFor(SCHEMA).bucket("id", 2).build(), Map.of());
    appendSmallFiles(table, 6, 200, 0);
    table.refresh();
    AtomicInteger deletes = new AtomicInteger();
    List<String> deleted = new CopyOnWriteArrayList<>();
    hooks.add(
        step -> {
          if (step == JobStep.UPLOADED) {
            deleted.add(deleteFirstRow(path.catalog.loadTable(ITEMS), deletes));
          }
        });
    long snapshotsBefore = StreamSupport.stream(table.snapshots().spliterator(), false).count();

    CompactionResult result = compact(3);

    assertThat(result.gaveUp())
        .contains("Gave up compacting db.items after 3 attempts", "nothing was changed");
    assertThat(result.partitions()).isEmpty();
    table.refresh();
    assertThat(deleted).hasSize(3);
    assertThat(rows(table)).hasSize(1197).doesNotContainAnyElementsOf(deleted);
    assertThat(table.snapshots()).hasSize((int) snapshotsBefore + 3);
    assertThat(table.snapshots())
        .noneMatch(s -> Compactor.COMPACTION.equals(s.summary().get(Compactor.SUMMARY_OPERATION)));
    // nothing uploaded by the attempts is left: no data file, no replica
    assertThat(objects(table.location() + "/data/"))
        .containsExactlyInAnyOrderElementsOf(everCommitted(table));
    assertThat(objects(table.location() + "/icecap/duckdb/")).isEmpty();
    assertThat(path.logs.table(ITEMS).state().replicas()).isEmpty();
    assertThat(path.logs.table(ITEMS).state().leases()).isEmpty();
  }

  @Test
  void applyJobsFindCompactedPartitionsBusyAndApplyAfterwards() throws Exception {
    Table table = create(PartitionSpec.builderFor(SCHEMA).bucket("id", 2).build(), Map.of());
    appendSmallFiles(table, 6, 200, 0);
    table.refresh();
    List<String> before = new ArrayList<>(rows(table));
    List<Boolean> pendingDuringCompaction = new CopyOnWriteArrayList<>();
    List<CommitToken> tokens = new CopyOnWriteArrayList<>();
    hooks.add(
        once(
            JobStep.LEASED,
            () -> {
              tokens.add(path.insert(ITEMS, 3_000_000));
              pendingDuringCompaction.add(worker.apply(ITEMS));
            }));

    CompactionResult result = compact(CompactionOptions.DEFAULT_ATTEMPTS);

    assertThat(result.gaveUp()).isNull();
    assertThat(pendingDuringCompaction).containsExactly(true);
    TableLog log = path.logs.table(ITEMS);
    assertThat(log.lastFailure()).as("the apply job did not fail").isEmpty();
    assertThat(worker.apply(ITEMS)).isFalse();
    assertThat(path.orchestrator.await(tokens.get(0), Duration.ofSeconds(5)).totalRows())
        .isEqualTo(1);
    before.add("3000000,v3000000");
    table.refresh();
    assertThat(rows(table)).containsExactlyInAnyOrderElementsOf(before);
  }

  @Test
  void partitionsLeasedByAnApplyJobAreLeftForTheNextCompaction() throws Exception {
    Table table = create(PartitionSpec.builderFor(SCHEMA).bucket("id", 2).build(), Map.of());
    appendSmallFiles(table, 6, 200, 0);
    table.refresh();
    List<String> before = rows(table);
    TableLog log = path.logs.table(ITEMS);
    long token =
        log.acquireLeases("w9", Duration.ofSeconds(30), List.of("id_bucket=0")).orElseThrow();

    CompactionResult first = compact(1);

    assertThat(first.gaveUp()).isNull();
    assertThat(first.partitions()).containsExactly("id_bucket=1");
    assertThat(first.filesRemoved()).isEqualTo(6);
    assertThat(log.state().leases()).containsOnlyKeys("id_bucket=0");
    log.releaseLeases(token, List.of("id_bucket=0"));

    CompactionResult second = compact(1);

    assertThat(second.partitions()).containsExactly("id_bucket=0");
    table.refresh();
    assertThat(rows(table)).containsExactlyElementsOf(before);
    assertThat(dataFiles(table)).hasSize(2);
  }

  @Test
  void aDryRunReportsWhatWouldBeRewrittenAndWritesNothing() throws Exception {
    Table table = create(PartitionSpec.builderFor(SCHEMA).bucket("id", 2).build(), Map.of());
    appendSmallFiles(table, 6, 200, 0);
    table.refresh();
    Snapshot current = table.currentSnapshot();
    int objects = objects(table.location()).size();

    TaskReport report = maintenance.run(ITEMS, DRY_RUN, MaintenanceProgress.NONE).tasks().get(0);

    table.refresh();
    assertThat(table.currentSnapshot().snapshotId()).isEqualTo(current.snapshotId());
    assertThat(objects(table.location())).hasSize(objects);
    assertThat(report.partitions()).isEqualTo(2);
    assertThat(report.filesRemoved()).isEqualTo(12);
    assertThat(report.filesWritten()).isZero();
    assertThat(report.files())
        .containsExactlyInAnyOrderElementsOf(
            dataFiles(table).stream().map(DataFile::location).toList());
    assertThat(path.logs.table(ITEMS).state().leases()).isEmpty();
  }

  @Test
  void partitionsWithFewSmallFilesAndNoDeletesAreLeftAlone() throws Exception {
    Table table = create(PartitionSpec.builderFor(SCHEMA).bucket("id", 2).build(), Map.of());
    appendSmallFiles(table, 4, 200, 0); // four small files per partition, five needed
    table.refresh();
    Snapshot current = table.currentSnapshot();

    TaskReport report = maintenance.run(ITEMS, COMPACT, MaintenanceProgress.NONE).tasks().get(0);

    table.refresh();
    assertThat(report.partitions()).isZero();
    assertThat(report.filesRemoved()).isZero();
    assertThat(table.currentSnapshot().snapshotId()).isEqualTo(current.snapshotId());
  }

  @Test
  void unknownTablesV3TablesAndBadTargetSizesAreRefusedWithNothingWritten() throws Exception {
    assertThatThrownBy(
            () ->
                maintenance.run(
                    TableIdentifier.of("db", "nope"), COMPACT, MaintenanceProgress.NONE))
        .isInstanceOf(NoSuchTableException.class)
        .hasMessageContaining("db.nope");

    Table v3 =
        create(
            PartitionSpec.builderFor(SCHEMA).bucket("id", 2).build(),
            Map.of(TableProperties.FORMAT_VERSION, "3"));
    appendSmallFiles(v3, 6, 50, 0);
    v3.refresh();
    Snapshot current = v3.currentSnapshot();
    assertThatThrownBy(() -> maintenance.run(ITEMS, COMPACT, MaintenanceProgress.NONE))
        .isInstanceOf(CompactionRefusedException.class)
        .hasMessageContaining("Cannot compact db.items")
        .hasMessageContaining("format version 3");
    v3.refresh();
    assertThat(v3.currentSnapshot().snapshotId()).isEqualTo(current.snapshotId());
    path.catalog.dropTable(ITEMS, true);

    Table bad =
        create(
            PartitionSpec.builderFor(SCHEMA).bucket("id", 2).build(),
            Map.of(TableProperties.WRITE_TARGET_FILE_SIZE_BYTES, "ten megabytes"));
    appendSmallFiles(bad, 6, 50, 0);
    bad.refresh();
    current = bad.currentSnapshot();
    int objects = objects(bad.location()).size();
    assertThatThrownBy(() -> maintenance.run(ITEMS, COMPACT, MaintenanceProgress.NONE))
        .isInstanceOf(TablePropertyException.class)
        .hasMessageContaining("write.target-file-size-bytes")
        .hasMessageContaining("ten megabytes");
    bad.refresh();
    assertThat(bad.currentSnapshot().snapshotId()).isEqualTo(current.snapshotId());
    assertThat(objects(bad.location())).hasSize(objects);
  }

  private CompactionResult compact(int attempts) {
    return compactor.compact(
        ITEMS, new CompactionOptions(TARGET, 5, false, attempts), CompactionProgress.NONE);
  }

  private static Consumer<JobStep> once(JobStep at, Runnable action) {
    AtomicInteger runs = new AtomicInteger();
    return step -> {
      if (step == at && runs.getAndIncrement() == 0) {
        action.run();
      }
    };
  }

  private Table create(PartitionSpec spec, Map<String, String> properties) {
    Map<String, String> all = new LinkedHashMap<>(properties);
    all.putIfAbsent(TableProperties.WRITE_TARGET_FILE_SIZE_BYTES, Long.toString(TARGET));
    all.put("icecap.parquet.row-group-rows", "500");
    return path.catalog
        .buildTable(ITEMS, SCHEMA)
        .withPartitionSpec(spec)
        .withProperties(all)
        .create();
  }

  /**
   * Appends {@code files} commits of {@code rows} rows each, ids from {@code firstId} in a shuffled
   * order, one data file per partition per commit, as another engine would; v is 'a' or 'b' (by the
   * id's parity) and 40 random hex digits.
   *
   * @return the rows appended, as {@link #rows} gives them
   */
  private List<String> appendSmallFiles(Table table, int files, int rows, long firstId) {
    List<String> appended = new ArrayList<>();
    long id = firstId;
    for (int f = 0; f < files; f++) {
      List<Record> records = new ArrayList<>();
      for (int r = 0; r < rows; r++, id++) {
        StringBuilder v = new StringBuilder(id % 2 == 0 ? "a" : "b");
        for (int i = 0; i < 40; i++) {
          v.append(Character.forDigit(random.nextInt(16), 16));
        }
        records.add(OtherEngineFiles.record(table.schema(), id, v.toString()));
        appended.add(id + "," + v);
      }
      Collections.shuffle(records, random);
      Map<StructLike, List<Record>> byPartition = new LinkedHashMap<>();
      for (Record record : records) {
        PartitionKey key = OtherEngineFiles.partitionOf(table, record);
        byPartition.computeIfAbsent(key.copy(), k -> new ArrayList<>()).add(record);
      }
      var append = table.newAppend();
      byPartition.forEach(
          (partition, partitionRows) ->
              append.appendFile(OtherEngineFiles.data(table, partition, partitionRows)));
      append.commit();
    }
    return appended;
  }

  /** Deletes the first row of the table's first data file with a position delete. */
  private String deleteFirstRow(Table table, AtomicInteger deletes) {
    DataFile file = dataFiles(table).get(0);
    String row = rowsOf(table, file).get(deletes.get());
    // the file's earlier positions were deleted by earlier calls, when it is the same file
    DeleteFile delete =
        OtherEngineFiles.positionDeletes(
            table, file.partition(), file.location(), deletes.getAndIncrement());
    table.newRowDelta().addDeletes(delete).commit();
    return row;
  }

  private static List<String> rows(Table table) {
    return TestingWritePath.rows(table, "id", "v");
  }

  private static List<DataFile> dataFiles(Table table) {
    List<DataFile> files = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      tasks.forEach(task -> files.add(task.file()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  private static Set<String> deleteFiles(Table table) {
    Set<String> deletes = new HashSet<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      tasks.forEach(task -> task.deletes().forEach(d -> deletes.add(d.location())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return deletes;
  }

  /** The live delete files of the current snapshot's manifests, whatever they apply to. */
  private static List<String> liveDeleteFiles(Table table) throws IOException {
    List<String> deletes = new ArrayList<>();
    for (ManifestFile manifest : table.currentSnapshot().deleteManifests(table.io())) {
      try (ManifestReader<DeleteFile> reader =
          ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())) {
        reader.forEach(d -> deletes.add(d.location()));
      }
    }
    return deletes;
  }

  /** The data and delete files every snapshot of the table added. */
  private static Set<String> everCommitted(Table table) {
    Set<String> files = new HashSet<>();
    for (Snapshot snapshot : table.snapshots()) {
      snapshot.addedDataFiles(table.io()).forEach(f -> files.add(f.location()));
      snapshot.addedDeleteFiles(table.io()).forEach(f -> files.add(f.location()));
    }
    return files;
  }

  private static Snapshot compactionSnapshot(Table table) {
    return StreamSupport.stream(table.snapshots().spliterator(), false)
        .filter(s -> Compactor.COMPACTION.equals(s.summary().get(Compactor.SUMMARY_OPERATION)))
        .reduce((a, b) -> b)
        .orElseThrow();
  }

  private List<String> objects(String prefix) {
    List<String> objects = new ArrayList<>();
    for (FileInfo info :
        ((SupportsPrefixOperations) path.catalog.loadTable(ITEMS).io()).listPrefix(prefix)) {
      objects.add(info.location());
    }
    return objects;
  }

  private Path download(Table table, String location) throws IOException {
    Path local = Files.createTempFile(work, "file-", ".parquet");
    try (InputStream in = table.io().newInputFile(location).newStream()) {
      Files.copy(in, local, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return local;
  }

  /** A data file's rows, in file order, as {@link #rows} gives them. */
  private List<String> rowsOf(Table table, DataFile file) {
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duckdb.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT id, v FROM read_parquet('"
                    + download(table, file.location())
                    + "', file_row_number = true) ORDER BY file_row_number")) {
      List<String> result = new ArrayList<>();
      while (rows.next()) {
        result.add(rows.getLong(1) + "," + rows.getString(2));
      }
      return result;
    } catch (SQLException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private long rowCount(List<DataFile> files, String partition, Table table) {
    return files.stream()
        .filter(f -> table.spec().partitionToPath(f.partition()).equals(partition))
        .mapToLong(DataFile::recordCount)
        .sum();
  }

  /** Checks a data file is sorted by v ascending, nulls first, then id descending. */
  private void assertSorted(Table table, DataFile file) throws Exception {
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duckdb.createStatement()) {
      statement.execute(
          "CREATE VIEW f AS SELECT * FROM read_parquet('"
              + download(table, file.location())
              + "', file_row_number = true)");
      try (ResultSet unsorted =
          statement.executeQuery(
              "SELECT count(*), (SELECT count(*) FROM f) FROM (SELECT id, v, lag(id) OVER w AS"
                  + " prev_id, lag(v) OVER w AS prev_v, file_row_number AS n FROM f WINDOW w AS"
                  + " (ORDER BY file_row_number)) WHERE n > 0 AND NOT ((prev_v IS NULL AND v IS"
                  + " NOT NULL) OR prev_v < v OR (prev_v IS NOT DISTINCT FROM v AND prev_id >"
                  + " id))")) {
        unsorted.next();
        assertThat(unsorted.getLong(1)).as("rows out of order in %s", file.location()).isZero();
        assertThat(unsorted.getLong(2)).isPositive();
      }
    }
  }
}
