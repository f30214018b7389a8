package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.catalog.RedisCatalog;
import io.icecap.testing.RedisServerExtension;
import io.icecap.testing.TestingJvmFleet;
import io.icecap.txn.CommitToken;
import io.icecap.txn.Orchestrator;
import io.icecap.txn.SqlStatement;
import io.icecap.txn.dispatch.Dispatcher;
import io.icecap.txn.log.TransactionLog;
import io.icecap.txn.record.TransactionResult;
import io.icecap.txn.validate.ValidationLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A worker dies at each step of an apply job (its thread stopped in-process, or its process killed
 * with SIGKILL), and another worker takes over: every acknowledged transaction is applied exactly
 * once. The workload's increments would show a transaction applied twice or lost.
 */
class FaultInjectionIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().appendOnly(true).build();

  private static final TableIdentifier T = TableIdentifier.of("db", "t");
  private static final List<String> EXPECTED =
      List.of("1,0,3", "2,1,3", "3,2,3", "4,0,3", "5,1,3", "6,2,3", "7,2,10");

  @TempDir Path warehouse;
  @TempDir Path work;
  private TestingWritePath path;
  private RedisCatalog catalog;
  private TransactionLog logs;
  private Orchestrator orchestrator;
  private Dispatcher dispatcher;
  private Table table;

  /** A worker killed at a step of its job. */
  private static final class Killed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Killed(JobStep step) {
      super("worker killed at " + step);
    }
  }

  @BeforeEach
  void setUp() {
    path = TestingWritePath.start(REDIS, warehouse, work, false, ValidationLimits.defaults());
    catalog = path.catalog;
    logs = path.logs;
    dispatcher = path.dispatcher;
    orchestrator = path.orchestrator;
    Schema schema =
        new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.required(2, "part", Types.IntegerType.get()),
            Types.NestedField.optional(3, "v", Types.LongType.get()));
    table = path.create(T, schema, PartitionSpec.builderFor(schema).identity("part").build());
  }

  @AfterEach
  void tearDown() {
    path.close();
  }

  @ParameterizedTest
  @EnumSource(JobStep.class)
  void aWorkerStoppedInProcessIsTakenOver(JobStep step) throws Exception {
    List<CommitToken> tokens = submitWorkload();
    Worker dying = failingAt("dying", step, new Killed(step));
    assertThatThrownBy(() -> dying.apply(T)).isInstanceOf(Killed.class);

    rescue();
    assertAppliedExactlyOnce(tokens);
  }

  @ParameterizedTest
  @EnumSource(JobStep.class)
  void aWorkerProcessKilledWithSigkillIsTakenOver(JobStep step) throws Exception {
    List<CommitToken> tokens = submitWorkload();
    Map<String, String> options = new LinkedHashMap<>(path.workerOptions());
    options.put("lease-ms", "2000");
    options.put("stale-ms", "600000");
    options.put("pause-at", step.name());
    try (TestingJvmFleet fleet = WorkerFleet.start(List.of("doomed"), options, work)) {
      logs.enqueue(T, tokens.get(tokens.size() - 1).sequence());
      fleet.awaitLine(0, "paused at " + step, Duration.ofMinutes(2));
      assertThat(fleet.kill(0)).as("killed by SIGKILL").isEqualTo(137);
    }

    rescue();
    assertAppliedExactlyOnce(tokens);
  }

  @ParameterizedTest
  @EnumSource(JobStep.class)
  void aWorkerStoppedWhileRewritingOlderSpecFilesIsTakenOver(JobStep step) throws Exception {
    List<String> statements = workload();
    List<CommitToken> tokens = new ArrayList<>();
    tokens.add(submit(statements.get(0)));
    Worker first =
        new Worker(
            catalog, logs, WorkerSettings.defaults("first", work.resolve("f")), JobHooks.NONE);
    assertThat(first.apply(T)).isFalse();
    first.close();
    // another engine adds a partition field: every file now has an older spec
    table.refresh();
    table.updateSpec().addField(Expressions.bucket("id", 2)).commit();
    Thread.sleep(1_100); // the orchestrator refreshes a table's metadata once a second
    for (String sql : statements.subList(1, statements.size())) {
      tokens.add(submit(sql));
    }
    Worker dying = failingAt("dying", step, new Killed(step));
    assertThatThrownBy(() -> dying.apply(T)).isInstanceOf(Killed.class);

    rescue();
    assertAppliedExactlyOnce(tokens);
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        assertThat(task.file().specId()).isEqualTo(table.spec().specId());
      }
    }
  }

  @Test
  void aFailingJobTellsWaitingClientsWhyUntilAJobGetsThrough() throws Exception {
    List<CommitToken> tokens = submitWorkload();
    Worker failing =
        failingAt(
            "worker-7", JobStep.UPLOADED, new IllegalStateException("no space left on device"));
    assertThatThrownBy(() -> failing.apply(T)).hasMessage("no space left on device");
    failing.close();

    assertThat(logs.table(T).lastFailure())
        .hasValueSatisfying(
            failure -> {
              assertThat(failure.worker()).isEqualTo("worker-7");
              assertThat(failure.error()).isEqualTo("no space left on device");
            });
    CommitToken last = tokens.get(tokens.size() - 1);
    assertThatThrownBy(() -> orchestrator.await(last, Duration.ofMillis(50)))
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining("not applied within")
        .hasMessageContaining("the last apply job failed")
        .hasMessageContaining("on worker worker-7: no space left on device");
    assertThatThrownBy(() -> orchestrator.awaitApplied(T, Duration.ofMillis(50)))
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining("on worker worker-7: no space left on device");

    rescue();
    assertAppliedExactlyOnce(tokens);
    assertThat(logs.table(T).lastFailure()).as("cleared by the job that got through").isEmpty();
  }

  @Test
  void aRecordedFailureIsCutToItsFirstCharacters() {
    logs.table(T).recordFailure("w", "x".repeat(10_000));
    assertThat(logs.table(T).lastFailure().orElseThrow().error()).hasSize(2_001).endsWith("x…");
  }

  /** A worker with 2 s leases whose jobs throw {@code failure} when they reach {@code step}. */
  private Worker failingAt(String id, JobStep step, RuntimeException failure) {
    return new Worker(
        catalog,
        logs,
        WorkerSettings.defaults(id, work.resolve(id)).withLeaseTime(Duration.ofSeconds(2)),
        at -> {
          if (at == step) {
            throw failure;
          }
        });
  }

  /**
   * Applies the log with another worker. A dead worker's leases expire after two seconds; until
   * then the rescuer finds them held and tries again.
   */
  private void rescue() throws InterruptedException {
    Worker rescuer =
        new Worker(
            catalog, logs, WorkerSettings.defaults("rescuer", work.resolve("r")), JobHooks.NONE);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (rescuer.apply(T) && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
  }

  private List<CommitToken> submitWorkload() {
    List<CommitToken> tokens = new ArrayList<>();
    for (String sql : workload()) {
      tokens.add(submit(sql));
    }
    return tokens;
  }

  /** The statements whose outcome is {@link #EXPECTED}, in order. */
  private static List<String> workload() {
    List<String> statements = new ArrayList<>();
    statements.add(
        "INSERT INTO t VALUES (1, 0, 0), (2, 1, 0), (3, 2, 0), (4, 0, 0), (5, 1, 0), (6, 2, 0)");
    for (int i = 0; i < 3; i++) {
      statements.add("UPDATE t SET v = v + 1");
    }
    statements.add("INSERT INTO t VALUES (7, 2, 0)");
    statements.add("UPDATE t SET v = v + 10 WHERE id = 7 AND part = 2");
    return statements;
  }

  private CommitToken submit(String sql) {
    return orchestrator.submit(T, List.of(SqlStatement.of(sql)));
  }

  private void assertAppliedExactlyOnce(List<CommitToken> tokens) throws Exception {
    for (CommitToken token : tokens) {
      TransactionResult result = orchestrator.await(token, Duration.ofSeconds(10));
      assertThat(result.committed()).as("transaction %d", token.sequence()).isTrue();
    }
    table.refresh();
    List<String> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      for (Record record : records) {
        rows.add(
            record.getField("id") + "," + record.getField("part") + "," + record.getField("v"));
      }
    }
    rows.sort(null);
    assertThat(rows).containsExactlyElementsOf(EXPECTED);
    assertThat(logs.table(T).state().hasPending()).isFalse();
  }
}
