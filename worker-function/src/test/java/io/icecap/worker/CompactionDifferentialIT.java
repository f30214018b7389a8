package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.testing.RedisServerExtension;
import io.icecap.txn.dispatch.Sweeper;
import io.icecap.txn.log.JobFailure;
import io.icecap.txn.log.TableLog;
import io.icecap.txn.validate.ValidationLimits;
import io.icecap.worker.DifferentialWorkload.Submitted;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The differential workload of {@link DifferentialIT} (5,000 seeded statements from four clients)
 * while another worker compacts every partition of the table over and over: the table still equals
 * the plain DuckDB replay of the log, and no apply job fails because of the compactions (they find
 * the partitions busy and are asked for again).
 */
class CompactionDifferentialIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  private static final long SEED = Long.getLong("icecap.differential.seed", 20261208L);

  @TempDir Path warehouse;
  @TempDir Path work;
  private TestingWritePath path;

  @BeforeEach
  void setUp() {
    path = TestingWritePath.start(REDIS, warehouse, work, true, ValidationLimits.defaults());
  }

  @AfterEach
  void tearDown() {
    path.close();
  }

  @Test
  void compactionsDuringTheWorkloadLeaveTheTableEqualToTheReplay() throws Exception {
    DifferentialWorkload workload = new DifferentialWorkload(SEED, 4, 1250, 10);
    Table table = workload.createTable(path.catalog);
    TableLog log = path.logs.table(DifferentialWorkload.TABLE);
    AtomicBoolean done = new AtomicBoolean();
    List<String> failures = new CopyOnWriteArrayList<>();
    List<String> gaveUp = new CopyOnWriteArrayList<>();
    AtomicInteger compactions = new AtomicInteger();
    Thread watcher =
        new Thread(
            () -> {
              while (!done.get()) {
                Optional<JobFailure> failure = log.lastFailure();
                failure.ifPresent(f -> failures.add(f.toString()));
                sleep(5);
              }
            });
    Worker compactor = path.worker("c1", work, JobHooks.NONE);
    Thread compacting =
        new Thread(
            () -> {
              while (!done.get()) {
                // every partition with a file is rewritten: one small file is enough
                CompactionResult result =
                    compactor.compact(
                        DifferentialWorkload.TABLE,
                        new CompactionOptions(512L << 20, 1, false, 2),
                        CompactionProgress.NONE);
                if (result.gaveUp() != null) {
                  gaveUp.add(result.gaveUp());
                } else if (result.snapshotId() != null) {
                  compactions.incrementAndGet();
                }
                sleep(100);
              }
            });
    try (Sweeper sweeper =
        new Sweeper(path.logs, path.invoker, Duration.ofMillis(500), Duration.ofMillis(200))) {
      watcher.start();
      compacting.start();
      List<Submitted> submitted = workload.run(path.orchestrator);
      workload.awaitApplied(path.orchestrator, submitted, Duration.ofMinutes(5));
      done.set(true);
      compacting.join();
      watcher.join();
      assertThat(failures).as("apply jobs that failed").isEmpty();
      assertThat(compactions.get()).as("compactions committed during the workload").isPositive();
      table.refresh();
      workload.verify(table, path.logs, submitted);
      long snapshots = 0;
      for (Snapshot snapshot : table.snapshots()) {
        if (Compactor.COMPACTION.equals(snapshot.summary().get(Compactor.SUMMARY_OPERATION))) {
          snapshots++;
          assertThat(snapshot.operation()).isEqualTo("replace");
        }
      }
      assertThat(snapshots).isEqualTo(compactions.get());
    } finally {
      done.set(true);
      compactor.close();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
