package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.testing.RedisServerExtension;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Hostile log records against a worker on a thread of the test's process. */
class HostileRecordsInProcessIT extends HostileRecordsContract {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  private Worker worker;

  @Override
  protected RedisServerExtension redis() {
    return REDIS;
  }

  @Override
  protected TestingWritePath.Jobs jobs() {
    return TestingWritePath.Jobs.NOWHERE;
  }

  @Override
  protected void startWorkers() {
    worker = path.worker("w1", root.resolve("workers"), JobHooks.NONE);
  }

  @Override
  protected void applyAll(TableIdentifier table) {
    assertThat(worker.apply(table)).as("records pending after the job").isFalse();
  }

  @Override
  protected void stopWorkers() {
    worker.close();
  }
}
