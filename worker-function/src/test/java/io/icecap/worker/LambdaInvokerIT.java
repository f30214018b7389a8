package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.testing.TestingLambdaServer;
import io.icecap.txn.dispatch.Invoker;
import io.icecap.txn.dispatch.LambdaInvoker;
import io.icecap.worker.function.ApplyFunction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The invoker contract for jobs run as Lambda invocations: {@link LambdaInvoker} and the AWS SDK's
 * Lambda client, over HTTP, to the Lambda Invoke API serving {@link ApplyFunction} in execution
 * environments of their own (each with its own work directory, as each Lambda environment has its
 * own {@code /tmp}).
 */
class LambdaInvokerIT extends InvokerContract {
  private TestingLambdaServer lambda;

  @Override
  Invoker invoker(Map<String, String> properties, Path work) {
    AtomicInteger environments = new AtomicInteger();
    lambda =
        TestingLambdaServer.start(
            "icecap-worker",
            () ->
                new ApplyFunction(
                    S3WritePath.functionEnv(
                        properties, work.resolve("env-" + environments.incrementAndGet()))),
            Duration.ofSeconds(60),
            4);
    return new LambdaInvoker(lambda.client(), "icecap-worker", 4);
  }

  @Override
  void stopWorkers() {
    assertThat(lambda.invocations()).isPositive();
    lambda.close();
  }
}
