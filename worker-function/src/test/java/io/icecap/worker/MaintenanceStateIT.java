package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.testing.RedisServerExtension;
import io.icecap.txn.log.MaintenanceState;
import io.icecap.txn.log.TableLog;
import io.icecap.txn.validate.ValidationLimits;
import io.icecap.worker.maintenance.MaintenanceBusyException;
import io.icecap.worker.maintenance.MaintenancePolicy;
import io.icecap.worker.maintenance.MaintenanceProgress;
import io.icecap.worker.maintenance.MaintenanceRequest;
import io.icecap.worker.maintenance.MaintenanceScheduler;
import io.icecap.worker.maintenance.MaintenanceTask;
import io.icecap.worker.maintenance.TableMaintenance;
import io.icecap.worker.maintenance.TablePropertyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The maintenance state Redis keeps beside a table's log: the lease that keeps two runs off one
 * table, when each task last ran, what maintenance removed, the last error; and how the scheduler
 * reads it to find the maintenance that is due.
 */
class MaintenanceStateIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  private static final TableIdentifier T = TableIdentifier.of("db", "t");
  private static final Schema SCHEMA =
      new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));

  @TempDir Path warehouse;
  @TempDir Path work;

  private TestingWritePath path;
  private TableLog log;

  @BeforeEach
  void setUp() {
    path = TestingWritePath.start(REDIS, warehouse, work, false, ValidationLimits.defaults());
    path.create(T, SCHEMA, PartitionSpec.unpartitioned());
    path.logs.markActive(T);
    log = path.logs.table(T);
  }

  @AfterEach
  void tearDown() {
    path.close();
  }

  @Test
  void oneRunHoldsTheLeaseUntilItReleasesItOrItExpires() throws Exception {
    assertThat(log.takeMaintenanceLease("a", Duration.ofMinutes(1))).isTrue();
    assertThat(log.takeMaintenanceLease("b", Duration.ofMinutes(1))).isFalse();
    assertThat(log.maintenance().leaseOwner()).contains("a");
    assertThat(log.takeMaintenanceLease("a", Duration.ofMinutes(1))).as("renewed").isTrue();

    log.releaseMaintenanceLease("b"); // not b's: stays
    assertThat(log.maintenance().leaseOwner()).contains("a");
    log.releaseMaintenanceLease("a");
    assertThat(log.maintenance().leaseOwner()).isEmpty();

    assertThat(log.takeMaintenanceLease("a", Duration.ofMillis(50))).isTrue();
    Thread.sleep(100);
    assertThat(log.maintenance().leaseOwner()).as("expired").isEmpty();
    assertThat(log.takeMaintenanceLease("b", Duration.ofMinutes(1))).isTrue();
  }

  @Test
  void aRunIsRecordedWithItsTasksTotalsAndErrorAndReleasesItsLease() {
    assertThat(log.takeMaintenanceLease("a", Duration.ofMinutes(1))).isTrue();
    log.recordMaintenance("b", List.of("compact"), 2, 500, "storage is down");
    assertThat(log.maintenance().leaseOwner()).as("b did not hold it").contains("a");
    log.recordMaintenance("a", List.of("expire", "orphans"), 3, 3000, "storage is down");

    MaintenanceState state = log.maintenance();
    assertThat(state.lastRun()).containsOnlyKeys("expire", "orphans", "compact");
    assertThat(state.filesRemoved()).isEqualTo(5);
    assertThat(state.bytesRemoved()).isEqualTo(3500);
    assertThat(state.lastError()).contains("storage is down");
    assertThat(state.leaseOwner()).as("released by a's record").isEmpty();
    assertThat(state.due("expire", Duration.ofMinutes(1))).isFalse();
    assertThat(state.due("expire", Duration.ofMillis(1))).isTrue();
    assertThat(state.due("never-ran", Duration.ofDays(1))).isTrue();

    log.recordMaintenance("a", List.of("expire"), 0, 0, null);
    assertThat(log.maintenance().lastError()).isEmpty();
  }

  @Test
  void fieldsThatDoNotReadAsNumbersReadAsAbsentAndTotalsStartAgain() {
    String state = path.catalog.keys().tableKey(T, "state");
    try (RedisClient client = RedisClient.create(REDIS.server().uri());
        StatefulRedisConnection<String, String> connection = client.connect()) {
      connection
          .sync()
          .hset(
              state,
              java.util.Map.of(
                  "maint_expire_at", "yesterday",
                  "maint_files_removed", "lots",
                  "maint_bytes_removed", "1e9",
                  "maint_lease", "someone|not-a-time",
                  "maint_last_at", "-5"));
    }

    MaintenanceState read = log.maintenance();
    assertThat(read.lastRun()).isEmpty();
    assertThat(read.filesRemoved()).isZero();
    assertThat(read.leaseOwner()).isEmpty();
    assertThat(read.lastAt()).isEmpty();
    assertThat(log.takeMaintenanceLease("a", Duration.ofMinutes(1))).isTrue();

    log.recordMaintenance("a", List.of("expire"), 2, 20, null);
    assertThat(log.maintenance().filesRemoved()).isEqualTo(2);
    assertThat(log.maintenance().bytesRemoved()).isEqualTo(20);
  }

  @Test
  void aKeyOfAnotherTypeIsReportedAndNotOverwritten() {
    String state = path.catalog.keys().tableKey(T, "state");
    try (RedisClient client = RedisClient.create(REDIS.server().uri());
        StatefulRedisConnection<String, String> connection = client.connect()) {
      connection.sync().del(state);
      connection.sync().set(state, "a string");
      assertThatThrownBy(() -> log.takeMaintenanceLease("a", Duration.ofMinutes(1)))
          .hasMessageContaining(state)
          .hasMessageContaining("string");
      assertThat(connection.sync().get(state)).isEqualTo("a string");
      connection.sync().del(state);
    }
  }

  @Test
  void anUnknownTableIsRefused() {
    TableLog missing = path.logs.table(TableIdentifier.of("db", "missing"));

    assertThatThrownBy(() -> missing.takeMaintenanceLease("a", Duration.ofMinutes(1)))
        .isInstanceOf(NoSuchTableException.class)
        .hasMessageContaining("db.missing");
    try (Worker worker = path.worker("w", work, JobHooks.NONE)) {
      TableMaintenance maintenance = new TableMaintenance(path.catalog, path.logs, worker, "w");
      assertThatThrownBy(
              () ->
                  maintenance.run(
                      TableIdentifier.of("db", "missing"),
                      MaintenanceRequest.all(false),
                      MaintenanceProgress.NONE))
          .isInstanceOf(NoSuchTableException.class);
    }
  }

  @Test
  void aRunIsRefusedWhileAnotherHoldsTheTableAndWhenAPropertyIsBad() {
    try (Worker worker = path.worker("w", work, JobHooks.NONE)) {
      TableMaintenance maintenance = new TableMaintenance(path.catalog, path.logs, worker, "w");
      assertThat(log.takeMaintenanceLease("other", Duration.ofMinutes(1))).isTrue();
      assertThatThrownBy(
              () ->
                  maintenance.run(
                      T,
                      new MaintenanceRequest(Set.of(MaintenanceTask.EXPIRE), true),
                      MaintenanceProgress.NONE))
          .isInstanceOf(MaintenanceBusyException.class)
          .hasMessageContaining("other is maintaining it");
      log.releaseMaintenanceLease("other");

      path.catalog
          .loadTable(T)
          .updateProperties()
          .set(MaintenancePolicy.MAX_SNAPSHOT_AGE, "0")
          .commit();
      long snapshots = snapshotsOf();
      assertThatThrownBy(
              () -> maintenance.run(T, MaintenanceRequest.all(false), MaintenanceProgress.NONE))
          .isInstanceOf(TablePropertyException.class)
          .hasMessageContaining("history.expire.max-snapshot-age-ms of db.t is '0'");
      assertThat(snapshotsOf()).isEqualTo(snapshots);
      assertThat(log.maintenance().leaseOwner()).as("no lease was taken").isEmpty();
    }
  }

  @Test
  void aTaskThatCannotRunDoesNotKeepTheOthersFromRunning() {
    TableIdentifier v3 = TableIdentifier.of("db", "v3");
    org.apache.iceberg.Table table =
        path.catalog
            .buildTable(v3, SCHEMA)
            .withProperty("format-version", "3")
            .withProperty(MaintenancePolicy.MAX_SNAPSHOT_AGE, "1")
            .create();
    for (long id = 0; id < 3; id++) {
      table
          .newAppend()
          .appendFile(
              io.icecap.testing.OtherEngineFiles.data(
                  table,
                  null,
                  List.of(io.icecap.testing.OtherEngineFiles.record(table.schema(), id))))
          .commit();
    }
    path.logs.markActive(v3);
    try (Worker worker = path.worker("w", work, JobHooks.NONE)) {
      TableMaintenance maintenance = new TableMaintenance(path.catalog, path.logs, worker, "w");
      assertThatThrownBy(
              () ->
                  maintenance.run(
                      v3,
                      new MaintenanceRequest(
                          Set.of(MaintenanceTask.COMPACT, MaintenanceTask.EXPIRE), false),
                      MaintenanceProgress.NONE))
          .as("compaction refuses a format version 3 table")
          .hasMessageContaining("format version 3");
    }
    table.refresh();
    assertThat(table.snapshots()).as("expiry ran all the same").hasSize(1);
    MaintenanceState state = path.logs.table(v3).maintenance();
    assertThat(state.lastRun()).containsKeys("compact", "expire");
    assertThat(state.lastError())
        .hasValueSatisfying(e -> assertThat(e).contains("format version 3"));
    assertThat(state.leaseOwner()).isEmpty();
  }

  @Test
  void theSchedulerFindsDueTasksAndLeavesTablesWithBadPropertiesOrMaintenanceOffAlone() {
    try (Worker worker = path.worker("w", work, JobHooks.NONE)) {
      TableMaintenance maintenance = new TableMaintenance(path.catalog, path.logs, worker, "w");
      MaintenanceScheduler scheduler =
          new MaintenanceScheduler(path.catalog, path.logs, maintenance);
      assertThat(scheduler.due())
          .as("a table never maintained: everything is due")
          .containsExactly(new MaintenanceScheduler.Due(T, MaintenanceRequest.all(false)));

      log.recordMaintenance("w", List.of("compact", "orphans"), 0, 0, null);
      assertThat(scheduler.due())
          .containsExactly(
              new MaintenanceScheduler.Due(
                  T, new MaintenanceRequest(Set.of(MaintenanceTask.EXPIRE), false)));

      assertThat(log.takeMaintenanceLease("other", Duration.ofMinutes(1))).isTrue();
      assertThat(scheduler.due()).as("another run holds the table").isEmpty();
      log.releaseMaintenanceLease("other");

      path.catalog
          .loadTable(T)
          .updateProperties()
          .set(MaintenancePolicy.AUTOMATIC, "false")
          .commit();
      MaintenanceScheduler fresh = new MaintenanceScheduler(path.catalog, path.logs, maintenance);
      assertThat(fresh.due()).as("maintenance off").isEmpty();

      path.catalog
          .loadTable(T)
          .updateProperties()
          .set(MaintenancePolicy.AUTOMATIC, "true")
          .set(MaintenancePolicy.ORPHAN_GRACE, "a day")
          .commit();
      MaintenanceScheduler again = new MaintenanceScheduler(path.catalog, path.logs, maintenance);
      assertThat(again.due()).as("bad property").isEmpty();
      assertThat(log.maintenance().lastError())
          .hasValueSatisfying(
              error -> assertThat(error).contains("icecap.maintenance.orphan-grace-ms"));
      assertThat(again.due()).as("said once per interval, then quiet").isEmpty();
    }
  }

  private long snapshotsOf() {
    return java.util.stream.StreamSupport.stream(
            path.catalog.loadTable(T).snapshots().spliterator(), false)
        .count();
  }
}
