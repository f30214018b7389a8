package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.testing.RedisServerExtension;
import io.icecap.testing.TestingJvmFleet;
import io.icecap.txn.CommitToken;
import io.icecap.txn.SqlStatement;
import io.icecap.txn.log.Lease;
import io.icecap.txn.validate.ValidationLimits;
import io.icecap.worker.TestingWritePath.Jobs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code icecap worker} processes and the outages of their Redis (append-only, synced on every
 * write): a worker outlives Redis being killed and restarted, one started while Redis is down or
 * loading its data starts working when it is up, and SIGTERM stops one cleanly, its leases released
 * at once.
 */
class WorkerRedisOutageIT {
  /**
   * Each key of an append-only file's RDB part takes 2 ms to load: a few thousand keys, seconds.
   */
  @RegisterExtension
  static final RedisServerExtension REDIS =
      RedisServerExtension.builder().appendOnly(true).config("key-load-delay 2000").build();

  private static final TableIdentifier T = TableIdentifier.of("db", "t");
  private static final String OUTAGE_STARTS = "is out; retrying with backoff";
  private static final String OUTAGE_ENDS = "answers again after an outage of";
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path warehouse;
  @TempDir Path work;
  private TestingWritePath path;
  private Table table;

  @BeforeEach
  void setUp() {
    if (!REDIS.server().isRunning()) {
      REDIS.server().start();
    }
    path =
        TestingWritePath.start(
            REDIS, warehouse.toString(), Map.of(), work, Jobs.QUEUE, ValidationLimits.defaults());
    Schema schema =
        new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.required(2, "part", Types.IntegerType.get()));
    table = path.create(T, schema, PartitionSpec.builderFor(schema).identity("part").build());
  }

  @AfterEach
  void tearDown() {
    if (!REDIS.server().isRunning()) {
      REDIS.server().start();
    }
    path.close();
  }

  /** Options for quick take-overs: short leases, frequent sweeps of records half a second old. */
  private Map<String, String> options(String... more) {
    Map<String, String> options = new LinkedHashMap<>(path.workerOptions());
    options.put("lease-ms", "3000");
    options.put("sweep-ms", "500");
    options.put("stale-ms", "500");
    for (int i = 0; i < more.length; i += 2) {
      options.put(more[i], more[i + 1]);
    }
    return options;
  }

  private CommitToken insert(long id) {
    return path.orchestrator.submit(
        T, List.of(SqlStatement.of("INSERT INTO t VALUES (?, ?)", id, (int) (id % 4))));
  }

  @Test
  void aWorkerOutlivesFiveRedisRestartsAndAppliesEveryWriteOnce() throws Exception {
    Map<Long, CommitToken> acknowledged = new TreeMap<>();
    List<Long> unacknowledged = new ArrayList<>();
    try (TestingJvmFleet fleet =
        WorkerFleet.builder(options(), work.resolve("workers"))
            .keptLines(20_000)
            .start(List.of("survivor"))) {
      long id = 0;
      for (int outage = 1; outage <= 5; outage++) {
        for (int i = 0; i < 10; i++) {
          id++;
          acknowledged.put(id, insert(id));
        }
        REDIS.server().kill();
        try {
          insert(++id);
          throw new AssertionError("a write was acknowledged while Redis was killed");
        } catch (RuntimeException e) {
          unacknowledged.add(id);
        }
        REDIS.server().restart();
        // sent while the worker may still be reconnecting
        for (int i = 0; i < 10; i++) {
          id++;
          acknowledged.put(id, insert(id));
        }
        fleet.awaitLines(0, OUTAGE_ENDS, outage, WAIT);
        assertThat(fleet.isAlive(0)).as("alive after outage %d", outage).isTrue();
      }
      for (Map.Entry<Long, CommitToken> write : acknowledged.entrySet()) {
        assertThat(path.orchestrator.await(write.getValue(), WAIT).committed())
            .as("write %d", write.getKey())
            .isTrue();
      }

      table.refresh();
      Map<Long, Long> applied =
          TestingWritePath.rows(table, "id").stream()
              .collect(Collectors.groupingBy(Long::parseLong, TreeMap::new, Collectors.counting()));
      assertThat(applied.values()).as("no write applied twice").allMatch(count -> count == 1);
      assertThat(applied.keySet())
          .containsAll(acknowledged.keySet())
          .allMatch(
              written -> acknowledged.containsKey(written) || unacknowledged.contains(written));

      String output = fleet.output(0);
      assertThat(fleet.countLines(0, OUTAGE_STARTS)).as(output).isEqualTo(5);
      assertThat(fleet.countLines(0, OUTAGE_ENDS)).as(output).isEqualTo(5);
      assertThat(output)
          .doesNotContain("Connection is already closed")
          .doesNotContain("(null)")
          .doesNotContain("\tat ");
      assertThat(fleet.terminate(0, WAIT)).as("exit status after SIGTERM").isZero();
    }
  }

  @Test
  void aWorkerStartedWhileRedisIsDownStartsWorkingWhenItComesUp() throws Exception {
    CommitToken before = insert(1);
    REDIS.server().stop();
    try (TestingJvmFleet fleet =
        WorkerFleet.builder(options(), work.resolve("workers")).launch(List.of("early"))) {
      fleet.awaitLine(0, OUTAGE_STARTS, WAIT);
      assertThat(fleet.isAlive(0)).isTrue();
      assertThat(fleet.output(0)).doesNotContain(WorkerProcess.readyLine("early"));

      REDIS.server().start();
      fleet.awaitReady(0, WAIT);
      CommitToken after = insert(2);
      assertThat(path.orchestrator.await(before, WAIT).committed()).isTrue();
      assertThat(path.orchestrator.await(after, WAIT).committed()).isTrue();
      table.refresh();
      assertThat(TestingWritePath.rows(table, "id")).containsExactly("1", "2");
      assertThat(fleet.countLines(0, OUTAGE_STARTS)).isEqualTo(1);
      assertThat(fleet.countLines(0, OUTAGE_ENDS)).isEqualTo(1);
      assertThat(fleet.output(0)).doesNotContain("\tat ");
    }
  }

  @Test
  void aWorkerStartedWhileRedisLoadsItsDataWaitsUntilItHasLoaded() throws Exception {
    CommitToken before = insert(1);
    rewriteAppendOnlyFile(
        redis -> {
          for (int i = 0; i < 3_000; i++) {
            redis.set("filler:" + i, "x");
          }
        });
    REDIS.server().kill();
    ExecutorService starter = Executors.newSingleThreadExecutor();
    try (TestingJvmFleet fleet =
        WorkerFleet.builder(options(), work.resolve("workers")).launch(List.of("patient"))) {
      // started at once, Redis answers LOADING for about 6 s while the worker comes up
      Future<?> started = starter.submit(() -> REDIS.server().start());
      fleet.awaitLine(0, OUTAGE_STARTS, WAIT);
      started.get(1, TimeUnit.MINUTES);
      fleet.awaitReady(0, WAIT);
      assertThat(fleet.output(0)).contains("is loading its data set into memory");
      CommitToken after = insert(2);
      assertThat(path.orchestrator.await(before, WAIT).committed()).isTrue();
      assertThat(path.orchestrator.await(after, WAIT).committed()).isTrue();
      table.refresh();
      assertThat(TestingWritePath.rows(table, "id")).containsExactly("1", "2");
      assertThat(fleet.countLines(0, OUTAGE_STARTS)).isEqualTo(1);
      assertThat(fleet.countLines(0, OUTAGE_ENDS)).isEqualTo(1);
    } finally {
      starter.shutdownNow();
      if (!REDIS.server().isRunning()) {
        REDIS.server().start();
      }
      // the other tests' restarts load an empty file again
      rewriteAppendOnlyFile(redis -> redis.del(redis.keys("filler:*").toArray(new String[0])));
    }
  }

  /**
   * Changes the data set, then rewrites the append-only file, which then starts with an RDB part
   * whose keys each take the server's key-load-delay to load.
   */
  private static void rewriteAppendOnlyFile(Consumer<RedisCommands<String, String>> change)
      throws InterruptedException {
    RedisClient client = RedisClient.create(REDIS.server().uri());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> redis = connection.sync();
      change.accept(redis);
      redis.bgrewriteaof();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (redis.info("persistence").matches("(?s).*aof_rewrite_(in_progress|scheduled):1.*")) {
        assertThat(System.nanoTime()).as("AOF rewritten in time").isLessThan(deadline);
        Thread.sleep(50);
      }
    } finally {
      client.shutdown();
    }
  }

  @Test
  void sigtermStopsAWorkerWithStatusZeroAndItsLeasesAreFreeAtOnce() throws Exception {
    // leases far longer than the test: another worker can only have them if they were released
    Map<String, String> options =
        options("lease-ms", "120000", "pause-at", "LEASED", "stop-grace-ms", "1000");
    CommitToken token;
    try (TestingJvmFleet fleet =
        WorkerFleet.builder(options, work.resolve("workers")).start(List.of("doomed"))) {
      token = insert(7);
      fleet.awaitLine(0, "paused at LEASED", WAIT);
      Map<String, Lease> held = path.logs.table(T).state().leases();
      assertThat(held).isNotEmpty();
      assertThat(held.values()).allMatch(lease -> lease.owner().equals("doomed"));

      long stopping = System.nanoTime();
      assertThat(fleet.terminate(0, WAIT)).as("exit status after SIGTERM").isZero();
      assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(20));
      assertThat(fleet.output(0))
          .contains("Apply job of db.t stopped: the worker is stopping")
          .contains(WorkerProcess.stoppedLine("doomed"))
          .doesNotContain("\tat ");
    }
    assertThat(path.logs.table(T).state().leases()).as("released").isEmpty();
    assertThat(path.logs.table(T).lastFailure()).as("a stop is no failure").isEmpty();

    Worker next = path.worker("next", work, JobHooks.NONE);
    try {
      Worker.Report report = next.applyUntil(T, System.nanoTime() + WAIT.toNanos());
      assertThat(report.end()).isEqualTo(Worker.End.DONE);
      assertThat(report.checkpoints()).isEqualTo(1);
    } finally {
      next.close();
    }
    assertThat(path.orchestrator.await(token, WAIT).committed()).isTrue();
    table.refresh();
    assertThat(TestingWritePath.rows(table, "id")).containsExactly("7");
  }
}
