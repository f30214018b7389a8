package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.catalog.RedisKeys;
import io.icecap.testing.RedisServerExtension;
import io.icecap.txn.SqlStatement;
import io.icecap.txn.log.TableLog;
import io.icecap.txn.validate.ValidationLimits;
import io.icecap.worker.maintenance.MaintenancePolicy;
import io.icecap.worker.maintenance.MaintenanceProgress;
import io.icecap.worker.maintenance.MaintenanceReport;
import io.icecap.worker.maintenance.MaintenanceRequest;
import io.icecap.worker.maintenance.MaintenanceTask;
import io.icecap.worker.maintenance.TableMaintenance;
import io.icecap.worker.maintenance.TablePropertyException;
import io.icecap.worker.maintenance.TaskReport;
import io.lettuce.core.RedisClient;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshot expiry and orphan-file clean-up on tables written by apply jobs, against a real Redis,
 * DuckDB and a local warehouse (whose files' ages a test can set).
 */
class TableMaintenanceIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  private static final TableIdentifier ORDERS = TableIdentifier.of("db", "orders");
  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "name", Types.StringType.get()),
          Types.NestedField.required(3, "day", Types.DateType.get()));

  @TempDir Path warehouse;
  @TempDir Path work;
  private TestingWritePath path;
  private Table table;
  private Worker worker;
  private final List<String> steps = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void setUp() {
    path = TestingWritePath.start(REDIS, warehouse, work, false, ValidationLimits.defaults());
    table = create(ORDERS);
    worker = path.worker("w1", work, JobHooks.NONE);
  }

  @AfterEach
  void tearDown() {
    path.close();
  }

  @Test
  void expiryRemovesOldSnapshotsAndOnlyTheirFiles() throws Exception {
    writeMany(ORDERS, 6);
    table.refresh();
    assertThat(table.snapshots()).hasSize(6);
    List<String> rows = rows(table);
    assertThat(replicaFiles(ORDERS))
        .as("each job deleted the replica it replaced")
        .isEqualTo(namedReplicas(ORDERS));
    set(MaintenancePolicy.MAX_SNAPSHOT_AGE, "1");
    Thread.sleep(5);
    Set<String> parquetBefore = files(ORDERS, "data");

    TaskReport report = maintain(ORDERS, false, MaintenanceTask.EXPIRE);

    table.refresh();
    assertThat(table.snapshots()).hasSize(1);
    assertThat(report.snapshotsExpired()).isEqualTo(5);
    assertThat(rows(table)).isEqualTo(rows);
    Set<String> live = liveFiles(table);
    assertThat(files(ORDERS, "data")).isEqualTo(live);
    assertThat(report.filesRemoved()).isGreaterThanOrEqualTo(parquetBefore.size() - live.size());
    assertThat(report.bytesRemoved()).isPositive();
    assertThat(metadataFiles(ORDERS))
        .as("only the manifests and manifest list of the current snapshot stay")
        .noneMatch(
            name ->
                name.startsWith("snap-")
                    && !name.contains(Long.toString(table.currentSnapshot().snapshotId())));
    assertThat(replicaFiles(ORDERS)).isEqualTo(namedReplicas(ORDERS));
    assertThat(steps).contains("EXPIRE deleting files");
  }

  @Test
  void minSnapshotsToKeepIsHonoured() throws Exception {
    writeMany(ORDERS, 5);
    set(MaintenancePolicy.MAX_SNAPSHOT_AGE, "1");
    set(MaintenancePolicy.MIN_SNAPSHOTS_TO_KEEP, "3");
    Thread.sleep(5);

    assertThat(maintain(ORDERS, false, MaintenanceTask.EXPIRE).snapshotsExpired()).isEqualTo(2);

    table.refresh();
    assertThat(table.snapshots()).hasSize(3);
    assertThat(rows(table)).hasSize(5);
  }

  @Test
  void tagsAndBranchesKeepTheirSnapshotsUntilTheyAreOlderThanTheMaxRefAge() throws Exception {
    writeMany(ORDERS, 3);
    table.refresh();
    long first = firstSnapshot(table).snapshotId();
    long second = table.snapshot(table.currentSnapshot().parentId()).snapshotId();
    table.manageSnapshots().createTag("audit", first).createBranch("fix", second).commit();
    set(MaintenancePolicy.MAX_SNAPSHOT_AGE, "1");
    Thread.sleep(5);

    maintain(ORDERS, false, MaintenanceTask.EXPIRE);
    table.refresh();
    assertThat(table.refs()).containsKeys("main", "audit", "fix");
    assertThat(table.snapshot(first)).isNotNull();
    assertThat(rows(table.newScan().useRef("audit"))).hasSize(1);

    set(MaintenancePolicy.MAX_REF_AGE, "1");
    Thread.sleep(5);
    TaskReport report = maintain(ORDERS, false, MaintenanceTask.EXPIRE);
    table.refresh();
    assertThat(table.refs()).containsOnlyKeys("main");
    assertThat(table.snapshots()).hasSize(1);
    assertThat(report.snapshotsExpired()).isEqualTo(2);
    assertThat(files(ORDERS, "data")).isEqualTo(liveFiles(table));
    assertThat(rows(table)).hasSize(3);
  }

  @Test
  void aDryRunReportsWhatWouldGoAndChangesNothing() throws Exception {
    writeMany(ORDERS, 4);
    set(MaintenancePolicy.MAX_SNAPSHOT_AGE, "1");
    set(MaintenancePolicy.ORPHAN_GRACE, "1");
    Path stray = stray(ORDERS, "data/stray.parquet", Duration.ofDays(2));
    Thread.sleep(5);
    table.refresh();
    String metadata = metadataLocation(table);
    Set<String> before = files(ORDERS, "");

    MaintenanceReport report =
        new TableMaintenance(path.catalog, path.logs, worker, "maintainer")
            .run(
                ORDERS,
                new MaintenanceRequest(
                    EnumSet.of(MaintenanceTask.EXPIRE, MaintenanceTask.ORPHANS), true),
                MaintenanceProgress.NONE);

    assertThat(report.dryRun()).isTrue();
    TaskReport expiry = report.tasks().get(0);
    assertThat(expiry.snapshotsExpired()).isEqualTo(3);
    assertThat(expiry.files()).isNotEmpty().hasSize((int) expiry.filesRemoved());
    assertThat(expiry.bytesRemoved()).isPositive();
    assertThat(report.tasks().get(1).files()).contains(stray.toString());
    table.refresh();
    assertThat(metadataLocation(table)).isEqualTo(metadata);
    assertThat(table.snapshots()).hasSize(4);
    assertThat(files(ORDERS, "")).isEqualTo(before);

    TaskReport real = maintain(ORDERS, false, MaintenanceTask.EXPIRE);
    assertThat(real.filesRemoved()).isEqualTo(expiry.filesRemoved());
    assertThat(real.bytesRemoved()).isEqualTo(expiry.bytesRemoved());
  }

  @Test
  void aBadPropertyIsRefusedAndNothingIsDeleted() throws Exception {
    writeMany(ORDERS, 3);
    set(MaintenancePolicy.MAX_SNAPSHOT_AGE, "soon");
    stray(ORDERS, "data/stray.parquet", Duration.ofDays(2));
    Set<String> before = files(ORDERS, "");

    assertThatThrownBy(() -> maintain(ORDERS, false, MaintenanceTask.EXPIRE))
        .isInstanceOf(TablePropertyException.class)
        .hasMessageContaining(MaintenancePolicy.MAX_SNAPSHOT_AGE)
        .hasMessageContaining("soon");
    assertThatThrownBy(() -> maintain(ORDERS, false, MaintenanceTask.ORPHANS))
        .isInstanceOf(TablePropertyException.class);
    table.refresh();
    assertThat(table.snapshots()).hasSize(3);
    assertThat(files(ORDERS, "")).isEqualTo(before);

    set(MaintenancePolicy.MAX_SNAPSHOT_AGE, "1");
    set(TableProperties.GC_ENABLED, "false");
    before = files(ORDERS, "");
    assertThatThrownBy(() -> maintain(ORDERS, false, MaintenanceTask.ORPHANS))
        .hasMessageContaining("gc.enabled is false")
        .hasMessageContaining("nothing was deleted");
    assertThatThrownBy(() -> maintain(ORDERS, false, MaintenanceTask.EXPIRE))
        .hasMessageContaining("GC is disabled");
    table.refresh();
    assertThat(table.snapshots()).hasSize(3);
    assertThat(files(ORDERS, "")).isEqualTo(before);
  }

  @Test
  void expiryWhileWritesAreAppliedLosesNothing() throws Exception {
    set(MaintenancePolicy.MAX_SNAPSHOT_AGE, "1");
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService writer = Executors.newSingleThreadExecutor();
    Future<?> writes =
        writer.submit(
            () -> {
              try {
                for (int i = 0; i < 25; i++) {
                  submit(
                      ORDERS,
                      "INSERT INTO orders VALUES ("
                          + i
                          + ", 'n', DATE '2026-11-2"
                          + (i % 3)
                          + "')");
                  worker.apply(ORDERS);
                }
              } finally {
                writing.set(false);
              }
              return null;
            });
    int runs = 0;
    long expired = 0;
    while (writing.get() || runs == 0) {
      expired += maintain(ORDERS, false, MaintenanceTask.EXPIRE).snapshotsExpired();
      runs++;
    }
    writes.get(2, TimeUnit.MINUTES);
    writer.shutdown();
    worker.apply(ORDERS);
    expired += maintain(ORDERS, false, MaintenanceTask.EXPIRE).snapshotsExpired();

    table.refresh();
    assertThat(expired).isPositive();
    assertThat(rows(table)).hasSize(25);
    assertThat(table.snapshots()).hasSize(1);
    assertThat(files(ORDERS, "data")).isEqualTo(liveFiles(table));
    assertThat(replicaFiles(ORDERS)).isEqualTo(namedReplicas(ORDERS));
  }

  @Test
  void filesOfAJobBetweenUploadAndCommitAreKept() throws Exception {
    writeMany(ORDERS, 2);
    set(MaintenancePolicy.MAX_SNAPSHOT_AGE, "1");
    set(MaintenancePolicy.ORPHAN_GRACE, "1");
    CountDownLatch uploaded = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Worker held =
        path.worker(
            "held",
            work,
            step -> {
              if (step == JobStep.UPLOADED) {
                uploaded.countDown();
                try {
                  release.await(2, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            });
    submit(ORDERS, "INSERT INTO orders VALUES (100, 'held', DATE '2026-11-20')");
    ExecutorService runner = Executors.newSingleThreadExecutor();
    Future<Boolean> job = runner.submit(() -> held.apply(ORDERS));
    assertThat(uploaded.await(1, TimeUnit.MINUTES)).isTrue();
    long token = path.logs.table(ORDERS).state().leases().values().iterator().next().token();
    Set<String> ofJob = new TreeSet<>();
    for (String file : files(ORDERS, "")) {
      if (JobFiles.token(file).orElse(-1) == token) {
        ofJob.add(file);
      }
    }
    assertThat(ofJob).as("its Parquet file and replica").hasSizeGreaterThanOrEqualTo(2);
    Path stray = stray(ORDERS, "data/stray.parquet", Duration.ofMinutes(1));
    Path writing =
        stray(
            ORDERS,
            "data/.x.parquet." + java.util.UUID.randomUUID() + ".tmp",
            Duration.ofMinutes(2));
    Thread.sleep(5);

    MaintenanceReport report =
        new TableMaintenance(path.catalog, path.logs, worker, "maintainer")
            .run(
                ORDERS,
                new MaintenanceRequest(
                    EnumSet.of(MaintenanceTask.EXPIRE, MaintenanceTask.ORPHANS), false),
                MaintenanceProgress.NONE);

    assertThat(report.tasks().get(1).filesRemoved()).isPositive();
    assertThat(stray).doesNotExist();
    assertThat(writing).as("a write under way of LocalFileIO").exists();
    for (String file : ofJob) {
      assertThat(Path.of(file)).exists();
    }
    release.countDown();
    job.get(1, TimeUnit.MINUTES);
    runner.shutdown();
    table.refresh();
    assertThat(rows(table)).contains("100,held,2026-11-20");
    assertThat(namedReplicas(ORDERS)).containsAnyElementsOf(ofJob);
  }

  @Test
  void aJobWhoseBaseSnapshotExpiresWhileItRunsLosesNothing() throws Exception {
    writeMany(ORDERS, 1);
    set(MaintenancePolicy.MAX_SNAPSHOT_AGE, "1");
    CountDownLatch uploaded = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Worker held =
        path.worker(
            "held",
            work,
            step -> {
              if (step == JobStep.UPLOADED && uploaded.getCount() > 0) {
                uploaded.countDown();
                try {
                  release.await(2, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            });
    submit(ORDERS, "INSERT INTO orders VALUES (10, 'a', DATE '2026-11-20')");
    ExecutorService runner = Executors.newSingleThreadExecutor();
    Future<Boolean> job = runner.submit(() -> held.apply(ORDERS));
    assertThat(uploaded.await(1, TimeUnit.MINUTES)).isTrue();
    // two snapshots of another writer (an Icecap job would need the held lease), then expiry:
    // the held job's base snapshot is gone, and so is its child
    for (int i = 0; i < 2; i++) {
      table.refresh();
      table.newAppend().commit();
    }
    Thread.sleep(5);
    assertThat(maintain(ORDERS, false, MaintenanceTask.EXPIRE).snapshotsExpired()).isEqualTo(2);
    release.countDown();
    String failure = null;
    try {
      job.get(1, TimeUnit.MINUTES);
    } catch (java.util.concurrent.ExecutionException e) {
      failure = e.getCause().getMessage();
    }
    runner.shutdown();
    assertThat(failure)
        .as("its validation from the expired base fails; its records stay pending")
        .contains("Cannot determine history between starting snapshot");
    Thread.sleep(1_100); // the backoff after a failed job
    held.apply(ORDERS);

    table.refresh();
    assertThat(rows(table)).containsExactly("0,r0,2026-11-20", "10,a,2026-11-20");
    Thread.sleep(5);
    maintain(ORDERS, false, MaintenanceTask.EXPIRE);
    table.refresh();
    assertThat(files(ORDERS, "data")).isEqualTo(liveFiles(table));
    assertThat(replicaFiles(ORDERS)).isEqualTo(namedReplicas(ORDERS));
  }

  @Test
  void orphanCleanUpNeverTouchesATableNestedInTheLocation() throws Exception {
    path.catalog.createNamespace(Namespace.of("db", "orders"));
    // a.x.data lies where a.x writes its data files; a.x.archive beside them
    TableIdentifier data = TableIdentifier.of(Namespace.of("db", "orders"), "data");
    TableIdentifier archive = TableIdentifier.of(Namespace.of("db", "orders"), "archive");
    Table inData = create(data);
    Table inArchive = create(archive);
    assertThat(inData.location()).isEqualTo(table.location() + "/data");
    assertThat(inArchive.location()).isEqualTo(table.location() + "/archive");
    writeMany(ORDERS, 2);
    writeMany(data, 3);
    writeMany(archive, 2);
    inData.refresh();
    inArchive.refresh();
    List<String> dataRows = rows(inData);
    List<String> archiveRows = rows(inArchive);
    Set<String> nestedFiles = new TreeSet<>(files(data, ""));
    nestedFiles.addAll(files(archive, ""));
    Set<String> outerData = files(ORDERS, "data");
    Path stray = stray(ORDERS, "metadata/stray.avro", Duration.ofDays(2));
    for (TableIdentifier identifier : List.of(ORDERS, data, archive)) {
      Table loaded = path.catalog.loadTable(identifier);
      loaded.updateProperties().set(MaintenancePolicy.ORPHAN_GRACE, "1").commit();
    }
    Thread.sleep(5);

    TaskReport report = maintain(ORDERS, false, MaintenanceTask.ORPHANS);
    assertThat(report.filesRemoved()).isEqualTo(1);
    assertThat(stray).doesNotExist();
    maintain(archive, false, MaintenanceTask.ORPHANS);
    assertThatThrownBy(() -> maintain(data, false, MaintenanceTask.ORPHANS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("lies where table db.orders writes its files")
        .hasMessageContaining("nothing was deleted");

    Set<String> nestedAfter = new TreeSet<>(files(data, ""));
    nestedAfter.addAll(files(archive, ""));
    assertThat(nestedAfter).containsAll(nestedFiles);
    assertThat(files(ORDERS, "data")).containsAll(outerData);
    inData.refresh();
    inArchive.refresh();
    assertThat(rows(inData)).isEqualTo(dataRows);
    assertThat(rows(inArchive)).isEqualTo(archiveRows);
    table.refresh();
    assertThat(rows(table)).hasSize(2);
  }

  @Test
  void orphansOlderThanTheGraceGoYoungerOnesAndPendingStagedFilesStay() throws Exception {
    writeMany(ORDERS, 2);
    // an insert over 1 MiB is staged; its record is not applied
    String big = "x".repeat(1_100_000);
    submit(ORDERS, "INSERT INTO orders VALUES (7, '" + big + "', DATE '2026-11-20')");
    Set<String> staged = files(ORDERS, "icecap/staged");
    assertThat(staged).hasSize(1);
    age(Path.of(staged.iterator().next()), Duration.ofDays(4));
    Path old = stray(ORDERS, "data/day=2026-11-20/old.parquet", Duration.ofDays(4));
    Path young = stray(ORDERS, "data/young.parquet", Duration.ofHours(1));
    Path oldStaged = stray(ORDERS, "icecap/staged/gone-0.parquet", Duration.ofDays(4));
    Path crashedJob =
        stray(
            ORDERS,
            "data/day=2026-11-20/99-" + java.util.UUID.randomUUID() + ".parquet",
            Duration.ofDays(4));

    TaskReport dry = maintain(ORDERS, true, MaintenanceTask.ORPHANS);
    assertThat(dry.files())
        .containsExactlyInAnyOrder(old.toString(), oldStaged.toString(), crashedJob.toString());
    assertThat(old).exists();

    TaskReport report = maintain(ORDERS, false, MaintenanceTask.ORPHANS);
    assertThat(report.filesRemoved()).isEqualTo(3);
    assertThat(old).doesNotExist();
    assertThat(oldStaged).doesNotExist();
    assertThat(crashedJob).doesNotExist();
    assertThat(young).exists();
    assertThat(files(ORDERS, "icecap/staged")).isEqualTo(staged);

    Path unnamed = stray(ORDERS, "icecap/staged/unnamed-0.parquet", Duration.ofHours(2));
    maintain(ORDERS, false, MaintenanceTask.EXPIRE);
    assertThat(unnamed).as("no unapplied record names it").doesNotExist();
    assertThat(files(ORDERS, "icecap/staged")).isEqualTo(staged);

    worker.apply(ORDERS);
    table.refresh();
    assertThat(rows(table)).hasSize(3);
    assertThat(files(ORDERS, "icecap/staged")).as("deleted by its job").isEmpty();
  }

  @Test
  void expirySweepsReplicasAJobLeftAfterItsCommit() throws Exception {
    writeMany(ORDERS, 1);
    Worker crashing =
        path.worker(
            "crashing",
            work,
            step -> {
              if (step == JobStep.COMMITTED) {
                throw new IllegalStateException("stopped after the commit");
              }
            });
    submit(ORDERS, "INSERT INTO orders VALUES (50, 'late', DATE '2026-11-20')");
    assertThatThrownBy(() -> crashing.apply(ORDERS)).hasMessageContaining("stopped");
    Set<String> named = namedReplicas(ORDERS);
    Set<String> left = new HashSet<>(replicaFiles(ORDERS));
    left.removeAll(named);
    assertThat(left).as("the replaced replica stays").hasSize(1);
    Path oldYoung =
        stray(
            ORDERS,
            "icecap/duckdb/day=2026-11-21/" + java.util.UUID.randomUUID() + ".duckdb",
            Duration.ofMinutes(1));
    Path oldAged =
        stray(
            ORDERS,
            "icecap/duckdb/day=2026-11-21/" + java.util.UUID.randomUUID() + ".duckdb",
            Duration.ofMinutes(20));

    TaskReport report = maintain(ORDERS, false, MaintenanceTask.EXPIRE);

    assertThat(report.filesRemoved()).isEqualTo(2);
    assertThat(oldAged).doesNotExist();
    assertThat(oldYoung).as("younger than the margin for names without a token").exists();
    Files.delete(oldYoung);
    assertThat(replicaFiles(ORDERS)).isEqualTo(named);
    table.refresh();
    assertThat(rows(table)).hasSize(2);
  }

  @Test
  void hostileStateMakesNoFileAReference() throws Exception {
    writeMany(ORDERS, 2);
    Path outside = Files.writeString(work.resolve("outside.duckdb"), "not the table's");
    age(outside, Duration.ofDays(2));
    Path inData = stray(ORDERS, "data/named-by-a-hostile-entry.parquet", Duration.ofDays(2));
    RedisKeys keys = new RedisKeys(TestingWritePath.CATALOG);
    RedisClient client = RedisClient.create(REDIS.server().uri());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      String replicas = keys.tableKey(ORDERS, "replicas");
      connection.sync().hset(replicas, "x=1", entry(outside.toString()));
      connection.sync().hset(replicas, "x=2", entry(inData.toString()));
      connection.sync().hset(replicas, "x=3", "{not json");
      long next = connection.sync().incr(keys.tableKey(ORDERS, "seq"));
      connection
          .sync()
          .xadd(keys.tableKey(ORDERS, "log"), new XAddArgs().id(next + "-0"), Map.of("r", "{"));
    }
    set(MaintenancePolicy.ORPHAN_GRACE, "1");

    maintain(ORDERS, false, MaintenanceTask.EXPIRE);
    TaskReport orphans = maintain(ORDERS, false, MaintenanceTask.ORPHANS);

    assertThat(outside).as("outside the table: never listed, never deleted").exists();
    assertThat(inData).as("a hostile entry does not keep it").doesNotExist();
    assertThat(orphans.filesRemoved()).isGreaterThanOrEqualTo(1);
    table.refresh();
    assertThat(rows(table)).hasSize(2);

    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      connection.sync().hset(keys.tableKey(ORDERS, "leases"), "day=2026-11-20", "garbage");
    }
    Path another = stray(ORDERS, "data/another.parquet", Duration.ofDays(2));
    assertThatThrownBy(() -> maintain(ORDERS, false, MaintenanceTask.ORPHANS))
        .hasMessageContaining("garbage");
    assertThat(another).as("nothing deleted when the state cannot be read").exists();
    client.shutdown();
  }

  @Test
  void aTableAtTheWarehouseRootIsRefused() throws Exception {
    TableIdentifier root = TableIdentifier.of("db", "root");
    path.catalog.buildTable(root, SCHEMA).withLocation(warehouse.toString()).create();
    Table rooted = path.catalog.loadTable(root);
    rooted.updateProperties().set(MaintenancePolicy.ORPHAN_GRACE, "1").commit();
    Path stray = stray(ORDERS, "data/stray.parquet", Duration.ofDays(2));

    assertThatThrownBy(() -> maintain(root, false, MaintenanceTask.ORPHANS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("warehouse root")
        .hasMessageContaining("nothing was deleted");
    assertThat(stray).exists();
  }

  private static String entry(String duckdb) {
    return io.icecap.txn.record.RecordCodec.encode(
        new io.icecap.txn.record.ReplicaEntry(duckdb, 1, "d", 0, 0, List.of("1"), 1, 1));
  }

  private Table create(TableIdentifier identifier) {
    return path.create(
        identifier, SCHEMA, PartitionSpec.builderFor(SCHEMA).identity("day").build());
  }

  private void submit(TableIdentifier identifier, String sql) {
    path.orchestrator.submit(identifier, List.of(SqlStatement.of(sql)));
  }

  /** Writes {@code count} rows, one snapshot each, into two partitions. */
  private void writeMany(TableIdentifier identifier, int count) {
    for (int i = 0; i < count; i++) {
      submit(
          identifier,
          "INSERT INTO "
              + identifier.name()
              + " VALUES ("
              + i
              + ", 'r"
              + i
              + "', DATE '2026-11-2"
              + (i % 2)
              + "')");
      worker.apply(identifier);
    }
  }

  private TaskReport maintain(TableIdentifier identifier, boolean dryRun, MaintenanceTask task) {
    MaintenanceReport report =
        new TableMaintenance(path.catalog, path.logs, worker, "maintainer")
            .run(
                identifier,
                new MaintenanceRequest(EnumSet.of(task), dryRun),
                (t, step, done, total) -> steps.add(t + " " + step));
    return report.tasks().get(0);
  }

  private void set(String property, String value) {
    table.refresh();
    table.updateProperties().set(property, value).commit();
  }

  private Path tableDir(TableIdentifier identifier) {
    return Path.of(path.catalog.loadTable(identifier).location());
  }

  private Path stray(TableIdentifier identifier, String relative, Duration age) throws IOException {
    Path file = tableDir(identifier).resolve(relative).normalize();
    Files.createDirectories(file.getParent());
    Files.writeString(file, "stray");
    age(file, age);
    return file;
  }

  private static void age(Path file, Duration age) throws IOException {
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
  }

  /** The visible files under a directory of the table, as locations. */
  private Set<String> files(TableIdentifier identifier, String relative) {
    Path dir = tableDir(identifier).resolve(relative);
    if (!Files.isDirectory(dir)) {
      return Set.of();
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      return paths
          .filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .map(Path::toString)
          .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Set<String> metadataFiles(TableIdentifier identifier) {
    Set<String> names = new TreeSet<>();
    files(identifier, "metadata").forEach(f -> names.add(Path.of(f).getFileName().toString()));
    return names;
  }

  private Set<String> replicaFiles(TableIdentifier identifier) {
    return files(identifier, "icecap/duckdb");
  }

  private Set<String> namedReplicas(TableIdentifier identifier) {
    Table loaded = path.catalog.loadTable(identifier);
    Set<String> named = new TreeSet<>();
    TableLog log = path.logs.table(identifier);
    log.state()
        .replicas()
        .values()
        .forEach(value -> named.add(ReplicaEntries.replicaFile(loaded, value)));
    return named;
  }

  private static Set<String> liveFiles(Table table) {
    Set<String> live = new TreeSet<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        live.add(task.file().location());
        task.deletes().forEach((ContentFile<?> d) -> live.add(d.location()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return live;
  }

  private static Snapshot firstSnapshot(Table table) {
    Snapshot first = null;
    for (Snapshot snapshot : table.snapshots()) {
      if (first == null || snapshot.sequenceNumber() < first.sequenceNumber()) {
        first = snapshot;
      }
    }
    return first;
  }

  private static String metadataLocation(Table table) {
    return ((org.apache.iceberg.HasTableOperations) table)
        .operations()
        .current()
        .metadataFileLocation();
  }

  private static List<String> rows(Table table) {
    return TestingWritePath.rows(table, "id", "name", "day");
  }

  private static List<String> rows(org.apache.iceberg.TableScan scan) {
    List<String> rows = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = scan.planFiles()) {
      for (FileScanTask task : tasks) {
        rows.add(task.file().location() + ":" + task.file().recordCount());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }
}
