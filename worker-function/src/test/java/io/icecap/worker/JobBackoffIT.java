package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.testing.RedisServerExtension;
import io.icecap.txn.CommitToken;
import io.icecap.txn.SqlStatement;
import io.icecap.txn.dispatch.Sweeper;
import io.icecap.txn.log.JobFailure;
import io.icecap.txn.validate.ValidationLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table whose apply job keeps failing (its disk is full) is swept every 100 ms, yet its jobs run
 * only after a backoff that doubles from 1 s; once the disk is free the next job publishes, and the
 * backoff starts over.
 */
class JobBackoffIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  private static final TableIdentifier T = TableIdentifier.of("db", "t");

  @TempDir Path warehouse;
  @TempDir Path work;

  @Test
  void aFailingTableIsRetriedAfterABackoffAndAtOnceAgainAfterAJobPublishes() throws Exception {
    List<Long> attempts = new CopyOnWriteArrayList<>();
    List<Integer> failedBefore = new CopyOnWriteArrayList<>();
    CountDownLatch threeFailures = new CountDownLatch(3);
    AtomicBoolean diskFull = new AtomicBoolean(true);
    try (TestingWritePath path =
        TestingWritePath.start(REDIS, warehouse, work, false, ValidationLimits.defaults())) {
      Schema schema =
          new Schema(
              Types.NestedField.required(1, "id", Types.LongType.get()),
              Types.NestedField.required(2, "part", Types.IntegerType.get()));
      Table table =
          path.create(T, schema, PartitionSpec.builderFor(schema).identity("part").build());
      Worker worker =
          path.worker(
              "flaky",
              work,
              step -> {
                if (step == JobStep.APPLIED) {
                  attempts.add(System.nanoTime());
                  failedBefore.add(
                      path.logs.table(T).lastFailure().map(JobFailure::failures).orElse(0));
                  if (diskFull.get()) {
                    threeFailures.countDown();
                    throw new UncheckedIOException(
                        new IOException("No space left on device: " + work.resolve("replicas")));
                  }
                }
              });
      LocalInvoker invoker = new LocalInvoker(worker, 1);
      Sweeper sweeper = new Sweeper(path.logs, invoker, Duration.ZERO, Duration.ofMillis(100));
      try {
        CommitToken token =
            path.orchestrator.submit(
                T, List.of(SqlStatement.of("INSERT INTO t VALUES (?, ?)", 1L, 1)));
        assertThat(threeFailures.await(30, TimeUnit.SECONDS)).isTrue();
        diskFull.set(false);
        assertThat(path.orchestrator.await(token, Duration.ofSeconds(30)).committed()).isTrue();

        assertThat(failedBefore)
            .as("failures in a row seen by each try")
            .containsExactly(0, 1, 2, 3);
        // swept every 100 ms, yet each try waits twice as long as the one before: 1, 2, 4 s
        assertThat(millisBetween(attempts.get(0), attempts.get(1))).isGreaterThanOrEqualTo(900);
        assertThat(millisBetween(attempts.get(1), attempts.get(2))).isGreaterThanOrEqualTo(1_900);
        assertThat(millisBetween(attempts.get(2), attempts.get(3))).isGreaterThanOrEqualTo(3_900);
        assertThat(path.logs.table(T).lastFailure()).as("cleared by the job").isEmpty();
        table.refresh();
        assertThat(TestingWritePath.rows(table, "id", "part")).containsExactly("1,1");

        path.logs.table(T).recordFailure("flaky", "again");
        assertThat(path.logs.table(T).lastFailure().orElseThrow().failures())
            .as("the count starts over after a job published")
            .isEqualTo(1);
      } finally {
        sweeper.close();
        invoker.close();
      }
    }
  }

  private static long millisBetween(long fromNanos, long toNanos) {
    return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
  }
}
