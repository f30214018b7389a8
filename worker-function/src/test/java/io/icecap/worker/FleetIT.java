package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.testing.RedisServerExtension;
import io.icecap.testing.S3ServerExtension;
import io.icecap.testing.TestingJvmFleet;
import io.icecap.txn.SqlStatement;
import io.icecap.txn.log.JobState;
import io.icecap.txn.log.Lease;
import io.icecap.txn.log.TransactionLog;
import io.icecap.txn.record.PartitionValues;
import io.icecap.txn.validate.ValidationLimits;
import io.icecap.worker.DifferentialWorkload.Submitted;
import io.icecap.worker.TestingWritePath.Jobs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code icecap worker} processes share one Redis (append-only) and one warehouse on the S3
 * API, and take the apply requests of four clients from the queue in Redis. A third of the way
 * through the differential workload, one worker is killed with SIGKILL while it holds partition
 * leases; the other two take its work over once the leases expire, and the table equals the plain
 * replay of the log, every acknowledged transaction applied exactly once.
 */
class FleetIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().appendOnly(true).build();

  @RegisterExtension static final S3ServerExtension S3 = new S3ServerExtension();

  private static final int WORKERS = 3;
  private static final int CLIENTS = 4;
  private static final int STATEMENTS_PER_CLIENT = 1250;
  private static final int PARTITIONS = 10;
  private static final long SEED = Long.getLong("icecap.fleet.seed", 20261122L);

  /** Short, so the dead worker's leases expire soon; the live ones renew theirs. */
  private static final Duration LEASE_TIME = Duration.ofMillis(2500);

  private static final Duration VICTIM_SEARCH = Duration.ofMinutes(2);

  private static final TableIdentifier WARM_UP = TableIdentifier.of("db", "warmup");
  private static final Duration WARM_UP_TIME = Duration.ofMinutes(1);

  @TempDir Path work;

  /**
   * The worker killed, and what it held.
   *
   * @param index its index in the fleet
   * @param id its worker id
   * @param held the live leases it held when it was killed, by partition
   * @param pending how many records were not applied yet when it was killed
   * @param committedBefore how many snapshots of the table it had committed before
   * @param lastSnapshotBefore the table's sequence number of the last snapshot before the kill
   */
  private record Victim(
      int index,
      String id,
      Map<String, Lease> held,
      long pending,
      int committedBefore,
      long lastSnapshotBefore) {}

  @Test
  void workerProcessesApplyTheWorkloadAndTakeOverFromOneKilledMidWork() throws Exception {
    String bucket = S3.server().createBucket("fleet-" + UUID.randomUUID());
    DifferentialWorkload workload =
        new DifferentialWorkload(SEED, CLIENTS, STATEMENTS_PER_CLIENT, PARTITIONS);
    ExecutorService clients = Executors.newSingleThreadExecutor();
    try (TestingWritePath path =
        TestingWritePath.start(
            REDIS,
            "s3://" + bucket + "/lake",
            S3.server().fileIoProperties(),
            work,
            Jobs.QUEUE,
            ValidationLimits.defaults())) {
      Table table = workload.createTable(path.catalog);
      Map<String, String> options = new LinkedHashMap<>(path.workerOptions());
      options.put("lease-ms", Long.toString(LEASE_TIME.toMillis()));
      options.put("sweep-ms", "1000");
      options.put("stale-ms", "1000");
      try (TestingJvmFleet fleet = WorkerFleet.start(WORKERS, options, work.resolve("workers"))) {
        Set<String> warm = warmUp(path, fleet);
        long started = System.nanoTime();
        long startedAt = System.currentTimeMillis();
        AtomicLong acknowledgedAt = new AtomicLong();
        Future<List<Submitted>> run =
            clients.submit(
                () -> {
                  List<Submitted> submitted = workload.run(path.orchestrator);
                  acknowledgedAt.set(System.nanoTime());
                  return submitted;
                });
        awaitAcknowledged(workload, workload.size() / 3, run);
        long thirdAt = System.nanoTime();
        Victim victim = killOneMidWork(fleet, path.logs, table);
        long killedAt = System.nanoTime();
        int acknowledgedBeforeKill = workload.acknowledged();

        List<Submitted> log = run.get(10, TimeUnit.MINUTES);
        workload.awaitApplied(path.orchestrator, log, Duration.ofMinutes(5));
        table.refresh();
        System.out.printf(
            "FleetIT: warmed up %s; a third of %d transactions acknowledged after %d ms, all after"
                + " %d ms; worker %s (%d snapshots committed) killed after %d ms, %d transactions"
                + " acknowledged, holding the leases of %s with %d records pending; all applied"
                + " after %d ms; snapshots %s%n",
            warm,
            log.size(),
            millis(thirdAt - started),
            millis(acknowledgedAt.get() - started),
            victim.id(),
            victim.committedBefore(),
            millis(killedAt - started),
            acknowledgedBeforeKill,
            victim.held().keySet(),
            victim.pending(),
            millis(System.nanoTime() - started),
            timeline(table, startedAt));

        workload.verify(table, path.logs, log);
        assertTakenOver(fleet, path.logs, table, victim);
        assertThat(table.snapshots()).hasSizeLessThan(log.size() / 5);
      }
    } finally {
      clients.shutdownNow();
    }
  }

  /**
   * Has the workers apply writes to a table of their own until each has committed one (or a bound
   * is reached), so that the workload does not start on cold processes: their first job loads the
   * S3 and DuckDB code, which on a busy machine takes long enough to skew when the kill happens.
   *
   * @return the workers that committed
   */
  private static Set<String> warmUp(TestingWritePath path, TestingJvmFleet fleet) throws Exception {
    Table table =
        path.catalog
            .buildTable(
                WARM_UP, new Schema(Types.NestedField.required(1, "id", Types.LongType.get())))
            .create();
    Set<String> warm = new TreeSet<>();
    long deadline = System.nanoTime() + WARM_UP_TIME.toNanos();
    for (long i = 0; warm.size() < fleet.size() && System.nanoTime() < deadline; i++) {
      path.orchestrator.execute(
          WARM_UP, List.of(SqlStatement.of("INSERT INTO warmup VALUES (?)", i)), WARM_UP_TIME);
      table.refresh();
      warm.addAll(committedBy(table, Long.MIN_VALUE).keySet());
    }
    return warm;
  }

  /** Each snapshot's worker, time since the start and last sequence number, for the log. */
  private static List<String> timeline(Table table, long startedAt) {
    List<String> snapshots = new ArrayList<>();
    for (Snapshot snapshot : table.snapshots()) {
      snapshots.add(
          String.format(
              "%s@%dms<=%s",
              snapshot.summary().get(Checkpoint.SUMMARY_WORKER),
              snapshot.timestampMillis() - startedAt,
              snapshot.summary().get(Checkpoint.SUMMARY_SEQUENCE)));
    }
    return snapshots;
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private static void awaitAcknowledged(
      DifferentialWorkload workload, int count, Future<List<Submitted>> run) throws Exception {
    while (workload.acknowledged() < count) {
      if (run.isDone()) {
        run.get();
        throw new AssertionError("The clients stopped after " + workload.acknowledged());
      }
      Thread.sleep(10);
    }
  }

  /**
   * Kills a worker that holds live leases of the table, so it dies in the middle of a job, once the
   * table has its first snapshot. Each candidate is stopped with SIGSTOP while the leases are read,
   * so what is read is what it holds when SIGKILL reaches it; a candidate holding none is let go
   * on. Workers that have committed snapshots are tried first.
   */
  private static Victim killOneMidWork(TestingJvmFleet fleet, TransactionLog logs, Table table)
      throws InterruptedException {
    long deadline = System.nanoTime() + VICTIM_SEARCH.toNanos();
    while (System.nanoTime() < deadline) {
      table.refresh();
      Map<String, Integer> committed = committedBy(table, Long.MIN_VALUE);
      List<Integer> candidates =
          IntStream.range(0, fleet.size())
              .boxed()
              .sorted(Comparator.comparing(i -> !committed.containsKey(fleet.id(i))))
              .toList();
      for (int i : committed.isEmpty() ? List.<Integer>of() : candidates) {
        String id = fleet.id(i);
        fleet.suspend(i);
        boolean killed = false;
        try {
          JobState state = logs.table(DifferentialWorkload.TABLE).state();
          Map<String, Lease> held =
              state.leases().entrySet().stream()
                  .filter(
                      lease ->
                          lease.getValue().owner().equals(id)
                              && lease.getValue().expiresAtMillis() > state.serverTimeMillis())
                  .collect(
                      Collectors.toMap(
                          Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
          if (!held.isEmpty()) {
            int exit = fleet.kill(i);
            killed = true;
            assertThat(exit).as("exit of worker %s killed by SIGKILL", id).isEqualTo(137);
            table.refresh();
            return new Victim(
                i,
                id,
                held,
                state.head() - state.watermark(),
                committedBy(table, Long.MIN_VALUE).getOrDefault(id, 0),
                table.currentSnapshot().sequenceNumber());
          }
        } finally {
          if (!killed) {
            fleet.resume(i);
          }
        }
      }
      Thread.sleep(5);
    }
    throw new AssertionError(
        "No worker held a lease of "
            + DifferentialWorkload.TABLE
            + " after its first snapshot within "
            + VICTIM_SEARCH
            + "; the workers printed:\n"
            + outputs(fleet));
  }

  /**
   * The survivors took the dead worker's partitions over: later snapshots, all theirs, changed each
   * partition it held, and no lease of it is left.
   */
  private static void assertTakenOver(
      TestingJvmFleet fleet, TransactionLog logs, Table table, Victim victim) {
    assertThat(fleet.isAlive(victim.index())).isFalse();
    for (int i = 0; i < fleet.size(); i++) {
      if (i != victim.index()) {
        assertThat(fleet.isAlive(i))
            .as("worker %s alive: %s", fleet.id(i), fleet.output(i))
            .isTrue();
      }
    }
    Map<String, Integer> after = committedBy(table, victim.lastSnapshotBefore());
    assertThat(after)
        .as("snapshots committed after the kill, by worker")
        .doesNotContainKey(victim.id())
        .isNotEmpty();
    Set<String> changedAfter = new TreeSet<>();
    for (Snapshot snapshot : table.snapshots()) {
      if (snapshot.sequenceNumber() > victim.lastSnapshotBefore()) {
        changedAfter.addAll(partitionsOf(table, snapshot));
      }
    }
    assertThat(changedAfter)
        .as("partitions changed after the kill")
        .containsAll(victim.held().keySet());

    // the work was spread: the victim held leases of the table and applied records under them,
    // and other workers committed snapshots of it
    Set<String> worked = new TreeSet<>(committedBy(table, Long.MIN_VALUE).keySet());
    worked.add(victim.id());
    assertThat(worked).as("workers that held leases or committed snapshots").hasSizeGreaterThan(1);
    assertThat(logs.table(DifferentialWorkload.TABLE).state().leases().values())
        .as("leases left")
        .noneMatch(lease -> lease.owner().equals(victim.id()));
  }

  /** How many snapshots after the given sequence number each worker committed. */
  private static Map<String, Integer> committedBy(Table table, long afterSequence) {
    Map<String, Integer> committed = new TreeMap<>();
    for (Snapshot snapshot : table.snapshots()) {
      String worker = snapshot.summary().get(Checkpoint.SUMMARY_WORKER);
      if (worker != null && snapshot.sequenceNumber() > afterSequence) {
        committed.merge(worker, 1, Integer::sum);
      }
    }
    return committed;
  }

  /** The partitions whose data files the snapshot added. */
  private static Set<String> partitionsOf(Table table, Snapshot snapshot) {
    Set<String> partitions = new TreeSet<>();
    for (DataFile file : snapshot.addedDataFiles(table.io())) {
      partitions.add(PartitionValues.key(table.specs().get(file.specId()), file.partition()));
    }
    return partitions;
  }

  private static String outputs(TestingJvmFleet fleet) {
    List<String> outputs = new ArrayList<>();
    for (int i = 0; i < fleet.size(); i++) {
      outputs.add("--- " + fleet.id(i) + " ---\n" + fleet.output(i));
    }
    return String.join("\n", outputs);
  }
}
