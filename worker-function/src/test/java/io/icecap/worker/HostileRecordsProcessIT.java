package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.testing.RedisServerExtension;
import io.icecap.testing.TestingJvmFleet;
import io.icecap.txn.log.JobState;
import io.icecap.txn.log.TableLog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Hostile log records against an {@code icecap worker} process, which takes jobs from Redis. */
class HostileRecordsProcessIT extends HostileRecordsContract {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  private TestingJvmFleet fleet;

  @Override
  protected RedisServerExtension redis() {
    return REDIS;
  }

  @Override
  protected TestingWritePath.Jobs jobs() {
    return TestingWritePath.Jobs.QUEUE;
  }

  @Override
  protected void startWorkers() {
    fleet = WorkerFleet.start(1, path.workerOptions(), root.resolve("fleet"));
  }

  @Override
  protected void applyAll(TableIdentifier table) throws InterruptedException {
    TableLog log = path.logs.table(table);
    long head = log.state().head();
    path.logs.enqueue(table, head);
    long deadline = System.nanoTime() + 30_000_000_000L;
    JobState state = log.state();
    while (state.watermark() < head && System.nanoTime() < deadline) {
      Thread.sleep(20);
      state = log.state();
    }
    assertThat(state.watermark()).as("records applied by the worker process").isEqualTo(head);
  }

  @Override
  protected void stopWorkers() {
    fleet.close();
  }
}
