package io.icecap.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.testing.RedisServerExtension;
import io.icecap.txn.log.TableLog;
import io.icecap.worker.maintenance.MaintenanceReport;
import io.icecap.worker.maintenance.MaintenanceRequest;
import io.icecap.worker.maintenance.MaintenanceTask;
import io.icecap.worker.maintenance.TaskReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link IcecapSession#maintain} and {@link IcecapSession#maintenanceStatus} through the SDK. */
class MaintainIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  @TempDir Path warehouse;
  @TempDir Path home;
  private IcecapSession session;

  private IcecapSession connect(int workers) {
    REDIS.flushAll();
    session =
        Icecap.connect(
            IcecapConfig.redis(REDIS.server().uri(), warehouse.toString(), home)
                .withWorkers(workers));
    session.execute("CREATE SCHEMA m");
    session.execute("CREATE TABLE m.t (x INTEGER)");
    return session;
  }

  @AfterEach
  void close() {
    if (session != null) {
      session.close();
    }
  }

  private TableLog log() {
    return session.environment().logs.table(TableIdentifier.of("m", "t"));
  }

  @Test
  void anUnknownTableIsNamed() {
    connect(1);
    assertThatThrownBy(() -> session.maintain("m.nothing", MaintenanceRequest.all(false)))
        .isInstanceOfSatisfying(
            IcecapException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_TABLE);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "Cannot maintain table m.nothing: it does not exist (icecap tables lists"
                          + " them)");
            });
    assertThatThrownBy(() -> session.maintain("m.t", null))
        .isInstanceOf(NullPointerException.class);
    // the sessions' in-process worker compacts: no worker of maintenance's own
    assertThat(home.resolve("maintenance")).doesNotExist();
  }

  @Test
  void aPropertyMaintenanceCannotUseIsNamedAndNothingRuns() {
    connect(0);
    // another engine may write what SQL refuses
    session
        .table("m.t")
        .updateProperties()
        .set("history.expire.max-snapshot-age-ms", "-1")
        .commit();
    assertThatThrownBy(() -> session.maintain("m.t", MaintenanceRequest.all(false)))
        .isInstanceOfSatisfying(
            IcecapException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PROPERTY);
              assertThat(e.getMessage())
                  .contains("history.expire.max-snapshot-age-ms of m.t is '-1'")
                  .contains("ALTER TABLE m.t SET TBLPROPERTIES");
            });
    MaintenanceStatus status = session.maintenanceStatus("m.t");
    assertThat(status.lastAt()).isEmpty();
    assertThat(status.lastError()).isEmpty();
    // sessions that apply no writes themselves compact with a worker of their own
    assertThat(Files.isDirectory(home.resolve("maintenance"))).isTrue();
  }

  @Test
  void aTableAnotherRunMaintainsIsBusy() {
    connect(1);
    session.execute("INSERT INTO m.t VALUES (1)");
    assertThat(log().takeMaintenanceLease("worker-7@host", Duration.ofMinutes(1))).isTrue();
    assertThatThrownBy(
            () ->
                session.maintain(
                    "m.t", new MaintenanceRequest(Set.of(MaintenanceTask.EXPIRE), true)))
        .isInstanceOfSatisfying(
            IcecapException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.BUSY);
              assertThat(e.getMessage()).contains("m.t").contains("worker-7@host");
            });
    assertThat(session.maintenanceStatus("m.t").runningBy()).contains("worker-7@host");
  }

  @Test
  void aRunOfAnotherSessionOfThisProcessIsBusyToo() {
    connect(1);
    session.execute("INSERT INTO m.t VALUES (1)");
    // what a run of another session sharing this process's environment holds
    String process =
        "client-"
            + java.lang.management.ManagementFactory.getRuntimeMXBean().getName().replace('|', '-');
    assertThat(log().takeMaintenanceLease(process, Duration.ofMinutes(1))).isTrue();
    assertThatThrownBy(() -> session.maintain("m.t", MaintenanceRequest.all(true)))
        .isInstanceOfSatisfying(
            IcecapException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BUSY));
    assertThat(session.maintenanceStatus("m.t").runningBy()).contains(process);
  }

  @Test
  void theStatusShowsTheLastRunOfEachTaskAndWhatWasRemoved() {
    connect(1);
    session.execute("INSERT INTO m.t VALUES (1)");
    MaintenanceStatus fresh = session.maintenanceStatus("m.t");
    assertThat(fresh.table()).isEqualTo("m.t");
    assertThat(fresh.lastRun()).isEmpty();
    assertThat(fresh.runningBy()).isEmpty();

    log().recordMaintenance("w", List.of("expire", "orphans"), 3, 3000, null);
    log().recordMaintenance("w", List.of("compact"), 2, 200, "disk full");
    MaintenanceStatus status = session.maintenanceStatus("m.t");
    assertThat(status.lastRun())
        .containsOnlyKeys(MaintenanceTask.COMPACT, MaintenanceTask.EXPIRE, MaintenanceTask.ORPHANS);
    assertThat(status.filesRemoved()).isEqualTo(5);
    assertThat(status.bytesRemoved()).isEqualTo(3200);
    assertThat(status.lastError()).contains("disk full");
    assertThat(status.lastAt()).isPresent();
  }

  /** The three tasks run for real: a dry run first, then a compaction of small files. */
  @Test
  void aRunReportsEachTaskInOrderAndIsRecorded() {
    connect(1);
    // six small files, as another engine's appends leave them (Icecap's checkpoints write one)
    org.apache.iceberg.Table table = session.catalog().loadTable(TableIdentifier.of("m", "t"));
    for (int i = 0; i < 6; i++) {
      table
          .newAppend()
          .appendFile(
              io.icecap.testing.OtherEngineFiles.data(
                  table,
                  null,
                  List.of(io.icecap.testing.OtherEngineFiles.record(table.schema(), i))))
          .commit();
    }
    List<String> steps = new ArrayList<>();
    MaintenanceReport dry =
        session.maintain(
            "m.t",
            MaintenanceRequest.all(true),
            (task, step, done, total) -> steps.add(task + " " + step));
    assertThat(dry.dryRun()).isTrue();
    assertThat(dry.table()).isEqualTo(TableIdentifier.of("m", "t"));
    assertThat(dry.tasks().stream().map(TaskReport::task))
        .containsExactly(MaintenanceTask.COMPACT, MaintenanceTask.EXPIRE, MaintenanceTask.ORPHANS);
    assertThat(session.maintenanceStatus("m.t").lastAt()).as("a dry run records nothing").isEmpty();

    MaintenanceReport run =
        session.maintain("m.t", new MaintenanceRequest(EnumSet.of(MaintenanceTask.COMPACT), false));
    assertThat(run.tasks()).hasSize(1);
    assertThat(run.filesWritten()).isPositive();
    assertThat(session.maintenanceStatus("m.t").lastRun()).containsKey(MaintenanceTask.COMPACT);
    assertThat(session.maintenanceStatus("m.t").filesRemoved())
        .as("compaction takes files out of the table; expiry deletes them later")
        .isZero();
    try (var rows = session.query("SELECT count(*) FROM m.t")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getLong(1)).isEqualTo(6);
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }
}
