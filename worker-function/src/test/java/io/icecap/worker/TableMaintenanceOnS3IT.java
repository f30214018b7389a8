package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.testing.RedisServerExtension;
import io.icecap.testing.S3ServerExtension;
import io.icecap.worker.maintenance.MaintenancePolicy;
import io.icecap.worker.maintenance.MaintenanceProgress;
import io.icecap.worker.maintenance.MaintenanceReport;
import io.icecap.worker.maintenance.MaintenanceRequest;
import io.icecap.worker.maintenance.MaintenanceTask;
import io.icecap.worker.maintenance.TableMaintenance;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Snapshot expiry and orphan clean-up on a warehouse in an S3-API server (S3FileIO). */
class TableMaintenanceOnS3IT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  @RegisterExtension static final S3ServerExtension S3 = new S3ServerExtension();

  private static final TableIdentifier ITEMS = TableIdentifier.of("db", "items");

  @TempDir Path work;
  private S3WritePath path;
  private Worker worker;

  @BeforeEach
  void setUp() {
    path = S3WritePath.start(REDIS, S3.server(), work, properties -> S3WritePath.NO_INVOKER);
    path.createItems(ITEMS);
    worker =
        new Worker(
            path.catalog,
            path.logs,
            WorkerSettings.defaults("w1", work.resolve("w1")),
            JobHooks.NONE);
  }

  @AfterEach
  void tearDown() {
    worker.close();
    path.close();
  }

  @Test
  void expiryAndOrphanCleanUpKeepExactlyWhatTheTableUses() throws Exception {
    for (long id = 1; id <= 6; id++) {
      path.insert(ITEMS, id);
      worker.apply(ITEMS);
    }
    Table table = path.catalog.loadTable(ITEMS);
    table
        .updateProperties()
        .set(MaintenancePolicy.MAX_SNAPSHOT_AGE, "1")
        .set(MaintenancePolicy.ORPHAN_GRACE, "1")
        .commit();
    String stray = table.location() + "/data/stray.parquet";
    try (OutputStream out = table.io().newOutputFile(stray).create()) {
      out.write("stray".getBytes(StandardCharsets.UTF_8));
    }
    Thread.sleep(20);
    Set<String> before = listed(table, "");

    MaintenanceReport dry = run(true);
    assertThat(dry.tasks().get(0).snapshotsExpired()).isEqualTo(5);
    assertThat(dry.tasks().get(1).files()).contains(stray);
    assertThat(listed(table, "")).isEqualTo(before);

    MaintenanceReport report = run(false);

    table.refresh();
    assertThat(report.tasks().get(0).snapshotsExpired()).isEqualTo(5);
    assertThat(report.tasks().get(0).filesRemoved()).isEqualTo(dry.tasks().get(0).filesRemoved());
    assertThat(table.snapshots()).hasSize(1);
    assertThat(path.rows(ITEMS)).isEqualTo(S3WritePath.expectedRows(LongStream.rangeClosed(1, 6)));
    assertThat(table.io().newInputFile(stray).exists()).isFalse();
    assertThat(listed(table, "data/")).isEqualTo(liveFiles(table));
    Set<String> named = new TreeSet<>();
    path.logs
        .table(ITEMS)
        .state()
        .replicas()
        .values()
        .forEach(value -> named.add(ReplicaEntries.replicaFile(table, value)));
    assertThat(listed(table, "icecap/duckdb/")).isEqualTo(named);
  }

  private MaintenanceReport run(boolean dryRun) {
    return new TableMaintenance(path.catalog, path.logs, worker, "maintainer")
        .run(
            ITEMS,
            new MaintenanceRequest(
                EnumSet.of(MaintenanceTask.EXPIRE, MaintenanceTask.ORPHANS), dryRun),
            MaintenanceProgress.NONE);
  }

  private static Set<String> listed(Table table, String relative) {
    Set<String> files = new TreeSet<>();
    for (FileInfo file :
        ((SupportsPrefixOperations) table.io()).listPrefix(table.location() + "/" + relative)) {
      files.add(file.location());
    }
    return files;
  }

  private static Set<String> liveFiles(Table table) {
    Set<String> live = new TreeSet<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        live.add(task.file().location());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return live;
  }
}
