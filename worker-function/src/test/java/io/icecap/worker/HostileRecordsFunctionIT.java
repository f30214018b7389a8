package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.testing.RedisServerExtension;
import io.icecap.testing.TestingLambdaContext;
import io.icecap.worker.function.ApplyFunction;
import java.time.Duration;
import java.util.Map;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Hostile log records against the Lambda handler, invoked in the test's process. */
class HostileRecordsFunctionIT extends HostileRecordsContract {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  private ApplyFunction function;

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
    function =
        new ApplyFunction(S3WritePath.functionEnv(path.properties, root.resolve("function")));
  }

  @Override
  protected void applyAll(TableIdentifier table) {
    Map<String, Object> answer =
        function.handleRequest(
            Map.<String, Object>of("table", table.toString()),
            TestingLambdaContext.withTimeLeft(Duration.ofSeconds(60)));
    assertThat(answer).containsEntry("end", "DONE");
  }

  @Override
  protected void stopWorkers() {
    function.close();
  }
}
